/*
 * staff_admin.c: an organisation's administration: its own settings (as
 * its file says them), users, teams, procedures and closure days (DESIGN
 * "Administrators").
 *
 * Every page here is under /staff/admin/{org}/ and its route's rule is
 * "administrator in this organisation" (the one authorisation check), so an
 * administrator of one organisation cannot see another's.  Each change is
 * the store function the command line uses (store_user_create and
 * store_user_grant, store_user_set_disabled, store_user_set_password,
 * store_team_create, store_procedure_install, store_calendar_closure_add
 * and _remove, store_user_set_independent), each one transaction with its
 * audit event.
 *
 * A user who also holds roles in another organisation is not disabled or
 * given a new password from here: that would reach into an organisation
 * this administrator does not run.
 */
#include "staff_forms.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "api.h"
#include "authz.h"
#include "calendar.h"
#include "date.h"
#include "orgfile.h"
#include "procedure.h"
#include "server.h"
#include "store_auth.h"
#include "store_sso.h"
#include "store_totp.h"
#include "store_calendar.h"
#include "store_lifecycle.h"
#include "store_orgfile.h"
#include "timescale.h"
#include "web.h"

#define ORG (req->params[0])

static const char *admin_path(http_request *req, const char *section)
{
	return arena_printf(req->arena, "/staff/admin/%s/%s", ORG, section);
}

static void begin(http_request *req, html_buf *b, const char *title, bool error)
{
	staff_page_begin(req, b, arena_printf(req->arena, "%s%s: %s", error ? "Error: " : "",
					      title, ORG), "/staff/admin");
	html_raw(b, "<a class=\"back-link\" href=\"/staff/admin\">Administration</a>"
		    "<span class=\"caption\">");
	html_text(b, ORG);
	html_raw(b, "</span><h1>");
	html_text(b, title);
	html_raw(b, "</h1>");
}

static void form_open(http_request *req, html_buf *b, const char *action, bool upload)
{
	html_raw(b, "<form method=\"post\" novalidate action=\"");
	html_attr(b, action);
	html_raw(b, upload ? "\" enctype=\"multipart/form-data\">" : "\">");
	web_csrf_field(req, b);
}

static void done_notice(http_request *req, html_buf *b)
{
	const char *done = http_query(req, "done");
	static const char *const known[][2] = {
		{"user", "The user was added."}, {"disabled", "The account was disabled."},
		{"enabled", "The account was enabled."},
		{"independent", "The user is marked independent of the organisation."},
		{"not_independent", "The user is no longer marked independent of the organisation."},
		{"password", "The password was set; their sessions have ended."},
		{"team", "The team was added."}, {"procedure", "The procedure was installed."},
		{"unchanged", "That procedure is installed already: nothing changed."},
		{"closure", "The closure day was added."}, {"removed", "The closure day was removed."},
		{"sso", "Single sign-on was saved."}, {"sso_removed", "Single sign-on was removed."},
		{"organisation", "The organisation's settings were saved."},
		{"second_factor", "The second factor was reset: they set up a new one when they "
				  "next sign in, if the organisation requires one."},
	};
	for (size_t i = 0; done && i < sizeof known / sizeof known[0]; i++)
		if (strcmp(done, known[i][0]) == 0) {
			html_raw(b, "<div class=\"notice\" role=\"status\"><p><strong>");
			html_text(b, known[i][1]);
			html_raw(b, "</strong></p></div>");
		}
}

/* An fh_error from the store as the form's error on its field (or first). */
static void store_error(http_request *req, web_errors *e, const fh_error *err,
			const char *const *fields, const char *fallback)
{
	const char *field = fallback;
	for (size_t i = 0; fields[i]; i++)
		if (strcmp(fields[i], err->field) == 0)
			field = fields[i];
	web_errors_add(e, field, arena_printf(req->arena, "%s%s%s", err->message,
					      err->source[0] ? " " : "", err->source));
}

static bool is_failure(fh_status s)
{
	return s != FH_EINVAL && s != FH_ECONFLICT && s != FH_ENOTFOUND && s != FH_ERULE;
}

/* ---- the landing page ---------------------------------------------------------- */

void staff_admin(http_request *req)
{
	html_buf b = HTML_BUF_INIT;
	staff_page_begin(req, &b, "Administration", "/staff/admin");
	html_raw(&b, "<h1>Administration</h1>");
	const char *seen[16] = {0};
	size_t n_seen = 0;
	for (size_t i = 0; i < req->who->user.n_grants && n_seen < 16; i++) {
		const store_grant *g = &req->who->user.grants[i];
		bool dup = false;
		for (size_t k = 0; k < n_seen; k++)
			dup |= strcmp(seen[k], g->org_code) == 0;
		if (dup || !(authz_role_bit(g->role) & AUTHZ_ADMINISTRATOR))
			continue;
		seen[n_seen++] = g->org_code;
		html_raw(&b, "<h2>");
		html_text(&b, g->org_code);
		html_raw(&b, "</h2><ul>");
		static const char *const sections[][2] = {
			{"organisation", "Organisation"}, {"users", "Users"}, {"teams", "Teams"},
			{"procedures", "Procedures"},
			{"closures", "Closure days"}, {"retention", "Retention"},
			{"sso", "Single sign-on"}};
		for (size_t k = 0; k < sizeof sections / sizeof sections[0]; k++) {
			html_raw(&b, "<li><a href=\"/staff/admin/");
			html_attr(&b, g->org_code);
			html_raw(&b, "/");
			html_raw(&b, sections[k][0]);
			html_raw(&b, "\">");
			html_text(&b, sections[k][1]);
			html_raw(&b, "</a></li>");
		}
		html_raw(&b, "</ul>");
	}
	web_page_end(req, &b);
	web_html(req, 200, &b);
}

/* ---- users ------------------------------------------------------------------------ */

