/*
 * store_orgfile.c: an organisation's file into the database and back out.
 *
 * Each part of the file (identity and letterhead, settings, teams,
 * procedures, retention, closure days, the first administrator) is brought
 * up to date by its own function, which appends a sentence to the change
 * list for every change it makes and refuses, with the reason, a change
 * that would break open work.  store_org_apply runs them all in one
 * transaction and ends it with one audit event.
 */
#include "store_orgfile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_calendar.h"
#include "store_event.h"
#include "store_internal.h"
#include "store_rows.h"
#include "store_lifecycle.h"
#include "store_rights.h"

typedef struct applying {
	fh_store *st;
	const fh_orgfile *f;
	const store_org_apply_opts *o;
	int64_t org_id;
	json_t *changes;
	fh_arena arena;
} applying;

static void changed(applying *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void changed(applying *a, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	json_array_append_new(a->changes, json_string(line));
}

/* The one number a query of one row and one integer column gives (0 for none). */
static fh_status count_of(fh_store *st, const char *sql, int64_t id, const char *text,
			  int64_t *n, fh_error *err)
{
	db_stmt *stmt;
	*n = 0;
	fh_status s = store_stmt(st, sql, &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, id);
	if (text)
		store_bind_text(stmt, 2, text);
	int rc = db_step(stmt);
	if (rc == DB_ROW)
		*n = db_column_int64(stmt, 0);
	else if (rc != DB_DONE)
		s = store_fail(st, "counting", err);
	store_stmt_done(st, stmt);
	return s;
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* ---- identity and letterhead -------------------------------------------------- */

static const struct {
	const char *column, *label;
} identity_columns[] = {
	{"name", "name"}, {"ref_prefix", "ref_prefix"}, {"region", "region"},
	{"address", "letterhead.address"}, {"phone", "letterhead.phone"},
	{"email", "letterhead.email"}, {"website", "letterhead.website"},
	{"ombudsman", "ombudsman"}, {"advocacy_service", "services.advocacy"},
};
enum { N_IDENTITY = sizeof identity_columns / sizeof identity_columns[0] };

static const char *file_value(const fh_orgfile *f, size_t i)
{
	const char *values[N_IDENTITY] = {f->name, f->ref_prefix, f->region, f->address, f->phone,
					  f->email, f->website, f->ombudsman, f->advocacy};
	return or_empty(values[i]);
}

static fh_status apply_identity(applying *a, fh_error *err)
{
	fh_store *st = a->st;
	const fh_orgfile *f = a->f;
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT id, name, ref_prefix, region, address, phone, email,"
				 " website, ombudsman, advocacy_service FROM organisations WHERE code = ?",
				 &stmt, err);
	if (s)
		return s;
	store_bind_text(stmt, 1, f->code);
	const char *have[N_IDENTITY] = {0};
	bool found = db_step(stmt) == DB_ROW;
	if (found) {
		a->org_id = db_column_int64(stmt, 0);
		for (size_t i = 0; i < N_IDENTITY; i++)
			have[i] = store_column_text(stmt, (int)i + 1, &a->arena);
	}
	store_stmt_done(st, stmt);
	if (!found) {
		fh_org org = {.code = f->code, .name = f->name, .ref_prefix = f->ref_prefix,
			      .address = f->address, .region = f->region,
			      .advocacy_service = f->advocacy, .ombudsman = f->ombudsman};
		s = store_org_create(st, &org, a->o->actor, &a->org_id, err);
		if (s == FH_ECONFLICT)
			return error_set(err, FH_ECONFLICT, "ref_prefix", NULL,
					 "the reference prefix %s is another organisation's",
					 f->ref_prefix);
		if (s)
			return s;
		changed(a, "create the organisation %s (%s), references %s-YEAR-NUMBER", f->code,
			f->name, f->ref_prefix);
		for (size_t i = 0; i < N_IDENTITY; i++)
			have[i] = "";
		have[0] = f->name;
		have[1] = f->ref_prefix;
		have[2] = f->region;
		have[3] = or_empty(f->address);
		have[7] = or_empty(f->ombudsman);
		have[8] = or_empty(f->advocacy);
	}
	for (size_t i = 0; i < N_IDENTITY; i++) {
		const char *want = file_value(f, i);
		if (!strcmp(have[i], want))
			continue;
		if (!strcmp(identity_columns[i].column, "ref_prefix")) {
			int64_t n;
			s = count_of(st, "SELECT count(*) FROM cases WHERE org_id = ?", a->org_id, NULL,
				     &n, err);
			if (!s && n > 0)
				s = error_set(err, FH_ECONFLICT, "ref_prefix", NULL,
					      "%s has %lld cases with references under %s: the "
					      "prefix stays", f->code, (long long)n, have[i]);
			if (s)
				return s;
		}
		char sql[96];
		snprintf(sql, sizeof sql, "UPDATE organisations SET %s = ? WHERE id = ?",
			 identity_columns[i].column);
		if ((s = store_prepare(st, sql, &stmt, err)))
			return s;
		store_bind_text(stmt, 1, want);
		db_bind_int64(stmt, 2, a->org_id);
		int rc = db_step(stmt);
		db_finalize(stmt);
		if (rc != DB_DONE)
			return store_fail(st, "changing the organisation", err);
		if (found)
			changed(a, "%s: '%s' becomes '%s'", identity_columns[i].label, have[i], want);
	}
	return FH_OK;
}

static char *canonical(const json_t *doc)
{
	return json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
}

static fh_status apply_settings(applying *a, fh_error *err)
{
	json_t *want = orgfile_settings(a->f);
	char *want_text = canonical(want);
	json_decref(want);
	db_stmt *stmt;
	fh_status s = store_stmt(a->st, "SELECT settings FROM organisations WHERE id = ?", &stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, a->org_id);
		json_t *have = db_step(stmt) == DB_ROW
				       ? json_loads((const char *)db_column_text(stmt, 0), 0, NULL) : NULL;
		store_stmt_done(a->st, stmt);
		char *have_text = have ? canonical(have) : NULL;
		bool same = have_text && want_text && !strcmp(have_text, want_text);
		/* Say which parts changed, in the file's words. */
		static const char *const parts[] = {"interpreting", "behaviour", "triage", "actions",
						    "second_factor", "email"};
		for (size_t i = 0; !same && i < sizeof parts / sizeof parts[0]; i++) {
			json_t *w = json_loads(want_text, 0, NULL);
			json_t *wp = i == 0 ? json_object_get(w, parts[i])
					    : json_object_get(json_object_get(w, "policy"), parts[i]);
			json_t *hp = i == 0 ? json_object_get(have, parts[i])
					    : json_object_get(json_object_get(have, "policy"), parts[i]);
			if (!json_equal(wp, hp) && (wp || hp))
				changed(a, "%s%s: %s", i == 0 ? "services." : "policy.", parts[i],
					!hp ? "set" : !wp ? "removed" : "changed");
			json_decref(w);
		}
		free(have_text);
		json_decref(have);
		if (!same) {
			s = store_stmt(a->st, "UPDATE organisations SET settings = ? WHERE id = ?",
				       &stmt, err);
			if (!s) {
				store_bind_text(stmt, 1, want_text);
				db_bind_int64(stmt, 2, a->org_id);
				s = store_stmt_run(a->st, stmt, "keeping the organisation's settings", err);
			}
		}
	}
	free(want_text);
	return s;
}

