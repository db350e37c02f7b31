/*
 * staff_auth.c: signing in and out of the staff pages.
 *
 * The sign-in is the API's (api_sign_in): the same session cookie, the same
 * growing waits after failures (store_auth.h), the same answer for an
 * unknown email, a wrong password and a disabled account.  After signing in
 * the browser goes back to the page that sent it here, but only when that
 * is a page of this site under /staff, so a link from elsewhere cannot use
 * the sign-in page to send someone on to another site.
 *
 * A user with a second factor gets, after a right password, a page asking
 * for its code (GET/POST /staff/login/code): the password step leaves only
 * a five-minute challenge bound to a cookie (api_sign_in_code), and the
 * session starts when the code is right.
 *
 * The sign-in page also has a button for each organisation's identity
 * provider (staff_sso.c); an organisation that has turned password sign-in
 * off gets, for a right password, a page that says to use it.
 */
#include "web_staff.h"

#include <string.h>

#include "api.h"
#include "authz.h"
#include "model.h"
#include "store_auth.h"
#include "store_sso.h"
#include "store_totp.h"
#include "web.h"

#define HOME "/staff/work"

/* next when it is a path under /staff on this site, else the home page. */
const char *staff_safe_next(const char *next)
{
	if (!next || strncmp(next, "/staff", 6) != 0 ||
	    (next[6] != '\0' && next[6] != '/' && next[6] != '?'))
		return HOME;
	if (strlen(next) > 500 || strstr(next, "//") || strchr(next, '\\') || strstr(next, "/."))
		return HOME;
	for (const char *p = next; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return HOME;
	if (strncmp(next, "/staff/login", 12) == 0 || strncmp(next, "/staff/logout", 13) == 0)
		return HOME;
	return next;
}

static void login_page(http_request *req, int status, const char *email, const char *next,
		       const web_errors *errors)
{
	html_buf b = HTML_BUF_INIT;
	web_page_opts opts = {0};
	web_page_begin(req, &b, errors && errors->n ? "Error: Sign in" : "Sign in", &opts);
	html_raw(&b, "<div class=\"grid-row\"><div class=\"column-two-thirds\">");
	if (errors)
		web_error_summary(&b, errors);
	html_raw(&b, "<h1 class=\"heading-l\">Sign in</h1>"
		     "<p>Sign in to the complaints workspace with your work email address.</p>");
	staff_sso_buttons(req, &b, staff_safe_next(next));
	html_raw(&b, "<form method=\"post\" action=\"/staff/login\" novalidate>");
	web_csrf_field(req, &b);
	html_raw(&b, "<input type=\"hidden\" name=\"next\" value=\"");
	html_attr(&b, staff_safe_next(next));
	html_raw(&b, "\">");
	web_input(&b, &(web_field){.name = "email", .label = "Email address", .type = "email",
				   .autocomplete = "username", .value = email,
				   .error = errors ? web_errors_for(errors, "email") : NULL,
				   .maxlength = MODEL_SHORT_MAX});
	web_input(&b, &(web_field){.name = "password", .label = "Password", .type = "password",
				   .autocomplete = "current-password",
				   .error = errors ? web_errors_for(errors, "password") : NULL});
	html_raw(&b, "<button type=\"submit\" class=\"button\">Sign in</button></form>"
		     "<p>Forgotten your password? Ask your administrator to reset it.</p>"
		     "</div></div>");
	web_page_end(req, &b);
	web_html(req, status, &b);
}

void staff_login_form(http_request *req)
{
	if (req->who) {
		web_redirect(req, staff_safe_next(http_query(req, "next")));
		return;
	}
	login_page(req, 200, NULL, http_query(req, "next"), NULL);
}

/* "1 minute", "3 minutes": seconds rounded up to whole minutes. */
static const char *minutes(http_request *req, int seconds)
{
	int m = (seconds + 59) / 60;
	return arena_printf(req->arena, "%d minute%s", m, m == 1 ? "" : "s");
}

static void login_done(http_request *req, api_sign_in_result result, int retry_after)
{
	const char *email = web_form(req, "email");
	const char *next = web_form(req, "next");
	web_errors errors = {0};
	char message[200];
	switch (result) {
	case API_SIGN_IN_OK:
		/* An organisation that requires a second factor: set it up first. */
		web_redirect(req, req->who && req->who->must_enrol ? "/staff/account"
								     : staff_safe_next(next));
		return;
	case API_SIGN_IN_CODE_NEEDED:
		web_redirect(req, arena_printf(req->arena, "/staff/login/code?next=%s",
					       web_url_encode(req, staff_safe_next(next))));
		return;
	case API_SIGN_IN_WRONG:
		web_errors_add(&errors, "email", "The email address or password is not right");
		login_page(req, 401, email, next, &errors);
		return;
	case API_SIGN_IN_SSO_ONLY:
		web_errors_add(&errors, "email", "Your organisation has turned password sign-in "
			       "off: use its sign-in button above");
		login_page(req, 403, email, next, &errors);
		return;
	case API_SIGN_IN_ENROL_NEEDED:
	case API_SIGN_IN_EXPIRED:
		web_redirect(req, "/staff/login");
		return;
	case API_SIGN_IN_SLOWED:
		snprintf(message, sizeof message, "There have been too many failed sign-ins to this "
			 "account from here. Wait %s before trying again", minutes(req, retry_after));
		break;
	case API_SIGN_IN_THROTTLED:
		snprintf(message, sizeof message, "There have been too many failed sign-ins from "
			 "this address. Wait %s before trying again", minutes(req, retry_after));
		break;
	case API_SIGN_IN_FAILED:
		return;
	}
	req->retry_after = retry_after;
	web_errors_add(&errors, "email", arena_strdup(req->arena, message));
	login_page(req, 429, email, next, &errors);
}

void staff_login(http_request *req)
{
	const char *email = web_form(req, "email");
	const char *password = web_form(req, "password");
	const char *next = web_form(req, "next");
	web_errors errors = {0};
	if (!email || !*email)
		web_errors_add(&errors, "email", "Enter your email address");
	else if (strlen(email) > MODEL_SHORT_MAX)
		web_errors_add(&errors, "email", "Email address must be 200 characters or fewer");
	if (!password || !*password)
		web_errors_add(&errors, "password", "Enter your password");
	else if (strlen(password) > STORE_PASSWORD_MAX)
		web_errors_add(&errors, "password", "Password must be 1024 characters or fewer");
	if (errors.n) {
		login_page(req, 422, email, next, &errors);
		return;
	}
	api_sign_in(req, email, password, NULL, API_SIGN_IN_PAGE, login_done);
}

/* ---- the second factor's page ------------------------------------------------------ */

static void code_page(http_request *req, int status, const char *next, const web_errors *errors)
{
	html_buf b = HTML_BUF_INIT;
	web_page_opts opts = {0};
	web_page_begin(req, &b, errors && errors->n ? "Error: Enter your code" : "Enter your code",
		       &opts);
	html_raw(&b, "<div class=\"grid-row\"><div class=\"column-two-thirds\">");
	if (errors)
		web_error_summary(&b, errors);
	html_raw(&b, "<h1 class=\"heading-l\">Enter your code</h1>"
		     "<p>Enter the 6-digit code your authenticator app shows for this account. "
		     "Lost your phone? Enter one of your recovery codes instead.</p>"
		     "<form method=\"post\" action=\"/staff/login/code\" novalidate>");
	web_csrf_field(req, &b);
	html_raw(&b, "<input type=\"hidden\" name=\"next\" value=\"");
	html_attr(&b, staff_safe_next(next));
	html_raw(&b, "\">");
	web_input(&b, &(web_field){.name = "code", .label = "Code", .autocomplete = "one-time-code",
				   .width_class = "w-20", .maxlength = STORE_RECOVERY_TEXT_MAX,
				   .error = errors ? web_errors_for(errors, "code") : NULL});
	html_raw(&b, "<button type=\"submit\" class=\"button\">Sign in</button></form>"
		     "<p><a href=\"/staff/login\">Start again</a></p></div></div>");
	web_page_end(req, &b);
	web_html(req, status, &b);
}

/* The challenge cookie, forgotten once it has served (or expired). */
static void forget_challenge(http_request *req)
{
	http_set_cookie(req, arena_printf(req->arena, API_CHALLENGE_COOKIE "=; Path=/staff/login; "
					  "Max-Age=0; HttpOnly; SameSite=Strict%s",
					  req->secure ? "; Secure" : ""));
}

void staff_login_code_form(http_request *req)
{
	if (req->who) {
		web_redirect(req, staff_safe_next(http_query(req, "next")));
		return;
	}
	if (!http_cookie(req, API_CHALLENGE_COOKIE)) {
		web_redirect(req, "/staff/login");
		return;
	}
	code_page(req, 200, http_query(req, "next"), NULL);
}

static void code_done(http_request *req, api_sign_in_result result, int retry_after)
{
	const char *next = web_form(req, "next");
	web_errors errors = {0};
	switch (result) {
	case API_SIGN_IN_OK:
		forget_challenge(req);
		web_redirect(req, staff_safe_next(next));
		return;
	case API_SIGN_IN_WRONG:
		web_errors_add(&errors, "code", "The code is not right, or has been used already");
		code_page(req, 401, next, &errors);
		return;
	case API_SIGN_IN_SLOWED:
	case API_SIGN_IN_THROTTLED:
		req->retry_after = retry_after;
		web_errors_add(&errors, "code", arena_printf(req->arena,
			       "There have been too many failed sign-ins. Wait %s before trying "
			       "again", minutes(req, retry_after)));
		code_page(req, 429, next, &errors);
		return;
	case API_SIGN_IN_EXPIRED:
	case API_SIGN_IN_CODE_NEEDED:
	case API_SIGN_IN_ENROL_NEEDED:
	case API_SIGN_IN_SSO_ONLY:
		forget_challenge(req);
		web_errors_add(&errors, "email", "Your sign-in has expired: enter your email address "
			       "and password again");
		login_page(req, 401, NULL, next, &errors);
		return;
	case API_SIGN_IN_FAILED:
		return;
	}
}

void staff_login_code(http_request *req)
{
	const char *code = web_form(req, "code");
	web_errors errors = {0};
	if (!code || !*code)
		web_errors_add(&errors, "code", "Enter the code your app shows");
	else if (strlen(code) > MODEL_SHORT_MAX)
		web_errors_add(&errors, "code", "Code must be 200 characters or fewer");
	if (errors.n) {
		code_page(req, 422, web_form(req, "next"), &errors);
		return;
	}
	/* Spaces as an app groups the digits ("123 456") are not part of the code. */
	char *typed = arena_strdup(req->arena, code), *out = typed;
	for (const char *p = code; *p; p++)
		if (*p != ' ')
			*out++ = *p;
	*out = '\0';
	api_sign_in_code(req, http_cookie(req, API_CHALLENGE_COOKIE), typed, code_done);
}

void staff_logout(http_request *req)
{
	fh_error err = {0};
	const char *end_session = NULL, *id_token = NULL;
	if (req->who->session_id &&
	    (store_sso_session(req->st, req->who->session_id, req->arena, &end_session, &id_token,
			       &err) ||
	     store_session_end(req->st, req->who->session_id, req->who->user.email, &err))) {
		http_fail(req, &err);
		return;
	}
	req->set_cookie = arena_printf(req->arena,
		"fh_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict%s",
		req->secure ? "; Secure" : "");
	/* A session begun at the organisation's provider ends there too, where it
	 * offers that (RP-initiated logout; docs/sso.md). */
	const char *away = end_session ? staff_sso_logout_url(req, end_session, id_token) : NULL;
	if (away)
		staff_sso_moving_on(req, "Signed out", away);
	else
		web_redirect(req, "/staff/login");
}