static void users_page(http_request *req, int status, const web_errors *errors)
{
	fh_user *users = NULL;
	size_t n = 0;
	fh_error err = {0};
	if (store_user_list(req->st, ORG, req->arena, &users, &n, &err)) {
		http_fail(req, &err);
		return;
	}
	fh_team *teams = NULL;
	size_t n_teams = 0;
	if (store_team_list(req->st, ORG, req->arena, &teams, &n_teams, &err)) {
		http_fail(req, &err);
		return;
	}
	bool posted = strcmp(req->method, "POST") == 0;
	html_buf b = HTML_BUF_INIT;
	begin(req, &b, "Users", errors->n);
	web_error_summary(&b, errors);
	done_notice(req, &b);
	html_raw(&b, "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Name</th>"
		     "<th scope=\"col\">Email</th><th scope=\"col\">Roles</th>"
		     "<th scope=\"col\">Account</th><th scope=\"col\">Change</th></tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		const fh_user *u = &users[i];
		html_raw(&b, "<tr><td>");
		html_text(&b, u->display_name);
		if (u->external)
			html_raw(&b, " <span class=\"muted\">(external)</span>");
		html_raw(&b, "</td><td>");
		html_text(&b, u->email);
		html_raw(&b, "</td><td>");
		for (size_t k = 0; k < u->n_roles; k++) {
			if (k)
				html_raw(&b, ", ");
			html_text(&b, staff_words(req, u->roles[k].role));
			if (u->roles[k].team) {
				html_raw(&b, " (");
				html_text(&b, u->roles[k].team);
				html_raw(&b, ")");
			}
		}
		html_raw(&b, "</td><td>");
		html_raw(&b, u->disabled ? "<span class=\"tag tag-grey\">Disabled</span>" : "Active");
		/* who may take the roles a procedure wants
		 * independent of the organisation (reg 19; 001 B Stage 2, 3) */
		bool independent = false;
		for (size_t k = 0; k < u->n_independent_of; k++)
			independent |= !strcmp(u->independent_of[k], ORG);
		if (independent)
			html_raw(&b, "<br><span class=\"tag\">Independent of the organisation</span>");
		store_totp_state tf;
		if (store_totp_get(req->st, u->id, &tf, &err))
			tf.enrolled = tf.pending = false;
		sodium_memzero(tf.secret, sizeof tf.secret);
		if (tf.enrolled)
			html_raw(&b, "<br><span class=\"tag\">Second factor on</span>");
		html_raw(&b, "</td><td>");
		const char *enc = web_url_encode(req, u->email);
		if (tf.enrolled || tf.pending) {
			form_open(req, &b, arena_printf(req->arena,
							"/staff/admin/%s/users/%s/second-factor/reset",
							ORG, enc), false);
			html_raw(&b, "<button type=\"submit\" class=\"button button-secondary "
				     "button-small\">Reset second factor<span class=\"visually-hidden\"> ");
			html_text(&b, u->email);
			html_raw(&b, "</span></button></form>");
		}
		form_open(req, &b, arena_printf(req->arena, "/staff/admin/%s/users/%s/independence",
						ORG, enc), false);
		html_raw(&b, "<input type=\"hidden\" name=\"independent\" value=\"");
		html_raw(&b, independent ? "false" : "true");
		html_raw(&b, "\"><button type=\"submit\" class=\"button button-secondary "
			     "button-small\">");
		html_raw(&b, independent ? "Not independent" : "Mark independent");
		html_raw(&b, "<span class=\"visually-hidden\"> ");
		html_text(&b, u->email);
		html_raw(&b, "</span></button></form>");
		form_open(req, &b, arena_printf(req->arena, "/staff/admin/%s/users/%s/disable", ORG,
						enc), false);
		html_raw(&b, "<input type=\"hidden\" name=\"disabled\" value=\"");
		html_raw(&b, u->disabled ? "false" : "true");
		html_raw(&b, "\"><button type=\"submit\" class=\"button button-secondary "
			     "button-small\">");
		html_raw(&b, u->disabled ? "Enable" : "Disable");
		html_raw(&b, "<span class=\"visually-hidden\"> ");
		html_text(&b, u->email);
		html_raw(&b, "</span></button></form></td></tr>");
	}
	html_raw(&b, "</tbody></table></div>");

	/* Reset a password: one form, the user chosen from a list. */
	web_option *who = arena_array(req->arena, n + 1, sizeof *who);
	who[0] = (web_option){"", "Choose someone", NULL};
	for (size_t i = 0; i < n; i++)
		who[i + 1] = (web_option){users[i].email, users[i].email, NULL};
	html_raw(&b, "<h2>Set a new password</h2>");
	form_open(req, &b, admin_path(req, "password"), false);
	web_select(&b, &(web_field){.name = "reset_email", .label = "User", .options = who,
				    .n_options = n + 1,
				    .error = web_errors_for(errors, "reset_email"),
				    .value = posted ? web_form(req, "reset_email") : NULL});
	web_input(&b, &(web_field){.name = "new_password", .label = "New password",
				   .hint = "At least 12 characters. Their sessions end at once.",
				   .type = "password", .autocomplete = "new-password",
				   .error = web_errors_for(errors, "new_password")});
	html_raw(&b, "<button type=\"submit\" class=\"button\">Set the password</button></form>");

	/* Add a user. */
	const char *const *roles = MODEL_USER_ROLES; /* core's, as the API checks them */
	size_t n_all = 0;
	while (roles[n_all])
		n_all++;
	web_option *role_opts = arena_array(req->arena, n_all + 2, sizeof *role_opts);
	role_opts[0] = (web_option){"", "Choose a role", NULL};
	size_t n_roles = 1;
	for (size_t i = 0; roles[i]; i++)
		role_opts[n_roles++] = (web_option){roles[i], staff_words(req, roles[i]), NULL};
	web_option *team_opts = arena_array(req->arena, n_teams + 1, sizeof *team_opts);
	team_opts[0] = (web_option){"", "The whole organisation", NULL};
	for (size_t i = 0; i < n_teams; i++)
		team_opts[i + 1] = (web_option){teams[i].name, teams[i].name, NULL};
	html_raw(&b, "<h2>Add a user</h2>");
	form_open(req, &b, admin_path(req, "users"), false);
	web_input(&b, &(web_field){.name = "email", .label = "Email address", .type = "email",
				   .autocomplete = "off", .error = web_errors_for(errors, "email"),
				   .value = posted ? web_form(req, "email") : NULL});
	web_input(&b, &(web_field){.name = "name", .label = "Name",
				   .error = web_errors_for(errors, "name"),
				   .value = posted ? web_form(req, "name") : NULL});
	web_select(&b, &(web_field){.name = "role", .label = "Role", .options = role_opts,
				    .n_options = n_roles, .error = web_errors_for(errors, "role"),
				    .value = posted ? web_form(req, "role") : NULL});
	web_select(&b, &(web_field){.name = "team", .label = "Team", .options = team_opts,
				    .n_options = n_teams + 1, .optional = true,
				    .error = web_errors_for(errors, "team"),
				    .value = posted ? web_form(req, "team") : NULL});
	static const web_option ext[] = {{"true", "External (an Independent Person or panel "
					  "member from outside the organisation)", NULL}};
	const char *checked[] = {"true"};
	const char *external = posted ? web_form(req, "external") : NULL;
	web_checkboxes(&b, &(web_field){.name = "external", .label = "External", .options = ext,
					.n_options = 1, .checked = checked,
					.n_checked = external && !strcmp(external, "true")});
	static const web_option ind[] = {{"true", "Independent of the organisation (neither a "
					  "member nor an officer of it): may be a statutory "
					  "Investigating Officer, Independent Person or Review "
					  "Panel member", NULL}};
	const char *independent = posted ? web_form(req, "independent") : NULL;
	web_checkboxes(&b, &(web_field){.name = "independent", .label = "Independence",
					.options = ind, .n_options = 1, .checked = checked,
					.n_checked = independent && !strcmp(independent, "true")});
	web_input(&b, &(web_field){.name = "password", .label = "First password",
				   .hint = "At least 12 characters; tell them in person",
				   .type = "password", .autocomplete = "new-password",
				   .error = web_errors_for(errors, "password")});
	html_raw(&b, "<button type=\"submit\" class=\"button\">Add the user</button></form>");
	web_page_end(req, &b);
	web_html(req, status, &b);
}