/* ---- teams ------------------------------------------------------------------- */

/* Where a team is still in use: a refusal's reason, or FH_OK when it is free. */
static fh_status team_in_use(applying *a, const fh_team *t, fh_error *err)
{
	static const struct {
		const char *sql, *what;
	} uses[] = {
		{"SELECT count(*) FROM cases WHERE team_id = ?", "cases"},
		{"SELECT count(*) FROM complaint_points WHERE team_id = ?", "complaint points"},
		{"SELECT count(*) FROM case_contributions WHERE team_id = ?", "contributions asked of it"},
		{"SELECT count(*) FROM user_roles WHERE team_id = ?", "staff roles"},
		{"SELECT count(*) FROM teams WHERE parent_id = ?", "teams under it"},
	};
	for (size_t i = 0; i < sizeof uses / sizeof uses[0]; i++) {
		int64_t n;
		fh_status s = count_of(a->st, uses[i].sql, t->id, NULL, &n, err);
		if (s)
			return s;
		if (n > 0)
			return error_set(err, FH_ECONFLICT, "teams", NULL,
					 "'%s' has %lld %s: it cannot be removed (keep it in the "
					 "file, or move them first)", t->name, (long long)n,
					 uses[i].what);
	}
	return FH_OK;
}

static const char *file_parent(const fh_orgfile *f, const char *name, bool *found)
{
	*found = false;
	for (size_t i = 0; i < f->n_services; i++) {
		if (!strcmp(f->services[i].name, name)) {
			*found = true;
			return NULL;
		}
		for (size_t k = 0; k < f->services[i].n_teams; k++)
			if (!strcmp(f->services[i].teams[k], name)) {
				*found = true;
				return f->services[i].name;
			}
	}
	return NULL;
}

