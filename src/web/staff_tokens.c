/*
 * staff_tokens.c: "Your API tokens", where someone signed in lists, makes
 * and revokes their own API tokens.
 *
 *   GET  /staff/tokens               the list (never a secret: only a digest
 *                                    is kept) and the form for a new one
 *   POST /staff/tokens               make one; the token is shown on the
 *                                    answer, once, never again
 *   POST /staff/tokens/{id}/revoke   revoke one of one's own, at once
 *
 * A token acts with its owner's roles and no more, so anyone signed in may
 * make their own; a token of scope "feed" can read only their deadlines
 * feed, which is what a calendar app should hold.  Every change is the
 * store's, with its audit event; the forms carry the session's CSRF token
 * (checked by dispatch before these run).  The answer that shows a token is
 * never cached (the server's default Cache-Control is no-store).
 */
#include "web_staff.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "authz.h"
#include "date.h"
#include "model.h"
#include "store_auth.h"
#include "web.h"

static const web_option SCOPES[] = {
	{"feed", "Calendar feed only",
	 "Reads your deadlines feed and nothing else: the one to give a calendar app"},
	{"api", "Full API access", "Acts as you, with all your roles, through the API"},
};

/* The expiry a form asks for: the end of DATE (UTC), or the default. */
static bool form_expiry(const char *text, time_t now, time_t *expires)
{
	if (!text || !*text) {
		*expires = now + (time_t)STORE_TOKEN_DAYS_DEFAULT * 86400;
		return true;
	}
	fh_date d;
	if (!date_parse(text, &d))
		return false;
	*expires = ((time_t)d + 1) * 86400;
	return true;
}

static const char *day_of(http_request *req, const char *stamp)
{
	if (!stamp)
		return "never";
	return arena_strndup(req->arena, stamp, 10);
}

static void tokens_page(http_request *req, int status, const web_errors *errors,
			const char *made, store_token_scope made_scope)
{
	fh_arena *a = req->arena;
	html_buf b = HTML_BUF_INIT;
	staff_page_begin(req, &b, errors && errors->n ? "Error: Your API tokens" : "Your API tokens",
			 "/staff/tokens");
	html_raw(&b, "<div class=\"grid-row\"><div class=\"column-two-thirds\">");
	if (errors)
		web_error_summary(&b, errors);
	html_raw(&b, "<h1 class=\"heading-l\">Your API tokens</h1>");
	if (made) {
		html_raw(&b, "<div class=\"notice\" role=\"status\"><h2 class=\"heading-m\">"
			     "Your new token</h2><p>Copy it now: it is shown only this once, and "
			     "cannot be shown again.</p><p class=\"copy-box\"><code>");
		html_text(&b, made);
		html_raw(&b, "</code></p>");
		if (made_scope == STORE_SCOPE_FEED) {
			const char *host = http_header(req, "Host");
			html_raw(&b, "<p>Subscribe your calendar app to:</p><p class=\"copy-box\">"
				     "<code>");
			html_text(&b, arena_printf(a, "%s://%s/api/v1/calendar/deadlines.ics?token=%s",
						   req->secure ? "https" : "http",
						   host && *host ? host : "SERVER", made));
			html_raw(&b, "</code></p>");
		}
		html_raw(&b, "</div>");
	}
	store_token_info *rows = NULL;
	size_t n = 0;
	fh_error err = {0};
	if (store_token_list(req->st, req->who->user.email, a, &rows, &n, &err)) {
		html_buf_free(&b);
		http_fail(req, &err);
		return;
	}
	char now[21];
	store_iso_time(time(NULL), now);
	if (!n) {
		html_raw(&b, "<p>You have no API tokens.</p>");
	} else {
		html_raw(&b, "<table class=\"table\"><caption class=\"visually-hidden\">Your API tokens"
			     "</caption><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">"
			     "Scope</th><th scope=\"col\">Made</th><th scope=\"col\">Last used</th>"
			     "<th scope=\"col\">Expires</th><th scope=\"col\">State</th></tr></thead>"
			     "<tbody>");
		for (size_t i = 0; i < n; i++) {
			const store_token_info *t = &rows[i];
			bool expired = t->expires_at && strcmp(t->expires_at, now) <= 0;
			html_raw(&b, "<tr><td>");
			html_text(&b, t->name[0] ? t->name : "(no name)");
			html_raw(&b, "</td><td>");
			html_text(&b, !strcmp(t->scope, "feed") ? "Calendar feed only" : "Full API");
			html_raw(&b, "</td><td>");
			html_text(&b, day_of(req, t->created_at));
			html_raw(&b, "</td><td>");
			html_text(&b, day_of(req, t->last_used_at));
			html_raw(&b, "</td><td>");
			html_text(&b, day_of(req, t->expires_at));
			html_raw(&b, "</td><td>");
			if (t->revoked_at) {
				html_text(&b, arena_printf(a, "Revoked %s", day_of(req, t->revoked_at)));
			} else if (expired) {
				html_raw(&b, "Expired");
			} else {
				html_raw(&b, "<form method=\"post\" action=\"");
				html_attr(&b, arena_printf(a, "/staff/tokens/%lld/revoke",
							   (long long)t->id));
				html_raw(&b, "\">");
				web_csrf_field(req, &b);
				html_raw(&b, "<button type=\"submit\" class=\"button button-secondary\">"
					     "Revoke<span class=\"visually-hidden\"> ");
				html_text(&b, t->name);
				html_raw(&b, "</span></button></form>");
			}
			html_raw(&b, "</td></tr>");
		}
		html_raw(&b, "</tbody></table>");
	}
	html_raw(&b, "<h2 class=\"heading-m\">Make a token</h2><form method=\"post\" "
		     "action=\"/staff/tokens\" novalidate>");
	web_csrf_field(req, &b);
	web_input(&b, &(web_field){.name = "name", .label = "What it is for",
				   .hint = "For example: Outlook calendar, case import",
				   .value = made ? NULL : web_form(req, "name"),
				   .error = errors ? web_errors_for(errors, "name") : NULL,
				   .maxlength = MODEL_SHORT_MAX});
	web_radios(&b, &(web_field){.name = "scope", .label = "What it may do",
				    .options = SCOPES, .n_options = 2,
				    .value = made ? "feed" : web_form(req, "scope"),
				    .error = errors ? web_errors_for(errors, "scope") : NULL});
	web_input(&b, &(web_field){.name = "expires", .label = "Last day it works",
				   .hint = arena_printf(a, "YYYY-MM-DD, at most %d days ahead. Leave "
							"empty for %d days from today.",
							STORE_TOKEN_DAYS_MAX,
							STORE_TOKEN_DAYS_DEFAULT),
				   .optional = true, .width_class = "w-10",
				   .value = made ? NULL : web_form(req, "expires"),
				   .error = errors ? web_errors_for(errors, "expires") : NULL});
	html_raw(&b, "<button type=\"submit\" class=\"button\">Make the token</button></form>"
		     "<p>Revoking a token stops it at once, on every server. Whoever holds a "
		     "token can do what its scope allows as you: keep it as you would a "
		     "password.</p></div></div>");
	web_page_end(req, &b);
	web_html(req, status, &b);
}