void staff_admin_users(http_request *req)
{
	web_errors errors = {0};
	users_page(req, 200, &errors);
}

/* Hashes a password the way sign-in checks it, within the server's limit of
 * password checks at once (each takes 64 MiB). */
static fh_status hash_password(http_request *req, const char *password,
			       char hash[STORE_PASSWORD_HASH_MAX], fh_error *err)
{
	if (strlen(password) > STORE_PASSWORD_MAX)
		return error_set(err, FH_EINVAL, "password", NULL, "is longer than %d characters",
				 STORE_PASSWORD_MAX);
	server_password_begin(req->srv);
	fh_status s = store_password_hash(password, hash, err);
	server_password_end(req->srv);
	return s;
}

void staff_admin_user_add(http_request *req)
{
	const char *email = web_form(req, "email");
	const char *name = web_form(req, "name");
	const char *role = web_form(req, "role");
	const char *team = web_form(req, "team");
	const char *password = web_form(req, "password");
	const char *external = web_form(req, "external");
	const char *independent = web_form(req, "independent");
	web_errors errors = {0};
	if (!email || !strchr(email, '@') || strlen(email) > MODEL_SHORT_MAX)
		web_errors_add(&errors, "email", "Enter an email address, like name@example.org");
	if (!name || !*name || strlen(name) > MODEL_SHORT_MAX)
		web_errors_add(&errors, "name", "Enter their name (200 characters or fewer)");
	if (!role || !model_is_one_of(MODEL_USER_ROLES, role))
		web_errors_add(&errors, "role", "Choose a role");
	if (!password || strlen(password) < STORE_PASSWORD_MIN)
		web_errors_add(&errors, "password", "Enter a password of at least 12 characters");
	char hash[STORE_PASSWORD_HASH_MAX];
	fh_error err = {0};
	if (!errors.n && hash_password(req, password, hash, &err))
		web_errors_add(&errors, "password", err.message);
	if (errors.n) {
		users_page(req, 422, &errors);
		return;
	}
	fh_user u = {.email = email, .display_name = name, .password_hash = hash,
		     .external = external && !strcmp(external, "true")};
	/* The account and its first role land together, or neither does.  The
	 * route is not one of the writer's (ROUTE_WRITES), so that the slow
	 * password hash above runs on this worker, not in everyone's batch:
	 * the change takes the write lock itself, as the API's does. */
	server_write_begin(req->srv);
	fh_status s = store_begin(req->st, &err);
	if (!s)
		s = store_user_create(req->st, &u, req->who->user.email, NULL, &err);
	if (!s)
		s = store_user_grant(req->st, email, ORG, role, team && *team ? team : NULL,
				     req->who->user.email, &err);
	s = api_user_create_end(req, email, ORG, independent && !strcmp(independent, "true"), s,
				hash, &err);
	if (s && is_failure(s)) {
		http_fail(req, &err);
		return;
	}
	if (s) {
		static const char *const fields[] = {"email", "name", "role", "team", NULL};
		if (s == FH_ECONFLICT)
			web_errors_add(&errors, "email", "There is already a user with this email address");
		else
			store_error(req, &errors, &err, fields, "email");
		users_page(req, 422, &errors);
		return;
	}
	web_redirect(req, arena_printf(req->arena, "%s?done=user", admin_path(req, "users")));
}

/*
 * The user named, when every role they hold is in this organisation; else
 * a 404 (not here) or 403 page (they also work elsewhere).
 */
static bool managed_here(http_request *req, const char *email)
{
	fh_user *users = NULL;
	size_t n = 0;
	fh_error err = {0};
	if (store_user_list(req->st, ORG, req->arena, &users, &n, &err)) {
		http_fail(req, &err);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (strcasecmp(users[i].email, email) != 0)
			continue;
		store_principal p;
		if (store_principal_get(req->st, users[i].id, req->arena, &p, &err)) {
			http_fail(req, &err);
			return false;
		}
		for (size_t k = 0; k < p.n_grants; k++)
			if (p.grants[k].org_id != req->org_id) {
				http_error(req, 403, "forbidden", "email",
					   "%s also holds roles in another organisation: an "
					   "administrator there must agree the change", email);
				return false;
			}
		return true;
	}
	http_error(req, 404, "not_found", "email", "no user %s in this organisation", email);
	return false;
}

void staff_admin_user_disable(http_request *req)
{
	const char *email = req->params[1];
	const char *value = web_form(req, "disabled");
	if (!value || (strcmp(value, "true") != 0 && strcmp(value, "false") != 0)) {
		http_error(req, 400, "invalid", "disabled", "must be true or false");
		return;
	}
	if (!managed_here(req, email))
		return;
	if (strcasecmp(email, req->who->user.email) == 0) {
		http_error(req, 409, "conflict", "email", "you cannot disable your own account");
		return;
	}
	bool disabled = strcmp(value, "true") == 0;
	fh_error err = {0};
	if (store_user_set_disabled(req->st, email, disabled, req->who->user.email, &err)) {
		http_fail(req, &err);
		return;
	}
	web_redirect(req, arena_printf(req->arena, "%s?done=%s", admin_path(req, "users"),
				       disabled ? "disabled" : "enabled"));
}

/* An administrator's reset of a user's second factor (a lost phone): audit event totp_reset. */
void staff_admin_user_totp_reset(http_request *req)
{
	const char *email = req->params[1];
	if (!managed_here(req, email))
		return;
	fh_error err = {0};
	fh_status s = store_totp_reset(req->st, email, req->who->user.email, &err);
	if (s && s != FH_ECONFLICT) {
		http_fail(req, &err);
		return;
	}
	web_redirect(req, arena_printf(req->arena, "%s?done=second_factor",
				       admin_path(req, "users")));
}

/*
 * marks a user of this organisation independent of it, or
 * no longer.  Only this organisation's mark changes, so it needs no more
 * than administering it (managed_here is for changes to the whole account).
 */
void staff_admin_user_independence(http_request *req)
{
	const char *email = req->params[1];
	const char *value = web_form(req, "independent");
	if (!value || (strcmp(value, "true") != 0 && strcmp(value, "false") != 0)) {
		http_error(req, 400, "invalid", "independent", "must be true or false");
		return;
	}
	bool independent = strcmp(value, "true") == 0;
	fh_error err = {0};
	fh_status s = store_user_set_independent(req->st, email, ORG, independent,
						 req->who->user.email, &err);
	if (s == FH_ENOTFOUND || s == FH_ECONFLICT) {
		http_error(req, 404, "not_found", "email", "no user %s in this organisation", email);
		return;
	}
	if (s) {
		http_fail(req, &err);
		return;
	}
	web_redirect(req, arena_printf(req->arena, "%s?done=%s", admin_path(req, "users"),
				       independent ? "independent" : "not_independent"));
}