static fh_status apply_teams(applying *a, fh_error *err)
{
	fh_team *have = NULL;
	size_t n_have = 0;
	fh_status s = store_team_list(a->st, a->f->code, &a->arena, &have, &n_have, err);
	/* Remove first what the file no longer names (teams before services). */
	for (int pass = 0; !s && pass < 2; pass++) {
		for (size_t i = 0; !s && i < n_have; i++) {
			bool is_team = !strcmp(have[i].level, "team");
			if (is_team != (pass == 0))
				continue;
			bool found;
			const char *parent = file_parent(a->f, have[i].name, &found);
			if (found && (parent != NULL) == is_team)
				continue;
			if (found)
				s = error_set(err, FH_ECONFLICT, "teams", NULL,
					      "'%s' is a %s here and a %s in the file: give the new "
					      "one another name", have[i].name, have[i].level,
					      is_team ? "service" : "team");
			if (!s)
				s = team_in_use(a, &have[i], err);
			db_stmt *stmt;
			if (!s && !(s = store_stmt(a->st, "DELETE FROM teams WHERE id = ?", &stmt, err))) {
				db_bind_int64(stmt, 1, have[i].id);
				s = store_stmt_run(a->st, stmt, "removing a team", err);
			}
			if (!s)
				changed(a, "remove the %s '%s'", have[i].level, have[i].name);
		}
	}
	for (size_t i = 0; !s && i < a->f->n_services; i++) {
		const orgfile_service *sv = &a->f->services[i];
		int64_t id = 0;
		s = store_team_lookup(a->st, a->org_id, sv->name, &id, err);
		if (s == FH_ENOTFOUND) {
			fh_team t = {.name = sv->name, .level = "service"};
			s = store_team_create(a->st, a->f->code, &t, a->o->actor, NULL, err);
			if (!s)
				changed(a, "add the service '%s'", sv->name);
		}
		for (size_t k = 0; !s && k < sv->n_teams; k++) {
			const char *name = sv->teams[k];
			const char *was = NULL;
			for (size_t h = 0; h < n_have; h++)
				if (!strcmp(have[h].name, name))
					was = or_empty(have[h].parent);
			if (!was) {
				fh_team t = {.name = name, .level = "team", .parent = sv->name};
				s = store_team_create(a->st, a->f->code, &t, a->o->actor, NULL, err);
				if (!s)
					changed(a, "add the team '%s' to '%s'", name, sv->name);
			} else if (strcmp(was, sv->name)) {
				int64_t parent_id;
				db_stmt *stmt;
				s = store_team_lookup(a->st, a->org_id, sv->name, &parent_id, err);
				if (!s)
					s = store_stmt(a->st, "UPDATE teams SET parent_id = ? WHERE org_id = ?"
						       " AND name = ?", &stmt, err);
				if (!s) {
					db_bind_int64(stmt, 1, parent_id);
					db_bind_int64(stmt, 2, a->org_id);
					store_bind_text(stmt, 3, name);
					s = store_stmt_run(a->st, stmt, "moving a team", err);
				}
				if (!s)
					changed(a, "move the team '%s' from '%s' to '%s'", name, was, sv->name);
			}
		}
	}
	return s;
}

