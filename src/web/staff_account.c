/*
 * staff_account.c: "Your account", where someone signed in sets up,
 * renews and turns off their second factor (docs/security.md, "Second
 * factor").
 *
 *   GET  /staff/account                                 the state, and the
 *        set-up panel (QR code, key as text, code form) while one is begun
 *   POST /staff/account/second-factor/setup             begin: a new key
 *   POST /staff/account/second-factor/confirm           a code of it: enrolled,
 *        and the ten recovery codes shown on the answer, once
 *   POST /staff/account/second-factor/recovery-codes    ten new codes, for a code
 *   POST /staff/account/second-factor/disable           off, for a code (not
 *        where an organisation requires one)
 *
 * The QR code is drawn here, as inline SVG from libqrencode's modules: no
 * script, no other site sees the key.  The key is shown only while it is
 * being set up; once confirmed no page shows it again.  A session that may
 * only enrol (its organisation requires a second factor) reaches these
 * pages and signing out, nothing else (routes.c).  Every change is the
 * store's, with its audit event; the forms carry the session's CSRF token.
 */
#include "web_staff.h"

#include <string.h>
#include <time.h>

#include <qrencode.h>
#include <sodium.h>

#include "authz.h"
#include "model.h"
#include "store_totp.h"
#include "web.h"

#define ACCOUNT "/staff/account"

/* The module matrix of text as an SVG image, a quiet zone of four modules round it. */
static bool qr_svg(html_buf *b, fh_arena *arena, const char *text)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr)
		return false;
	int w = qr->width, size = w + 8;
	html_raw(b, arena_printf(arena, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr-code\" "
				 "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
				 "aria-label=\"QR code for your authenticator app\">"
				 "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
				 size, size, size * 5, size * 5, size, size));
	for (int y = 0; y < w; y++) {
		for (int x = 0; x < w;) {
			if (!(qr->data[y * w + x] & 1)) {
				x++;
				continue;
			}
			int run = 1;
			while (x + run < w && (qr->data[y * w + x + run] & 1))
				run++;
			html_raw(b, arena_printf(arena, "M%d %dh%dv1h-%dz", x + 4, y + 4, run, run));
			x += run;
		}
	}
	html_raw(b, "\"/></svg>");
	QRcode_free(qr);
	return true;
}

/* The issuer an app shows beside the code: the user's (first) organisation's name. */
static const char *issuer(http_request *req)
{
	fh_org org;
	fh_error err = {0};
	if (req->who->user.n_grants &&
	    !store_org_get(req->st, req->who->user.grants[0].org_code, req->arena, &org, &err))
		return org.name;
	return "Fairhearing";
}

/* The set-up panel: the key as a QR code and as text, and the code that confirms it. */
static bool setup_panel(http_request *req, html_buf *b, const uint8_t secret[],
			const web_errors *errors)
{
	char key[STORE_TOTP_BASE32_MAX];
	if (!store_totp_base32(secret, STORE_TOTP_SECRET_BYTES, key, sizeof key))
		return false;
	const char *name = issuer(req);
	const char *uri = arena_printf(req->arena,
		"otpauth://totp/%s:%s?secret=%s&issuer=%s&algorithm=SHA1&digits=%d&period=%d",
		web_url_encode(req, name), web_url_encode(req, req->who->user.email), key,
		web_url_encode(req, name), STORE_TOTP_DIGITS, STORE_TOTP_STEP_SECONDS);
	html_raw(b, "<h2 class=\"heading-m\">Set up your authenticator app</h2><ol class=\"list "
		    "list-number\"><li>Open an authenticator app on your phone (for example "
		    "Microsoft Authenticator, Google Authenticator or FreeOTP) and add an "
		    "account.</li><li>Scan this QR code:</li></ol><p>");
	bool drawn = qr_svg(b, req->arena, uri);
	html_raw(b, "</p><p>If you cannot scan it, enter this key instead (time-based, "
		    "6 digits, every 30 seconds):</p><p class=\"copy-box\"><code>");
	html_text(b, key);
	sodium_memzero(key, sizeof key);
	html_raw(b, "</code></p><details><summary>The set-up link</summary><p class=\"copy-box\">"
		    "<code>");
	html_text(b, uri);
	html_raw(b, "</code></p></details><form method=\"post\" action=\"" ACCOUNT
		    "/second-factor/confirm\" novalidate>");
	web_csrf_field(req, b);
	web_input(b, &(web_field){.name = "code", .label = "The 6-digit code your app shows",
				  .autocomplete = "one-time-code", .inputmode = "numeric",
				  .width_class = "w-10", .maxlength = 6,
				  .error = errors ? web_errors_for(errors, "code") : NULL});
	html_raw(b, "<button type=\"submit\" class=\"button\">Turn on the second factor</button>"
		    "</form>");
	return drawn;
}