void staff_admin_user_password(http_request *req)
{
	const char *email = web_form(req, "reset_email");
	const char *password = web_form(req, "new_password");
	web_errors errors = {0};
	if (!email || !*email)
		web_errors_add(&errors, "reset_email", "Choose the user");
	if (!password || strlen(password) < STORE_PASSWORD_MIN)
		web_errors_add(&errors, "new_password", "Enter a password of at least 12 characters");
	if (errors.n) {
		users_page(req, 422, &errors);
		return;
	}
	if (!managed_here(req, email))
		return;
	char hash[STORE_PASSWORD_HASH_MAX];
	fh_error err = {0};
	fh_status s = hash_password(req, password, hash, &err);
	if (!s)
		s = store_user_set_password(req->st, email, hash, req->who->user.email, &err);
	sodium_memzero(hash, sizeof hash);
	if (s == FH_EINVAL) {
		web_errors_add(&errors, "new_password", err.message);
		users_page(req, 422, &errors);
		return;
	}
	if (s) {
		http_fail(req, &err);
		return;
	}
	web_redirect(req, arena_printf(req->arena, "%s?done=password", admin_path(req, "users")));
}

/* ---- teams ------------------------------------------------------------------------ */

static void teams_page(http_request *req, int status, const web_errors *errors)
{
	fh_team *teams = NULL;
	size_t n = 0;
	fh_error err = {0};
	if (store_team_list(req->st, ORG, req->arena, &teams, &n, &err)) {
		http_fail(req, &err);
		return;
	}
	bool posted = strcmp(req->method, "POST") == 0;
	html_buf b = HTML_BUF_INIT;
	begin(req, &b, "Teams", errors->n);
	web_error_summary(&b, errors);
	done_notice(req, &b);
	html_raw(&b, "<p>Services are led by a Head of Service; teams inside them by a Team "
		     "Manager. Reports are made at both levels (001 §16).</p>"
		     "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Name</th>"
		     "<th scope=\"col\">Level</th><th scope=\"col\">Part of</th>"
		     "<th scope=\"col\">Led by</th></tr></thead><tbody>");
	web_option *parents = arena_array(req->arena, n + 1, sizeof *parents);
	size_t n_parents = 0;
	parents[n_parents++] = (web_option){"", "None (a service)", NULL};
	for (size_t i = 0; i < n; i++) {
		html_raw(&b, "<tr><td>");
		html_text(&b, teams[i].name);
		html_raw(&b, "</td><td>");
		html_text(&b, staff_words(req, teams[i].level));
		html_raw(&b, "</td><td>");
		html_text(&b, teams[i].parent);
		html_raw(&b, "</td><td>");
		html_text(&b, teams[i].head_email);
		html_raw(&b, "</td></tr>");
		if (strcmp(teams[i].level, "service") == 0)
			parents[n_parents++] = (web_option){teams[i].name, teams[i].name, NULL};
	}
	html_raw(&b, "</tbody></table></div><h2>Add a team or service</h2>");
	form_open(req, &b, admin_path(req, "teams"), false);
	web_input(&b, &(web_field){.name = "name", .label = "Name",
				   .error = web_errors_for(errors, "name"),
				   .value = posted ? web_form(req, "name") : NULL});
	static const web_option levels[] = {
		{"service", "Service", "Led by a Head of Service"},
		{"team", "Team", "Led by a Team Manager, inside a service"}};
	web_radios(&b, &(web_field){.name = "level", .label = "Level", .options = levels,
				    .n_options = 2, .error = web_errors_for(errors, "level"),
				    .value = posted ? web_form(req, "level") : NULL});
	web_select(&b, &(web_field){.name = "parent", .label = "Part of the service",
				    .options = parents, .n_options = n_parents, .optional = true,
				    .error = web_errors_for(errors, "parent"),
				    .value = posted ? web_form(req, "parent") : NULL});
	web_input(&b, &(web_field){.name = "head", .label = "Led by (email)", .type = "email",
				   .optional = true, .error = web_errors_for(errors, "head"),
				   .value = posted ? web_form(req, "head") : NULL});
	html_raw(&b, "<button type=\"submit\" class=\"button\">Add</button></form>");
	web_page_end(req, &b);
	web_html(req, status, &b);
}

void staff_admin_teams(http_request *req)
{
	web_errors errors = {0};
	teams_page(req, 200, &errors);
}

void staff_admin_team_add(http_request *req)
{
	const char *name = web_form(req, "name");
	const char *level = web_form(req, "level");
	const char *parent = web_form(req, "parent");
	const char *head = web_form(req, "head");
	web_errors errors = {0};
	if (!name || !*name || strlen(name) > MODEL_SHORT_MAX)
		web_errors_add(&errors, "name", "Enter the name (200 characters or fewer)");
	if (!level || !model_is_one_of(MODEL_TEAM_LEVELS, level))
		web_errors_add(&errors, "level", "Choose service or team");
	if (errors.n) {
		teams_page(req, 422, &errors);
		return;
	}
	fh_team t = {.name = name, .level = level, .parent = parent && *parent ? parent : NULL,
		     .head_email = head && *head ? head : NULL};
	fh_error err = {0};
	fh_status s = store_team_create(req->st, ORG, &t, req->who->user.email, NULL, &err);
	if (s && is_failure(s)) {
		http_fail(req, &err);
		return;
	}
	if (s) {
		static const char *const fields[] = {"name", "level", "parent", NULL};
		if (s == FH_ECONFLICT)
			web_errors_add(&errors, "name", "There is already a team with this name");
		else if (strcmp(err.field, "user") == 0)
			web_errors_add(&errors, "head", "There is no user with this email address");
		else
			store_error(req, &errors, &err, fields, "name");
		teams_page(req, 422, &errors);
		return;
	}
	web_redirect(req, arena_printf(req->arena, "%s?done=team", admin_path(req, "teams")));
}

/* ---- procedures ------------------------------------------------------------------- */