/* ---- procedures -------------------------------------------------------------- */

/* The procedure file based_on names, made this organisation's under code. */
static fh_status read_based_on(applying *a, const orgfile_procedure *p, size_t index,
			       char **text, fh_error *err)
{
	char path[4096], field[64];
	snprintf(field, sizeof field, "procedures[%zu].based_on", index);
	size_t n = strlen(p->based_on);
	if (n > 5 && !strcmp(p->based_on + n - 5, ".json"))
		snprintf(path, sizeof path, "%s%s%s", p->based_on[0] == '/' ? "" : a->o->file_dir,
			 p->based_on[0] == '/' ? "" : "/", p->based_on);
	else if (strchr(p->based_on, '/'))
		return error_set(err, FH_EINVAL, field, NULL, "'%s': name a shipped procedure "
				 "(its code) or a file ending in .json", p->based_on);
	else
		snprintf(path, sizeof path, "%s/%s.json", a->o->procedures_dir, p->based_on);
	json_error_t jerr;
	json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc)
		return error_set(err, FH_EINVAL, field, NULL, "cannot read the procedure %s: %s",
				 path, jerr.text);
	if (!json_is_object(doc)) {
		json_decref(doc);
		return error_set(err, FH_EINVAL, field, NULL, "%s is not a procedure file", path);
	}
	const char *route = json_string_value(json_object_get(doc, "route"));
	if (route && strcmp(route, p->route)) {
		json_decref(doc);
		return error_set(err, FH_EINVAL, field, NULL, "%s is a %s procedure, not %s",
				 p->based_on, route, p->route);
	}
	json_object_set_new(doc, "code", json_string(p->procedure));
	json_object_set_new(doc, "org", json_string(a->f->code));
	*text = json_dumps(doc, JSON_INDENT(2));
	json_decref(doc);
	return *text ? FH_OK : error_set(err, FH_ENOMEM, NULL, NULL, "out of memory");
}

static fh_status install_procedure(applying *a, const orgfile_procedure *p, size_t index,
				   fh_error *err)
{
	char field[64];
	snprintf(field, sizeof field, "procedures[%zu].procedure", index);
	fh_status s = FH_OK;
	if (*p->based_on && !a->o->installed_only) {
		char *text = NULL;
		s = read_based_on(a, p, index, &text, err);
		proc_problems problems;
		int version = 0;
		bool fresh = false;
		if (!s)
			s = store_procedure_install(a->st, text, a->o->actor, &version, &fresh,
						    &problems, err);
		free(text);
		if (s) {
			char msg[sizeof err->message];
			snprintf(msg, sizeof msg, "%s: %s: %s", p->procedure, err->field, err->message);
			return error_set(err, s, field, NULL, "%s", msg);
		}
		if (fresh)
			changed(a, "install the procedure %s version %d, from %s", p->procedure,
				version, p->based_on);
	}
	store_procedure_row *rows;
	size_t n;
	s = store_procedure_versions(a->st, p->procedure, &a->arena, &rows, &n, err);
	if (s == FH_ENOTFOUND)
		return error_set(err, FH_EINVAL, field, NULL, "no procedure %s is installed: name "
				 "the file it comes from in based_on", p->procedure);
	if (!s && strcmp(rows[0].org, a->f->code))
		s = error_set(err, FH_ECONFLICT, field, NULL, "%s is %s's procedure: give yours "
			      "another code (based_on can start from it)", p->procedure, rows[0].org);
	if (!s && strcmp(rows[0].route, p->route))
		s = error_set(err, FH_EINVAL, field, NULL, "%s is a %s procedure, not %s",
			      p->procedure, rows[0].route, p->route);
	return s;
}

/*
 * 001 / DESIGN: a case keeps the procedure it started under.  A choice that
 * cases were received under may not be changed or removed: add a choice
 * with a later from date instead.
 */