void staff_tokens(http_request *req)
{
	tokens_page(req, 200, NULL, NULL, STORE_SCOPE_API);
}

void staff_token_create(http_request *req)
{
	const char *name = web_form(req, "name");
	const char *scope_text = web_form(req, "scope");
	const char *expires_text = web_form(req, "expires");
	web_errors errors = {0};
	store_token_scope scope = STORE_SCOPE_FEED;
	time_t now = time(NULL), expires = 0;
	if (!name || !*name)
		web_errors_add(&errors, "name", "Enter what the token is for");
	else if (strlen(name) > MODEL_SHORT_MAX)
		web_errors_add(&errors, "name", "What it is for must be 200 characters or fewer");
	if (!store_token_scope_parse(scope_text, &scope))
		web_errors_add(&errors, "scope", "Choose what the token may do");
	if (!form_expiry(expires_text, now, &expires))
		web_errors_add(&errors, "expires", "Last day it works must be a date, YYYY-MM-DD");
	else if (expires <= now)
		web_errors_add(&errors, "expires", "Last day it works must be today or later");
	else if (expires - now > (time_t)STORE_TOKEN_DAYS_MAX * 86400)
		web_errors_add(&errors, "expires",
			       arena_printf(req->arena, "Last day it works must be at most %d days "
					    "ahead", STORE_TOKEN_DAYS_MAX));
	char token[STORE_TOKEN_TEXT_MAX];
	uint8_t hash[STORE_TOKEN_HASH_BYTES];
	fh_error err = {0};
	if (!errors.n) {
		store_token_new(scope == STORE_SCOPE_FEED ? "fhf_" : "fht_", token, hash);
		fh_status s = store_token_create(req->st, req->who->user.email, name, scope, expires,
						 now, hash, req->who->user.email, NULL, &err);
		if (s == FH_EINVAL && !strcmp(err.field, "expires")) {
			web_errors_add(&errors, "expires",
				       arena_printf(req->arena, "Last day it works %s", err.message));
		} else if (s) {
			sodium_memzero(token, sizeof token);
			http_fail(req, &err);
			return;
		}
	}
	if (errors.n) {
		tokens_page(req, 422, &errors, NULL, scope);
		return;
	}
	const char *shown = arena_strdup(req->arena, token);
	sodium_memzero(token, sizeof token);
	tokens_page(req, 201, NULL, shown, scope);
}

void staff_token_revoke(http_request *req)
{
	int64_t id = req->ids[0];
	fh_error err = {0};
	fh_status s = !id
		? error_set(&err, FH_ENOTFOUND, "id", NULL, "no such token")
		: store_token_revoke(req->st, id, req->who->user.email, req->who->user.email,
				     time(NULL), &err);
	if (s && s != FH_ECONFLICT) {
		http_fail(req, &err);
		return;
	}
	web_redirect(req, "/staff/tokens");
}