static void procedures_page(http_request *req, int status, const web_errors *errors,
			    const proc_problems *problems)
{
	store_procedure_row *rows;
	size_t n;
	if (!api_procedure_rows(req, &rows, &n))
		return;
	html_buf b = HTML_BUF_INIT;
	begin(req, &b, "Procedures", errors->n);
	web_error_summary(&b, errors);
	if (problems && problems->count) {
		html_raw(&b, "<div class=\"notice\"><h2>What is wrong with the file</h2><ul>");
		for (size_t i = 0; i < problems->count && i < 48; i++) {
			html_raw(&b, "<li><code>");
			html_text(&b, problems->items[i].path);
			html_raw(&b, "</code>: ");
			html_text(&b, problems->items[i].message);
			html_raw(&b, "</li>");
		}
		html_raw(&b, "</ul></div>");
	}
	done_notice(req, &b);
	html_raw(&b, "<p>A case keeps the version of the procedure it started under, so "
		     "installing a new version never moves an existing deadline.</p>"
		     "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Procedure</th>"
		     "<th scope=\"col\">Route</th><th scope=\"col\">Version</th>"
		     "<th scope=\"col\">Installed</th></tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		if (strcmp(rows[i].org, ORG) != 0)
			continue;
		html_raw(&b, "<tr><td><a href=\"");
		html_attr(&b, admin_path(req, arena_printf(req->arena, "procedures/%s",
							   web_url_encode(req, rows[i].code))));
		html_raw(&b, "\">");
		html_text(&b, rows[i].name);
		html_raw(&b, "</a></td><td>");
		html_text(&b, staff_words(req, rows[i].route));
		html_rawf(&b, "</td><td>%d</td><td>", rows[i].version);
		html_text(&b, staff_date(req, rows[i].installed_at));
		html_raw(&b, "</td></tr>");
	}
	html_raw(&b, "</tbody></table></div><h2>Install a procedure</h2>"
		     "<p>A procedure file (JSON, as in docs/procedures.md) for this organisation. "
		     "A changed procedure must carry a higher version.</p>");
	form_open(req, &b, admin_path(req, "procedures"), true);
	web_file_input(&b, &(web_field){.name = "file", .label = "Procedure file",
					.accept = ".json,application/json",
					.error = web_errors_for(errors, "file")});
	html_raw(&b, "<button type=\"submit\" class=\"button\">Check and install</button></form>");
	web_page_end(req, &b);
	web_html(req, status, &b);
}

void staff_admin_procedures(http_request *req)
{
	web_errors errors = {0};
	procedures_page(req, 200, &errors, NULL);
}

void staff_admin_procedure_install(http_request *req)
{
	size_t n = 0;
	const web_upload *files = web_files(req, "file", &n);
	web_errors errors = {0};
	if (n != 1) {
		web_errors_add(&errors, "file", "Choose one procedure file");
		procedures_page(req, 422, &errors, NULL);
		return;
	}
	char *text = arena_strndup(req->arena, (const char *)files[0].data, files[0].size);
	if (strlen(text) != files[0].size) {
		web_errors_add(&errors, "file", "The file is not a procedure: it is not text");
		procedures_page(req, 422, &errors, NULL);
		return;
	}
	/* The organisation the file is for must be this one. */
	proc_problems problems = {0};
	fh_procedure *proc = NULL;
	fh_error err = {0};
	if (procedure_parse(text, &proc, &problems, &err)) {
		web_errors_add(&errors, "file", "The procedure file has problems: they are listed "
			       "below");
		procedures_page(req, 422, &errors, &problems);
		return;
	}
	bool here = strcmp(proc->org, ORG) == 0;
	procedure_free(proc);
	if (!here) {
		web_errors_add(&errors, "file", "The procedure is for another organisation");
		procedures_page(req, 422, &errors, NULL);
		return;
	}
	int version = 0;
	bool changed = false;
	fh_status s = store_procedure_install(req->st, text, req->who->user.email, &version,
					      &changed, &problems, &err);
	if (s && is_failure(s)) {
		http_fail(req, &err);
		return;
	}
	if (s) {
		web_errors_add(&errors, "file", arena_printf(req->arena, "%s%s%s", err.message,
							     err.source[0] ? " " : "", err.source));
		procedures_page(req, 422, &errors, &problems);
		return;
	}
	web_redirect(req, arena_printf(req->arena, "%s?done=%s", admin_path(req, "procedures"),
				       changed ? "procedure" : "unchanged"));
}

static void clock_row(http_request *req, html_buf *b, const char *what, const proc_clock *c)
{
	if (!c->present)
		return;
	html_raw(b, "<div class=\"summary-row\"><dt class=\"summary-key\">");
	html_text(b, what);
	html_raw(b, "</dt><dd class=\"summary-value\">");
	html_rawf(b, "%d ", c->span.length);
	html_text(b, staff_lower(req, timescale_unit_name(c->span.unit)));
	html_raw(b, " from ");
	html_text(b, staff_lower(req, c->from));
	if (c->extend_to > 0)
		html_rawf(b, ", extendable to %d", c->extend_to);
	else if (c->extend_to < 0)
		html_raw(b, ", with a new date after a notice");
	if (c->source) {
		html_raw(b, " <span class=\"muted\">(");
		html_text(b, c->source);
		html_raw(b, ")</span>");
	}
	html_raw(b, "</dd></div>");
}