static fh_status choice_in_use(applying *a, const char *from, const char *code, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(a->st, "SELECT count(*) FROM cases WHERE org_id = ?"
				 " AND procedure_code = ? AND received_on >= ?", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, a->org_id);
	store_bind_text(stmt, 2, code);
	store_bind_text(stmt, 3, from);
	int64_t n = db_step(stmt) == DB_ROW ? db_column_int64(stmt, 0) : 0;
	store_stmt_done(a->st, stmt);
	if (n > 0)
		s = error_set(err, FH_ECONFLICT, "procedures", NULL,
			      "%lld cases received from %s are under %s: that choice stays (add "
			      "one with a later from date to change procedure)", (long long)n,
			      from, code);
	return s;
}

static fh_status apply_procedures(applying *a, fh_error *err)
{
	fh_status s = FH_OK;
	for (size_t i = 0; !s && i < a->f->n_procedures; i++)
		s = install_procedure(a, &a->f->procedures[i], i, err);
	db_stmt *stmt;
	if (!s)
		s = store_prepare(a->st, "SELECT route, from_date, procedure_code, based_on"
				  " FROM organisation_procedures WHERE org_id = ?", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, a->org_id);
	typedef struct { const char *route, *from, *code, *based_on; } row;
	row rows[64];
	size_t n_rows = 0;
	while (db_step(stmt) == DB_ROW && n_rows < 64) {
		rows[n_rows].route = store_column_text(stmt, 0, &a->arena);
		rows[n_rows].from = store_column_text(stmt, 1, &a->arena);
		rows[n_rows].code = store_column_text(stmt, 2, &a->arena);
		rows[n_rows].based_on = store_column_text(stmt, 3, &a->arena);
		n_rows++;
	}
	db_finalize(stmt);
	/* Choices the file drops or changes. */
	for (size_t r = 0; !s && r < n_rows; r++) {
		const orgfile_procedure *keep = NULL;
		for (size_t i = 0; i < a->f->n_procedures; i++)
			if (!strcmp(a->f->procedures[i].route, rows[r].route) &&
			    !strcmp(a->f->procedures[i].from, rows[r].from))
				keep = &a->f->procedures[i];
		if (keep && !strcmp(keep->procedure, rows[r].code)) {
			if (strcmp(keep->based_on, rows[r].based_on)) {
				s = store_stmt(a->st, "UPDATE organisation_procedures SET based_on = ?"
					       " WHERE org_id = ? AND route = ? AND from_date = ?", &stmt, err);
				if (!s) {
					store_bind_text(stmt, 1, keep->based_on);
					db_bind_int64(stmt, 2, a->org_id);
					store_bind_text(stmt, 3, rows[r].route);
					store_bind_text(stmt, 4, rows[r].from);
					s = store_stmt_run(a->st, stmt, "keeping a procedure choice", err);
				}
			}
			continue;
		}
		s = choice_in_use(a, rows[r].from, rows[r].code, err);
		if (!s)
			s = store_stmt(a->st, "DELETE FROM organisation_procedures WHERE org_id = ?"
				       " AND route = ? AND from_date = ?", &stmt, err);
		if (!s) {
			db_bind_int64(stmt, 1, a->org_id);
			store_bind_text(stmt, 2, rows[r].route);
			store_bind_text(stmt, 3, rows[r].from);
			s = store_stmt_run(a->st, stmt, "changing a procedure choice", err);
		}
		if (!s && !keep)
			changed(a, "stop using %s for the %s route from %s", rows[r].code,
				rows[r].route, rows[r].from);
	}
	/* Choices the file adds or changes. */
	for (size_t i = 0; !s && i < a->f->n_procedures; i++) {
		const orgfile_procedure *p = &a->f->procedures[i];
		const char *was = NULL;
		for (size_t r = 0; r < n_rows; r++)
			if (!strcmp(p->route, rows[r].route) && !strcmp(p->from, rows[r].from))
				was = rows[r].code;
		if (was && !strcmp(was, p->procedure))
			continue;
		s = store_stmt(a->st, "INSERT INTO organisation_procedures (org_id, route, from_date,"
			       " procedure_code, based_on) VALUES (?, ?, ?, ?, ?)", &stmt, err);
		if (!s) {
			db_bind_int64(stmt, 1, a->org_id);
			store_bind_text(stmt, 2, p->route);
			store_bind_text(stmt, 3, p->from);
			store_bind_text(stmt, 4, p->procedure);
			store_bind_text(stmt, 5, p->based_on);
			s = store_stmt_run(a->st, stmt, "recording a procedure choice", err);
		}
		if (!s && was)
			changed(a, "use %s instead of %s for the %s route from %s", p->procedure, was,
				p->route, p->from);
		else if (!s)
			changed(a, "use %s for the %s route from %s", p->procedure, p->route, p->from);
	}
	return s;
}