/* A form with one code field: renewing recovery codes, or turning the factor off. */
static void code_form(http_request *req, html_buf *b, const char *action, const char *label,
		      const char *button, bool secondary, const web_errors *errors,
		      const char *field)
{
	html_raw(b, "<form method=\"post\" action=\"");
	html_attr(b, action);
	html_raw(b, "\" novalidate>");
	web_csrf_field(req, b);
	web_input(b, &(web_field){.name = field, .label = label, .autocomplete = "one-time-code",
				  .inputmode = "numeric", .width_class = "w-10", .maxlength = 6,
				  .error = errors ? web_errors_for(errors, field) : NULL});
	html_raw(b, secondary ? "<button type=\"submit\" class=\"button button-secondary\">"
			      : "<button type=\"submit\" class=\"button\">");
	html_text(b, button);
	html_raw(b, "</button></form>");
}

static void account_page(http_request *req, int status, const web_errors *errors,
			 char codes[][STORE_RECOVERY_TEXT_MAX], const char *done)
{
	store_totp_state tf;
	bool required = false;
	fh_error err = {0};
	int64_t uid = req->who->user.user_id;
	fh_status s = store_totp_get(req->st, uid, &tf, &err);
	if (!s)
		s = store_second_factor_required(req->st, uid, &required, &err);
	if (s) {
		http_fail(req, &err);
		return;
	}
	html_buf b = HTML_BUF_INIT;
	staff_page_begin(req, &b, errors && errors->n ? "Error: Your account" : "Your account",
			 ACCOUNT);
	html_raw(&b, "<div class=\"grid-row\"><div class=\"column-two-thirds\">");
	if (errors)
		web_error_summary(&b, errors);
	html_raw(&b, "<h1 class=\"heading-l\">Your account</h1><p>Signed in as ");
	html_text(&b, req->who->user.email);
	html_raw(&b, ".</p>");
	if (done) {
		html_raw(&b, "<div class=\"notice\" role=\"status\"><p>");
		html_text(&b, done);
		html_raw(&b, "</p></div>");
	}
	if (codes) {
		html_raw(&b, "<div class=\"notice\" role=\"status\"><h2 class=\"heading-m\">Your "
			     "recovery codes</h2><p>Keep these somewhere safe, apart from your "
			     "phone: each lets you sign in once without your app. They are shown "
			     "only this once.</p><ul class=\"list recovery-codes\">");
		for (int i = 0; i < STORE_RECOVERY_CODES; i++) {
			html_raw(&b, "<li><code>");
			html_text(&b, codes[i]);
			html_raw(&b, "</code></li>");
		}
		html_raw(&b, "</ul></div>");
	}
	html_raw(&b, "<h2 class=\"heading-m\">Second factor</h2>");
	if (req->who->must_enrol && !tf.enrolled)
		html_raw(&b, "<p class=\"notice\">Your organisation requires a second factor for "
			     "signing in with a password. Set one up to go on.</p>");
	if (tf.enrolled) {
		html_raw(&b, "<p>A second factor is on: signing in with your password also asks "
			     "for a code from your authenticator app.</p><p>");
		html_text(&b, arena_printf(req->arena, "You have %d unused recovery code%s.",
					   tf.recovery_left, tf.recovery_left == 1 ? "" : "s"));
		html_raw(&b, "</p><h3 class=\"heading-s\">New recovery codes</h3><p>All your old "
			     "recovery codes stop working.</p>");
		code_form(req, &b, ACCOUNT "/second-factor/recovery-codes",
			  "The 6-digit code your app shows", "Make new recovery codes", false,
			  errors, "code");
		if (required) {
			html_raw(&b, "<p>Your organisation requires a second factor, so it cannot be "
				     "turned off. If you lose your phone, ask your administrator to "
				     "reset it.</p>");
		} else {
			html_raw(&b, "<h3 class=\"heading-s\">Turn it off</h3>");
			code_form(req, &b, ACCOUNT "/second-factor/disable",
				  "The 6-digit code your app shows", "Turn off the second factor",
				  true, errors, "disable_code");
		}
	} else if (tf.pending) {
		bool drawn = setup_panel(req, &b, tf.secret, errors);
		sodium_memzero(tf.secret, sizeof tf.secret);
		if (!drawn) {
			html_buf_free(&b);
			web_failure_page(req);
			return;
		}
	} else {
		html_raw(&b, "<p>You have not set up a second factor. With one, signing in with "
			     "your password also asks for a 6-digit code from an authenticator app "
			     "on your phone, so a stolen password is not enough.</p>"
			     "<form method=\"post\" action=\"" ACCOUNT "/second-factor/setup\">");
		web_csrf_field(req, &b);
		html_raw(&b, "<button type=\"submit\" class=\"button\">Set up a second factor"
			     "</button></form>");
	}
	sodium_memzero(tf.secret, sizeof tf.secret);
	if (!req->who->must_enrol)
		html_raw(&b, "<h2 class=\"heading-m\">API tokens</h2><p><a href=\"/staff/tokens\">"
			     "Your API tokens</a>: they act without a second factor, so keep them "
			     "as you would a password.</p>");
	html_raw(&b, "</div></div>");
	web_page_end(req, &b);
	web_html(req, status, &b);
}