void staff_admin_procedure(http_request *req)
{
	fh_procedure *proc = NULL;
	fh_error err = {0};
	fh_status s = store_procedure_get(req->st, req->params[1], 0, &proc, &err);
	if (!s && strcmp(proc->org, ORG) != 0) {
		procedure_free(proc);
		s = error_set(&err, FH_ENOTFOUND, "code", NULL, "no procedure %s", req->params[1]);
	}
	if (s) {
		http_fail(req, &err);
		return;
	}
	html_buf b = HTML_BUF_INIT;
	begin(req, &b, proc->name, false);
	html_raw(&b, "<dl class=\"summary\">");
	html_raw(&b, "<div class=\"summary-row\"><dt class=\"summary-key\">Code and version</dt>"
		     "<dd class=\"summary-value\">");
	html_text(&b, proc->code);
	html_rawf(&b, ", version %d</dd></div>", proc->version);
	html_raw(&b, "<div class=\"summary-row\"><dt class=\"summary-key\">Route</dt>"
		     "<dd class=\"summary-value\">");
	html_text(&b, staff_words(req, proc->route));
	html_raw(&b, "</dd></div>");
	clock_row(req, &b, "Acknowledge", &proc->acknowledge);
	html_raw(&b, "</dl>");
	for (size_t i = 0; i < proc->n_stages; i++) {
		const proc_stage *st = &proc->stages[i];
		html_rawf(&b, "<h2>Stage %d: ", st->number);
		html_text(&b, st->name);
		html_raw(&b, "</h2><dl class=\"summary\">");
		clock_row(req, &b, "Acknowledge", &st->acknowledge);
		clock_row(req, &b, "Response", &st->response);
		if (st->responder) {
			html_raw(&b, "<div class=\"summary-row\"><dt class=\"summary-key\">Responds"
				     "</dt><dd class=\"summary-value\">");
			html_text(&b, staff_words(req, st->responder));
			html_raw(&b, "</dd></div>");
		}
		html_raw(&b, "</dl>");
	}
	if (proc->final_name) {
		html_raw(&b, "<h2>After the last stage</h2><p>");
		html_text(&b, proc->final_name);
		if (proc->final_contact) {
			html_raw(&b, ": ");
			html_text(&b, proc->final_contact);
		}
		html_raw(&b, "</p>");
	}
	char *doc = json_dumps(proc->doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	html_raw(&b, "<details><summary>The procedure file</summary><pre class=\"code\">");
	html_text(&b, doc);
	html_raw(&b, "</pre></details>");
	free(doc);
	procedure_free(proc);
	web_page_end(req, &b);
	web_html(req, 200, &b);
}

/* ---- closure days ------------------------------------------------------------------ */

static void closures_page(http_request *req, int status, const web_errors *errors)
{
	calendar_day *days = NULL;
	size_t n = 0;
	fh_error err = {0};
	if (store_calendar_closures(req->st, ORG, req->arena, &days, &n, &err)) {
		http_fail(req, &err);
		return;
	}
	bool posted = strcmp(req->method, "POST") == 0;
	html_buf b = HTML_BUF_INIT;
	begin(req, &b, "Closure days", errors->n);
	web_error_summary(&b, errors);
	done_notice(req, &b);
	html_raw(&b, "<p>Days the organisation is closed, on top of the bank holidays. They are "
		     "not working days for this organisation's clocks (DOMAIN §3).</p>");
	if (!n)
		html_raw(&b, "<p>No closure days.</p>");
	else
		html_raw(&b, "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Date"
			     "</th><th scope=\"col\">Reason</th><th scope=\"col\">Remove</th></tr>"
			     "</thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		char iso[DATE_ISO_LEN];
		date_format(days[i].date, iso);
		html_raw(&b, "<tr><td>");
		html_text(&b, staff_date(req, iso));
		html_raw(&b, "</td><td>");
		html_text(&b, days[i].name);
		html_raw(&b, "</td><td>");
		form_open(req, &b, admin_path(req, arena_printf(req->arena, "closures/%s/remove",
								iso)), false);
		html_raw(&b, "<button type=\"submit\" class=\"button button-secondary button-small\">"
			     "Remove<span class=\"visually-hidden\"> ");
		html_text(&b, iso);
		html_raw(&b, "</span></button></form></td></tr>");
	}
	if (n)
		html_raw(&b, "</tbody></table></div>");
	html_raw(&b, "<h2>Add a closure day</h2>");
	form_open(req, &b, admin_path(req, "closures"), false);
	web_input(&b, &(web_field){.name = "date", .label = "Date", .hint = "For example 2026-12-29",
				   .width_class = "w-10", .error = web_errors_for(errors, "date"),
				   .value = posted ? web_form(req, "date") : NULL});
	web_input(&b, &(web_field){.name = "reason", .label = "Reason", .optional = true,
				   .error = web_errors_for(errors, "reason"),
				   .value = posted ? web_form(req, "reason") : NULL});
	html_raw(&b, "<button type=\"submit\" class=\"button\">Add</button></form>");
	web_page_end(req, &b);
	web_html(req, status, &b);
}

void staff_admin_closures(http_request *req)
{
	web_errors errors = {0};
	closures_page(req, 200, &errors);
}

void staff_admin_closure_add(http_request *req)
{
	const char *date = web_form(req, "date");
	const char *reason = web_form(req, "reason");
	web_errors errors = {0};
	fh_date d;
	if (!date || !date_parse(date, &d)) {
		web_errors_add(&errors, "date", "Enter a real date as YYYY-MM-DD");
		closures_page(req, 422, &errors);
		return;
	}
	fh_error err = {0};
	fh_status s = store_calendar_closure_add(req->st, ORG, d, reason, req->who->user.email,
						 &err);
	if (s && is_failure(s)) {
		http_fail(req, &err);
		return;
	}
	if (s) {
		static const char *const fields[] = {"date", "reason", NULL};
		if (s == FH_ECONFLICT)
			web_errors_add(&errors, "date", "That day is a closure day already");
		else
			store_error(req, &errors, &err, fields, "date");
		closures_page(req, 422, &errors);
		return;
	}
	web_redirect(req, arena_printf(req->arena, "%s?done=closure", admin_path(req, "closures")));
}

void staff_admin_closure_remove(http_request *req)
{
	fh_date d;
	if (!date_parse(req->params[1], &d)) {
		http_error(req, 404, "not_found", "date", "no closure day %s", req->params[1]);
		return;
	}
	fh_error err = {0};
	if (store_calendar_closure_remove(req->st, ORG, d, req->who->user.email, &err)) {
		http_fail(req, &err);
		return;
	}
	web_redirect(req, arena_printf(req->arena, "%s?done=removed", admin_path(req, "closures")));
}

/* ---- the organisation's own settings -------------------------------------------------- */

/*
 * The page edits what the organisation's file says about it (its name,
 * letterhead, services and persistent-behaviour periods) through the same
 * path as `fairhearing org apply`: the exported file with the form's values
 * is checked by orgfile and applied by store_org_apply, one transaction with
 * its 'organisation_applied' event.  So the file `org export` gives back
 * afterwards shows the edit, and the page shows that file too.
 */
static const struct {
	const char *name, *label, *parent, *key; /* the file's parent object ("" top) and key */
} org_fields[] = {
	{"name", "Name", "", "name"},
	{"address", "Letterhead address", "letterhead", "address"},
	{"phone", "Letterhead phone", "letterhead", "phone"},
	{"email", "Letterhead email", "letterhead", "email"},
	{"website", "Letterhead website", "letterhead", "website"},
	{"ombudsman", "Where a customer goes at the end (the Ombudsman)", "", "ombudsman"},
	{"advocacy", "Advocacy service offered", "services", "advocacy"},
	{"interpreting", "Interpreting offered", "services", "interpreting"},
};
static const struct {
	const char *name, *label, *key;
} behaviour_fields[] = {
	{"usual_months", "A restriction longer than this many months is exceptional", "usual_months"},
	{"review_months", "A longer one is reviewed every this many months", "review_months"},
	{"appeal_working_days", "An appeal is answered within this many working days",
	 "appeal_working_days"},
	{"behaviour_source", "The policy these periods come from", "source"},
};

static const char *doc_text(json_t *doc, const char *parent, const char *key)
{
	json_t *obj = *parent ? json_object_get(doc, parent) : doc;
	return json_string_value(json_object_get(obj, key));
}

static void organisation_page(http_request *req, int status, const web_errors *errors)
{
	json_t *doc = NULL;
	fh_error err = {0};
	if (store_org_export(req->st, ORG, &doc, &err)) {
		http_fail(req, &err);
		return;
	}
	bool posted = strcmp(req->method, "POST") == 0;
	html_buf b = HTML_BUF_INIT;
	begin(req, &b, "Organisation", errors->n);
	web_error_summary(&b, errors);
	done_notice(req, &b);
	html_raw(&b, "<p>What the organisation's file says about it. Saving applies the file "
		     "with these values, as <code>fairhearing org apply</code> does, with one "
		     "audit event; <code>fairhearing org export</code> then gives the file back "
		     "with the change (docs/organisations.md).</p>");
	form_open(req, &b, admin_path(req, "organisation"), false);
	for (size_t i = 0; i < sizeof org_fields / sizeof org_fields[0]; i++)
		web_input(&b, &(web_field){.name = org_fields[i].name, .label = org_fields[i].label,
					   .optional = i > 1, .error = web_errors_for(errors, org_fields[i].name),
					   .value = posted ? web_form(req, org_fields[i].name)
							   : doc_text(doc, org_fields[i].parent,
								      org_fields[i].key)});
	html_raw(&b, "<h2>Persistent behaviour</h2><p>The periods of the organisation's own "
		     "policy (BCT's: 001 Appendix A). Without them a restriction of contact or an "
		     "appeal cannot be recorded. Leave all four empty for none.</p>");
	json_t *behaviour = json_object_get(json_object_get(doc, "policy"), "behaviour");
	for (size_t i = 0; i < sizeof behaviour_fields / sizeof behaviour_fields[0]; i++) {
		json_t *v = json_object_get(behaviour, behaviour_fields[i].key);
		const char *shown = json_is_integer(v)
			? arena_printf(req->arena, "%lld", (long long)json_integer_value(v))
			: json_string_value(v);
		bool number = i < 3;
		web_input(&b, &(web_field){.name = behaviour_fields[i].name,
					   .label = behaviour_fields[i].label, .optional = true,
					   .inputmode = number ? "numeric" : NULL,
					   .width_class = number ? "w-10" : NULL,
					   .error = web_errors_for(errors, behaviour_fields[i].name),
					   .value = posted ? web_form(req, behaviour_fields[i].name) : shown});
	}
	html_raw(&b, "<h2>Signing in</h2>");
	const char *second = json_string_value(
		json_object_get(json_object_get(doc, "policy"), "second_factor"));
	static const web_option SECOND_FACTOR[] = {
		{"required", "Required",
		 "Everyone with a role here who signs in with a password also gives a code from an "
		 "authenticator app; whoever has none sets one up before anything else"},
		{"optional", "Each person's choice", "Anyone may set one up on Your account"},
	};
	web_radios(&b, &(web_field){.name = "second_factor", .label = "Second factor",
				    .options = SECOND_FACTOR, .n_options = 2,
				    .error = web_errors_for(errors, "second_factor"),
				    .value = posted ? web_form(req, "second_factor")
					   : second && !strcmp(second, "required") ? "required"
										  : "optional"});
	html_raw(&b, "<button type=\"submit\" class=\"button\">Save</button></form>"
		     "<h2>The file</h2><pre class=\"org-file\">");
	char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	html_text(&b, text ? text : "");
	free(text);
	html_raw(&b, "</pre>");
	json_decref(doc);
	web_page_end(req, &b);
	web_html(req, status, &b);
}

void staff_admin_organisation(http_request *req)
{
	web_errors errors = {0};
	organisation_page(req, 200, &errors);
}

/* The form's values into the exported file; false (with errors) for a bad number. */
static bool form_into_doc(http_request *req, json_t *doc, web_errors *errors)
{
	for (size_t i = 0; i < sizeof org_fields / sizeof org_fields[0]; i++) {
		const char *v = web_form(req, org_fields[i].name);
		json_t *obj = doc;
		if (*org_fields[i].parent) {
			obj = json_object_get(doc, org_fields[i].parent);
			if (!obj) {
				obj = json_object();
				json_object_set_new(doc, org_fields[i].parent, obj);
			}
		}
		if (v && *v)
			json_object_set_new(obj, org_fields[i].key, json_string(v));
		else
			json_object_del(obj, org_fields[i].key);
	}
	json_t *services = json_object_get(doc, "services");
	if (services && !json_object_size(services))
		json_object_del(doc, "services");
	/* policy.second_factor: "required", or absent for each person's choice;
	 * a form without the field leaves it as it is */
	const char *second = web_form(req, "second_factor");
	if (second && *second && strcmp(second, "required") != 0 && strcmp(second, "optional") != 0)
		web_errors_add(errors, "second_factor", "Choose whether a second factor is required");
	else if (second && *second) {
		json_t *pol = json_object_get(doc, "policy");
		if (!pol) {
			pol = json_object();
			json_object_set_new(doc, "policy", pol);
		}
		if (!strcmp(second, "required"))
			json_object_set_new(pol, "second_factor", json_string("required"));
		else
			json_object_del(pol, "second_factor");
		if (!json_object_size(pol))
			json_object_del(doc, "policy");
	}
	json_t *behaviour = json_object();
	size_t given = 0;
	for (size_t i = 0; i < sizeof behaviour_fields / sizeof behaviour_fields[0]; i++) {
		const char *v = web_form(req, behaviour_fields[i].name);
		if (!v || !*v)
			continue;
		given++;
		if (i == 3) {
			json_object_set_new(behaviour, behaviour_fields[i].key, json_string(v));
			continue;
		}
		int64_t n;
		if (!staff_whole_number(v, 1, 60, &n))
			web_errors_add(errors, behaviour_fields[i].name, "Enter a whole number from 1 to 60");
		else
			json_object_set_new(behaviour, behaviour_fields[i].key, json_integer(n));
	}
	if (given && given < 4)
		web_errors_add(errors, "usual_months",
			       "Give all four behaviour periods and their source, or none");
	json_t *policy = json_object_get(doc, "policy");
	if (given == 4) {
		if (!policy) {
			policy = json_object();
			json_object_set_new(doc, "policy", policy);
		}
		json_object_set(policy, "behaviour", behaviour);
	} else if (policy) {
		json_object_del(policy, "behaviour");
		if (!json_object_size(policy))
			json_object_del(doc, "policy");
	}
	json_decref(behaviour);
	return errors->n == 0;
}

void staff_admin_organisation_save(http_request *req)
{
	json_t *doc = NULL;
	fh_error err = {0};
	web_errors errors = {0};
	if (store_org_export(req->st, ORG, &doc, &err)) {
		http_fail(req, &err);
		return;
	}
	if (!form_into_doc(req, doc, &errors)) {
		json_decref(doc);
		organisation_page(req, 422, &errors);
		return;
	}
	fh_orgfile *f = NULL;
	proc_problems problems;
	fh_status s = orgfile_from_json(doc, &f, &problems, &err);
	if (!s) {
		store_org_apply_opts opts = {.actor = req->who->user.email, .installed_only = true};
		s = store_org_apply(req->st, f, &opts, NULL, NULL, &err);
	}
	orgfile_free(f);
	if (s && is_failure(s)) {
		http_fail(req, &err);
		return;
	}
	if (s) {
		/* The file's paths name the form's fields: letterhead.email is email. */
		const char *dot = strrchr(err.field, '.');
		const char *field = dot ? dot + 1 : err.field;
		if (!strcmp(err.field, "policy.behaviour.source"))
			field = "behaviour_source";
		static const char *const fields[] = {"name", "address", "phone", "email", "website",
						     "ombudsman", "advocacy", "interpreting",
						     "usual_months", "review_months",
						     "appeal_working_days", "behaviour_source", NULL};
		fh_error shown = err;
		snprintf(shown.field, sizeof shown.field, "%s", field);
		store_error(req, &errors, &shown, fields, "name");
		organisation_page(req, 422, &errors);
		return;
	}
	web_redirect(req, arena_printf(req->arena, "%s?done=organisation",
				       admin_path(req, "organisation")));
}

/* ---- single sign-on (docs/sso.md) ------------------------------------------------------ */

static const char *const sso_fields[] = {"issuer", "client_id", "client_secret", "label",
					 "allowed_domains", "password_sign_in", "create_users",
					 "match_claim", NULL};

static void sso_page(http_request *req, int status, const web_errors *errors)
{
	store_sso_provider p = {0};
	fh_error err = {0};
	fh_status s = store_sso_get(req->st, ORG, req->arena, &p, &err);
	if (s && s != FH_ENOTFOUND) {
		http_fail(req, &err);
		return;
	}
	bool have = s == FH_OK, posted = strcmp(req->method, "POST") == 0;
	if (!have) {
		/* no provider yet: its choices show the values a save without them keeps */
		p.password_sign_in = STORE_SSO_DEFAULT_PASSWORD_SIGN_IN;
		p.create_users = STORE_SSO_DEFAULT_CREATE_USERS;
		p.match_claim = STORE_SSO_DEFAULT_MATCH_CLAIM;
	}
	/* What was typed when a save was refused; else what is kept (nothing
	 * for the text of a provider not set up yet: p holds NULL there). */
#define VALUE(name, kept) (posted ? web_form(req, name) : (kept))
	html_buf b = HTML_BUF_INIT;
	begin(req, &b, "Single sign-on", errors->n);
	web_error_summary(&b, errors);
	done_notice(req, &b);
	html_raw(&b, "<p>Staff sign in with the organisation's own identity provider (OpenID "
		     "Connect: Microsoft Entra ID, Google Workspace, Keycloak). Register "
		     "<code>/staff/sso/callback</code> on this server's address as the redirect "
		     "URI there, and <code>/staff/login</code> for sign-out (docs/sso.md).</p>");
	form_open(req, &b, admin_path(req, "sso"), false);
	web_input(&b, &(web_field){.name = "issuer", .label = "Issuer URL",
				   .hint = "For example https://login.microsoftonline.com/TENANT-ID/v2.0",
				   .error = web_errors_for(errors, "issuer"),
				   .value = VALUE("issuer", p.issuer), .maxlength = STORE_SSO_TEXT_MAX});
	web_input(&b, &(web_field){.name = "client_id", .label = "Client id",
				   .error = web_errors_for(errors, "client_id"),
				   .value = VALUE("client_id", p.client_id),
				   .maxlength = STORE_SSO_TEXT_MAX});
	/* The secret itself is never typed here: where the server reads it. */
	web_input(&b, &(web_field){.name = "client_secret", .label = "Where the server reads the "
				   "client secret",
				   .hint = "file:/PATH (the file's first line) or env:NAME (an environment "
					   "variable of the server). Never the secret itself.",
				   .error = web_errors_for(errors, "client_secret"),
				   .value = posted ? web_form(req, "client_secret") : NULL,
				   .maxlength = STORE_SSO_TEXT_MAX});
	if (have && !posted)
		html_raw(&b, "<p class=\"hint\">A source is set already: give it again to save.</p>");
	web_input(&b, &(web_field){.name = "label", .label = "The sign-in button's words",
				   .hint = "For example Sign in with Birmingham Children's Trust",
				   .error = web_errors_for(errors, "label"),
				   .value = VALUE("label", p.label), .maxlength = STORE_SSO_LABEL_MAX});
	web_input(&b, &(web_field){.name = "allowed_domains", .label = "Allowed email domains",
				   .optional = true, .hint = "Separated by commas; empty allows any",
				   .error = web_errors_for(errors, "allowed_domains"),
				   .value = VALUE("allowed_domains", p.allowed_domains),
				   .maxlength = STORE_SSO_TEXT_MAX});
	static const web_option yes_no[] = {{"on", "Yes", NULL}, {"off", "No", NULL}};
	web_radios(&b, &(web_field){.name = "password_sign_in", .label = "Password sign-in stays on",
				    .options = yes_no, .n_options = 2,
				    .error = web_errors_for(errors, "password_sign_in"),
				    .value = VALUE("password_sign_in", p.password_sign_in ? "on" : "off")});
	web_radios(&b, &(web_field){.name = "create_users", .label = "Give an account (with no "
				    "role) to a verified email of an allowed domain that has none",
				    .options = yes_no, .n_options = 2,
				    .error = web_errors_for(errors, "create_users"),
				    .value = VALUE("create_users", p.create_users ? "on" : "off")});
	static const web_option claims[] = {
		{"email", "email (with email_verified)", NULL},
		{"preferred_username", "preferred_username, trusted as verified",
		 "Entra ID: only if IT alone sets user names and they are email addresses"},
		{"upn", "upn, trusted as verified", NULL}};
	web_radios(&b, &(web_field){.name = "match_claim", .label = "First sign-in matched on",
				    .options = claims, .n_options = 3,
				    .error = web_errors_for(errors, "match_claim"),
				    .value = VALUE("match_claim", p.match_claim)});
#undef VALUE
	html_raw(&b, "<button type=\"submit\" class=\"button\">Save single sign-on</button></form>");
	if (have) {
		html_raw(&b, "<h2>Remove single sign-on</h2>");
		form_open(req, &b, admin_path(req, "sso/remove"), false);
		html_raw(&b, "<button type=\"submit\" class=\"button button-warning\">Remove single "
			     "sign-on</button></form>");
	}
	web_page_end(req, &b);
	web_html(req, status, &b);
}

void staff_admin_sso(http_request *req)
{
	web_errors errors = {0};
	sso_page(req, 200, &errors);
}

void staff_admin_sso_save(http_request *req)
{
	web_errors errors = {0};
	store_sso_provider p = {
		.issuer = web_form(req, "issuer"), .client_id = web_form(req, "client_id"),
		.secret_source = web_form(req, "client_secret"), .label = web_form(req, "label"),
		.allowed_domains = web_form(req, "allowed_domains"),
		.match_claim = web_form(req, "match_claim"),
	};
	const char *password = web_form(req, "password_sign_in");
	const char *create = web_form(req, "create_users");
	if (!p.allowed_domains)
		p.allowed_domains = "";
	if (!password || (strcmp(password, "on") && strcmp(password, "off")))
		web_errors_add(&errors, "password_sign_in", "Choose whether password sign-in stays on");
	if (!create || (strcmp(create, "on") && strcmp(create, "off")))
		web_errors_add(&errors, "create_users", "Choose whether accounts are given");
	if (errors.n) {
		sso_page(req, 422, &errors);
		return;
	}
	p.password_sign_in = !strcmp(password, "on");
	p.create_users = !strcmp(create, "on");
	fh_error err = {0};
	fh_status s = store_sso_set(req->st, ORG, &p, req->who->user.email, &err);
	if (s && is_failure(s)) {
		http_fail(req, &err);
		return;
	}
	if (s) {
		/* The store names the secret's field client_secret, as the form does. */
		store_error(req, &errors, &err, sso_fields, "issuer");
		sso_page(req, 422, &errors);
		return;
	}
	web_redirect(req, arena_printf(req->arena, "%s?done=sso", admin_path(req, "sso")));
}

void staff_admin_sso_remove(http_request *req)
{
	fh_error err = {0};
	if (store_sso_remove(req->st, ORG, req->who->user.email, &err)) {
		http_fail(req, &err);
		return;
	}
	web_redirect(req, arena_printf(req->arena, "%s?done=sso_removed", admin_path(req, "sso")));
}