/* ---- the set-up day ------------------------------------------------------------ */

/*
 * No case is received before the day the organisation was set up
 * (store_case_create refuses one), so a file may not move that day past a
 * case already received: the case would be one the rule forbids.
 */
static fh_status apply_set_up_on(applying *a, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(a->st, "SELECT coalesce(set_up_on, ''), (SELECT coalesce(min(received_on), '')"
				 " FROM cases WHERE org_id = ?1) FROM organisations WHERE id = ?1", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, a->org_id);
	const char *have = "", *first = "";
	if (db_step(stmt) == DB_ROW) {
		have = store_column_text(stmt, 0, &a->arena);
		first = store_column_text(stmt, 1, &a->arena);
	}
	store_stmt_done(a->st, stmt);
	const char *want = or_empty(a->f->set_up_on);
	if (!strcmp(have, want))
		return FH_OK;
	/* ISO dates compare as text */
	if (*want && *first && strcmp(want, first) > 0)
		return error_set(err, FH_ECONFLICT, "set_up_on", NULL,
				 "cannot be %s: the organisation has a case received on %s, and no "
				 "case is received before the day it was set up", want, first);
	s = store_org_set_up_on(a->st, a->f->code, *want ? want : NULL, a->o->actor, err);
	if (!s && *want)
		changed(a, "set_up_on: %s becomes %s", *have ? have : "(not set)", want);
	else if (!s)
		changed(a, "set_up_on: removed (cases from 2006-09-01 on are accepted)");
	return s;
}

/* ---- retention, closure days, the first administrator ---------------------------- */

static fh_status apply_retention(applying *a, fh_error *err)
{
	int64_t have;
	fh_status s = count_of(a->st, "SELECT coalesce(max(years_after_closure), 0)"
			       " FROM retention_rules WHERE org_id = ?", a->org_id, NULL, &have, err);
	if (s || have == a->f->retention_years)
		return s;
	if (a->f->retention_years) {
		s = store_retention_set(a->st, a->f->code, a->f->retention_years, a->o->actor, err);
		if (!s)
			changed(a, "policy.retention_years: %lld becomes %d", (long long)have,
				a->f->retention_years);
		return s;
	}
	db_stmt *stmt;
	s = store_stmt(a->st, "DELETE FROM retention_rules WHERE org_id = ?", &stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, a->org_id);
		s = store_stmt_run(a->st, stmt, "removing the retention rule", err);
	}
	if (!s)
		changed(a, "policy.retention_years: removed (no closed case is anonymised)");
	return s;
}

/* Closure days are only added: one declared with `calendar closure` stays. */
static fh_status apply_closures(applying *a, fh_error *err)
{
	fh_status s = FH_OK;
	for (size_t i = 0; !s && i < a->f->n_closures; i++) {
		const orgfile_closure *c = &a->f->closures[i];
		s = store_calendar_closure_add(a->st, a->f->code, c->on, c->reason, a->o->actor, err);
		if (s == FH_ECONFLICT)
			s = FH_OK;
		else if (!s)
			changed(a, "declare %s a closure day", c->date);
	}
	return s;
}