void staff_account(http_request *req)
{
	account_page(req, 200, NULL, NULL, NULL);
}

void staff_totp_setup(http_request *req)
{
	uint8_t secret[STORE_TOTP_SECRET_BYTES];
	store_totp_secret_new(secret);
	fh_error err = {0};
	fh_status s = store_totp_begin(req->st, req->who->user.user_id, secret, time(NULL), &err);
	sodium_memzero(secret, sizeof secret);
	if (s == FH_ECONFLICT) {
		web_redirect(req, ACCOUNT);
		return;
	}
	if (s) {
		http_fail(req, &err);
		return;
	}
	web_redirect(req, ACCOUNT);
}

/* A store refusal of a code as the page's error on field; false when it is no such refusal. */
static bool code_refused(http_request *req, fh_status s, const fh_error *err, const char *field)
{
	if (s != FH_EINVAL && s != FH_ECONFLICT)
		return false;
	web_errors errors = {0};
	web_errors_add(&errors, field,
		       s == FH_EINVAL ? arena_printf(req->arena, "The code %s", err->message)
				      : arena_strdup(req->arena, err->message));
	account_page(req, 422, &errors, NULL, NULL);
	return true;
}

/* The code field as typed, with spaces taken out; NULL (and the page) when it is empty. */
static const char *typed_code(http_request *req, const char *field)
{
	const char *typed = web_form(req, field);
	char *code = arena_strdup(req->arena, typed ? typed : "");
	char *out = code;
	for (const char *p = code; *p; p++)
		if (*p != ' ')
			*out++ = *p;
	*out = '\0';
	if (!*code || strlen(code) > MODEL_SHORT_MAX) {
		web_errors errors = {0};
		web_errors_add(&errors, field, "Enter the 6-digit code your app shows");
		account_page(req, 422, &errors, NULL, NULL);
		return NULL;
	}
	return code;
}

void staff_totp_confirm(http_request *req)
{
	const char *code = typed_code(req, "code");
	if (!code)
		return;
	store_recovery_codes codes;
	fh_error err = {0};
	const char *me = req->who->user.email;
	fh_status s = store_totp_confirm(req->st, req->who->user.user_id, code, time(NULL), me,
					 codes, &err);
	if (code_refused(req, s, &err, "code"))
		return;
	if (s) {
		http_fail(req, &err);
		return;
	}
	req->who->must_enrol = false;
	account_page(req, 200, NULL, codes, "Your second factor is on.");
	sodium_memzero(codes, sizeof codes);
}

void staff_totp_recovery(http_request *req)
{
	const char *code = typed_code(req, "code");
	if (!code)
		return;
	store_recovery_codes codes;
	fh_error err = {0};
	const char *me = req->who->user.email;
	fh_status s = store_totp_recovery_renew(req->st, req->who->user.user_id, code, time(NULL),
						me, codes, &err);
	if (code_refused(req, s, &err, "code"))
		return;
	if (s) {
		http_fail(req, &err);
		return;
	}
	account_page(req, 200, NULL, codes, "Your old recovery codes no longer work.");
	sodium_memzero(codes, sizeof codes);
}

void staff_totp_disable(http_request *req)
{
	const char *code = typed_code(req, "disable_code");
	if (!code)
		return;
	fh_error err = {0};
	const char *me = req->who->user.email;
	fh_status s = store_totp_disable(req->st, req->who->user.user_id, code, time(NULL), me,
					 &err);
	if (code_refused(req, s, &err, "disable_code"))
		return;
	if (s) {
		http_fail(req, &err);
		return;
	}
	account_page(req, 200, NULL, NULL, "Your second factor is off.");
}