static fh_status apply_admin(applying *a, bool *created, fh_error *err)
{
	*created = false;
	if (!a->o->admin_email)
		return FH_OK;
	int64_t uid;
	fh_status s = store_user_id(a->st, a->o->admin_email, "admin", &uid, err);
	if (s == FH_ENOTFOUND) {
		fh_user u = {.email = a->o->admin_email,
			     .display_name = a->o->admin_name ? a->o->admin_name : a->o->admin_email};
		s = store_user_create(a->st, &u, a->o->actor, NULL, err);
		if (s) {
			char msg[sizeof err->message];
			snprintf(msg, sizeof msg, "%s", err->message);
			return error_set(err, s, "admin", NULL, "%s", msg);
		}
		*created = true;
		changed(a, "add the user %s", a->o->admin_email);
	} else if (s) {
		return s;
	}
	s = store_user_grant(a->st, a->o->admin_email, a->f->code, "administrator", NULL,
			     a->o->actor, err);
	if (s == FH_ECONFLICT && !strcmp(err->field, "role"))
		return FH_OK;
	if (!s)
		changed(a, "make %s an administrator of %s", a->o->admin_email, a->f->code);
	return s;
}

fh_status store_org_apply(fh_store *st, const fh_orgfile *f, const store_org_apply_opts *o,
			  json_t **changes, bool *admin_created, fh_error *err)
{
	applying a = {.st = st, .f = f, .o = o, .changes = json_array(), .arena = ARENA_INIT};
	bool created = false, opened;
	fh_status s = store_tx_begin(st, &opened, err);
	/* A dry run must own its transaction, to roll it back. */
	if (!s && o->dry_run && !opened)
		s = error_set(err, FH_EINVAL, "dry_run", NULL,
			      "a dry run cannot be part of a larger change");
	if (!s)
		s = apply_identity(&a, err);
	if (!s)
		s = apply_set_up_on(&a, err);
	if (!s)
		s = apply_settings(&a, err);
	if (!s)
		s = apply_teams(&a, err);
	if (!s)
		s = apply_procedures(&a, err);
	if (!s)
		s = apply_retention(&a, err);
	if (!s)
		s = apply_closures(&a, err);
	if (!s)
		s = apply_admin(&a, &created, err);
	if (!s && json_array_size(a.changes)) {
		json_t *data = json_pack("{ss sO}", "code", f->code, "changes", a.changes);
		char *text = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(data);
		s = text ? store_event_append(st, a.org_id, 0, o->actor, "organisation_applied", NULL,
					      NULL, text, err)
			 : error_set(err, FH_ENOMEM, NULL, NULL, "out of memory");
		free(text);
	}
	if (o->dry_run && opened)
		store_rollback(st);
	else
		s = store_tx_end(st, opened, s, err);
	arena_free(&a.arena);
	if (s) {
		json_decref(a.changes);
		return s;
	}
	if (admin_created)
		*admin_created = created;
	if (changes)
		*changes = a.changes;
	else
		json_decref(a.changes);
	return FH_OK;
}

/* ---- export -------------------------------------------------------------------- */

static void set_text(json_t *obj, const char *key, const char *value)
{
	if (value && *value)
		json_object_set_new(obj, key, json_string(value));
}

static int by_id(const void *x, const void *y)
{
	const fh_team *a = x, *b = y;
	return (a->id > b->id) - (a->id < b->id);
}

fh_status store_org_export(fh_store *st, const char *code, json_t **out, fh_error *err)
{
	fh_arena arena = ARENA_INIT;
	db_stmt *stmt;
	*out = NULL;
	fh_status s = store_org_row(st, "SELECT id, code, name, ref_prefix, region, address, phone,"
				    " email, website, ombudsman, advocacy_service, settings, set_up_on"
				    " FROM organisations WHERE code = ?", code,
				    "reading an organisation", &stmt, err);
	if (s)
		return s;
	int64_t org_id = db_column_int64(stmt, 0);
	json_t *doc = json_object();
	json_object_set_new(doc, "code", json_string((const char *)db_column_text(stmt, 1)));
	json_object_set_new(doc, "name", json_string((const char *)db_column_text(stmt, 2)));
	json_object_set_new(doc, "ref_prefix", json_string((const char *)db_column_text(stmt, 3)));
	json_object_set_new(doc, "region", json_string((const char *)db_column_text(stmt, 4)));
	set_text(doc, "set_up_on", (const char *)db_column_text(stmt, 12));
	json_t *lh = json_object();
	json_object_set_new(lh, "address", json_string((const char *)db_column_text(stmt, 5)));
	set_text(lh, "phone", (const char *)db_column_text(stmt, 6));
	set_text(lh, "email", (const char *)db_column_text(stmt, 7));
	set_text(lh, "website", (const char *)db_column_text(stmt, 8));
	json_object_set_new(doc, "letterhead", lh);
	set_text(doc, "ombudsman", (const char *)db_column_text(stmt, 9));
	json_t *settings = json_loads((const char *)db_column_text(stmt, 11), 0, NULL);
	json_t *services = json_object();
	set_text(services, "advocacy", (const char *)db_column_text(stmt, 10));
	set_text(services, "interpreting", json_string_value(json_object_get(settings, "interpreting")));
	store_stmt_done(st, stmt);
	if (json_object_size(services))
		json_object_set_new(doc, "services", services);
	else
		json_decref(services);

	fh_team *teams;
	size_t n_teams;
	json_t *list = json_array();
	s = store_team_list(st, code, &arena, &teams, &n_teams, err);
	/* In the order they were made, which is the order of the file. */
	if (!s && n_teams)
		qsort(teams, n_teams, sizeof *teams, by_id);
	for (size_t i = 0; !s && i < n_teams; i++) {
		if (strcmp(teams[i].level, "service"))
			continue;
		json_t *names = json_array();
		for (size_t k = 0; k < n_teams; k++)
			if (teams[k].parent && !strcmp(teams[k].parent, teams[i].name))
				json_array_append_new(names, json_string(teams[k].name));
		json_array_append_new(list, json_pack("{ss so}", "service", teams[i].name, "teams",
						      names));
	}
	json_object_set_new(doc, "teams", list);

	json_t *procs = json_array();
	if (!s)
		s = store_prepare(st, "SELECT route, procedure_code, based_on, from_date"
				  " FROM organisation_procedures WHERE org_id = ?"
				  " ORDER BY route DESC, from_date", &stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, org_id);
		while (db_step(stmt) == DB_ROW) {
			json_t *e = json_pack("{ss ss}", "route", (const char *)db_column_text(stmt, 0),
					      "procedure", (const char *)db_column_text(stmt, 1));
			set_text(e, "based_on", (const char *)db_column_text(stmt, 2));
			json_object_set_new(e, "from", json_string((const char *)db_column_text(stmt, 3)));
			json_array_append_new(procs, e);
		}
		db_finalize(stmt);
	}
	json_object_set_new(doc, "procedures", procs);

	json_t *policy = json_object();
	json_t *kept = json_object_get(settings, "policy");
	if (kept)
		json_object_update(policy, kept);
	int64_t years = 0;
	if (!s)
		s = count_of(st, "SELECT coalesce(max(years_after_closure), 0) FROM retention_rules"
			     " WHERE org_id = ?", org_id, NULL, &years, err);
	if (years)
		json_object_set_new(policy, "retention_years", json_integer(years));
	calendar_day *days;
	size_t n_days = 0;
	if (!s)
		s = store_calendar_closures(st, code, &arena, &days, &n_days, err);
	if (!s && n_days) {
		json_t *closures = json_array();
		for (size_t i = 0; i < n_days; i++) {
			char iso[DATE_ISO_LEN];
			json_t *c = json_pack("{ss}", "date", date_format(days[i].date, iso));
			set_text(c, "reason", days[i].name);
			json_array_append_new(closures, c);
		}
		json_object_set_new(policy, "closure_days", closures);
	}
	if (json_object_size(policy))
		json_object_set_new(doc, "policy", policy);
	else
		json_decref(policy);
	json_decref(settings);
	arena_free(&arena);
	if (s) {
		json_decref(doc);
		return s;
	}
	*out = doc;
	return FH_OK;
}

fh_status store_org_settings(fh_store *st, const char *code, json_t **settings, fh_error *err)
{
	db_stmt *stmt;
	*settings = NULL;
	fh_status s = store_org_row(st, "SELECT settings FROM organisations WHERE code = ?", code,
				    "reading the organisation's settings", &stmt, err);
	if (s)
		return s;
	*settings = json_loads((const char *)db_column_text(stmt, 0), 0, NULL);
	store_stmt_done(st, stmt);
	if (!*settings)
		*settings = json_object();
	return FH_OK;
}
