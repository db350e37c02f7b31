/*
 * store_lifecycle.c: procedures in the database, and the shell around
 * src/core/lifecycle.c that loads a case, applies an action and saves the
 * result with its projections and audit event, all in one transaction.
 */
#include "store_lifecycle.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifecycle.h"
#include "orgfile.h"
#include "store_calendar.h"
#include "store_event.h"
#include "store_internal.h"
#include "store_rows.h"
#include "store_joint.h"
#include "store_orgfile.h"

/* ---- procedures -------------------------------------------------------------- */

static char *canonical(const json_t *doc)
{
	return json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
}

fh_status store_procedure_install(fh_store *st, const char *text, const char *actor,
				  int *installed_version, bool *changed, proc_problems *problems,
				  fh_error *err)
{
	fh_procedure *proc;
	*changed = false;
	fh_status s = procedure_parse(text, &proc, problems, err);
	if (s)
		return s;
	bool opened;
	s = store_tx_begin(st, &opened, err);
	if (s) {
		procedure_free(proc);
		return s;
	}
	int64_t org_id = 0;
	char *def = canonical(proc->doc);
	s = store_org_id(st, proc->org, &org_id, err);
	db_stmt *stmt = NULL;
	if (!s)
		s = store_stmt(st, "SELECT version, definition, org_id FROM procedures WHERE code = ?"
				      " ORDER BY version DESC LIMIT 1", &stmt, err);
	if (!s) {
		store_bind_text(stmt, 1, proc->code);
		bool found = db_step(stmt) == DB_ROW;
		if (found && db_column_int64(stmt, 2) != org_id) {
			/* A code names one organisation's procedure for good: a new
			 * version from another organisation would take over its cases. */
			s = error_set(err, FH_ECONFLICT, "code", NULL,
				      "the procedure code %s is taken: choose another", proc->code);
		} else if (found) {
			int have = db_column_int(stmt, 0);
			json_t *old = json_loads((const char *)db_column_text(stmt, 1), 0, NULL);
			char *old_def = old ? canonical(old) : NULL;
			bool same = old_def && def && !strcmp(old_def, def);
			free(old_def);
			json_decref(old);
			if (same)
				*installed_version = have;
			else if (proc->version <= have)
				s = error_set(err, FH_ECONFLICT, "version", NULL,
					      "procedure %s version %d is installed with different "
					      "content: give the changed file a higher version", proc->code,
					      have);
			else
				*changed = true;
		} else {
			*changed = true;
		}
		store_stmt_done(st, stmt);
	}
	if (!s && *changed) {
		char now[21];
		store_now(now);
		s = store_stmt(st, "INSERT INTO procedures (code, version, org_id, route, name,"
				      " definition, installed_at, installed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
				  &stmt, err);
		if (!s) {
			store_bind_text(stmt, 1, proc->code);
			db_bind_int(stmt, 2, proc->version);
			db_bind_int64(stmt, 3, org_id);
			store_bind_text(stmt, 4, proc->route);
			store_bind_text(stmt, 5, proc->name);
			store_bind_text(stmt, 6, def);
			store_bind_text(stmt, 7, now);
			store_bind_text(stmt, 8, actor);
			s = store_stmt_run(st, stmt, "installing the procedure", err);
		}
		*installed_version = proc->version;
		if (!s) {
			char data[160];
			snprintf(data, sizeof data, "{\"code\":\"%s\",\"version\":%d}", proc->code,
				 proc->version);
			s = store_event_append(st, org_id, 0, actor, "procedure_installed", NULL, NULL,
					       data, err);
		}
	}
	free(def);
	procedure_free(proc);
	return store_tx_end(st, opened, s, err);
}

static int json_file(const struct dirent *e)
{
	size_t n = strlen(e->d_name);
	return n > 5 && !strcmp(e->d_name + n - 5, ".json") && e->d_name[0] != '.';
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	if (fseek(f, 0, SEEK_END) == 0) {
		long n = ftell(f);
		if (n >= 0 && n < (1 << 20) && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
			if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
				free(buf);
				buf = NULL;
			} else {
				buf[n] = '\0';
			}
		}
	}
	fclose(f);
	return buf;
}

fh_status store_procedure_install_dir(fh_store *st, const char *dir, const char *actor,
				      int *installed, fh_error *err)
{
	struct dirent **names;
	*installed = 0;
	int n = scandir(dir, &names, json_file, alphasort);
	if (n < 0)
		return error_set(err, FH_ENOTFOUND, "procedures", NULL, "cannot read the directory %s", dir);
	bool opened;
	fh_status s = store_tx_begin(st, &opened, err);
	for (int i = 0; i < n; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
		char *text = !s ? slurp(path) : NULL;
		if (!s && !text)
			s = error_set(err, FH_EINVAL, "procedures", NULL, "cannot read %s", path);
		proc_problems problems;
		int version;
		bool changed;
		if (!s) {
			s = store_procedure_install(st, text, actor, &version, &changed, &problems, err);
			/* A procedure of an organisation this database does not serve. */
			if (s == FH_ENOTFOUND && !strcmp(err->field, "org"))
				s = FH_OK;
			else if (s) {
				char msg[sizeof err->message];
				snprintf(msg, sizeof msg, "%s: %s: %s", names[i]->d_name, err->field, err->message);
				error_set(err, s, "procedures", NULL, "%s", msg);
			}
			*installed += changed;
		}
		free(text);
		free(names[i]);
	}
	free(names);
	return store_tx_end(st, opened, s, err);
}

fh_status store_procedure_get(fh_store *st, const char *code, int version, fh_procedure **out,
			      fh_error *err)
{
	db_stmt *stmt;
	*out = NULL;
	fh_status s = store_stmt(st, "SELECT definition FROM procedures WHERE code = ?1"
				    " AND (?2 = 0 OR version = ?2) ORDER BY version DESC LIMIT 1", &stmt, err);
	if (s)
		return s;
	store_bind_text(stmt, 1, code);
	db_bind_int(stmt, 2, version);
	if (db_step(stmt) == DB_ROW) {
		proc_problems problems;
		s = procedure_parse((const char *)db_column_text(stmt, 0), out, &problems, err);
	} else {
		s = error_set(err, FH_ENOTFOUND, "procedure", NULL, "no procedure %s%s", code ? code : "",
			      version ? " of that version" : "");
	}
	store_stmt_done(st, stmt);
	return s;
}

/* Columns 0-5 of a procedure listing: code, organisation, route, name, installed, version. */
static void read_procedure_row(db_stmt *stmt, fh_arena *arena, store_procedure_row *r)
{
	r->code = store_column_text(stmt, 0, arena);
	r->org = store_column_text(stmt, 1, arena);
	r->route = store_column_text(stmt, 2, arena);
	r->name = store_column_text(stmt, 3, arena);
	r->installed_at = store_column_text(stmt, 4, arena);
	r->version = db_column_int(stmt, 5);
}

fh_status store_procedure_versions(fh_store *st, const char *code, fh_arena *arena,
				   store_procedure_row **rows, size_t *count, fh_error *err)
{
	db_stmt *stmt;
	*count = 0;
	*rows = NULL;
	fh_status s = store_stmt(st,
		"SELECT p.code, o.code, p.route, p.name, p.installed_at, p.version, p.installed_by,"
		" count(*) OVER () FROM procedures p JOIN organisations o ON o.id = p.org_id"
		" WHERE p.code = ? ORDER BY p.version DESC", &stmt, err);
	if (s)
		return s;
	store_bind_text(stmt, 1, code);
	int rc;
	while ((rc = db_step(stmt)) == DB_ROW) {
		if (*count == 0)
			*rows = arena_array(arena, (size_t)db_column_int64(stmt, 7), sizeof **rows);
		store_procedure_row *r = &(*rows)[(*count)++];
		read_procedure_row(stmt, arena, r);
		r->installed_by = store_column_text(stmt, 6, arena);
	}
	if (rc != DB_DONE)
		s = store_fail(st, "listing a procedure's versions", err);
	else if (*count == 0)
		s = error_set(err, FH_ENOTFOUND, "code", NULL, "no procedure %s", code);
	store_stmt_done(st, stmt);
	return s;
}

fh_status store_procedure_list(fh_store *st, fh_arena *arena, store_procedure_row **rows,
			       size_t *count, fh_error *err)
{
	db_stmt *stmt;
	*count = 0;
	fh_status s = store_stmt(st,
		"SELECT p.code, o.code, p.route, p.name, p.installed_at, p.version, count(*) OVER ()"
		" FROM procedures p JOIN organisations o ON o.id = p.org_id"
		" WHERE p.version = (SELECT max(version) FROM procedures q WHERE q.code = p.code)"
		" ORDER BY o.code, p.code", &stmt, err);
	if (s)
		return s;
	while (db_step(stmt) == DB_ROW) {
		if (*count == 0)
			*rows = arena_array(arena, (size_t)db_column_int64(stmt, 6), sizeof **rows);
		read_procedure_row(stmt, arena, &(*rows)[(*count)++]);
	}
	store_stmt_done(st, stmt);
	return FH_OK;
}

/* ---- loading what the rules need ------------------------------------------------ */

typedef struct loaded {
	fh_arena arena;
	fh_case kase;
	lifecycle_case lc;
	fh_procedure *org_procs[16]; /* the store's cache */
	size_t n_org_procs;
	fh_procedure *proc; /* borrowed from org_procs, or owned_proc */
	fh_procedure *owned_proc;
	const fh_calendar *cal; /* the store's: with the closure days */
	const fh_calendar *working; /* the store's: without them (reg 2) */
	json_t *state;
	lifecycle_ctx ctx;
	json_t *org_settings; /* the organisation's file's policy (store_org_settings) */
	triage_wording wording[32];
} loaded;

static void unload(loaded *l)
{
	json_decref(l->org_settings);
	procedure_free(l->owned_proc);
	json_decref(l->state);
	arena_free(&l->arena);
}

/*
 * The organisation's calendar, from the store's one-entry cache when the
 * closure days and imported holidays are as they were (the fingerprint sums
 * their ids and dates, so any insert, delete or replacement changes it).
 * The calendar stays owned by the store.
 */
static fh_status org_calendar(fh_store *st, const char *org_code, const fh_calendar **cal,
			      const fh_calendar **working, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st,
		"SELECT (SELECT count(*) || ':' || coalesce(sum(c.id), 0) || ':'"
		"  || coalesce(sum(CAST(replace(c.date, '-', '') AS INTEGER)), 0)"
		"  FROM closure_days c JOIN organisations o ON o.id = c.org_id WHERE o.code = ?1)"
		" || '/' || (SELECT count(*) || ':' || coalesce(sum(id), 0) || ':'"
		"  || coalesce(sum(CAST(replace(date, '-', '') AS INTEGER)), 0)"
		"  FROM imported_holidays)", &stmt, err);
	if (s)
		return s;
	store_bind_text(stmt, 1, org_code);
	char key[sizeof st->cached_calendar_key];
	snprintf(key, sizeof key, "%s|%s", org_code,
		 db_step(stmt) == DB_ROW ? (const char *)db_column_text(stmt, 0) : "");
	store_stmt_done(st, stmt);
	if (!st->cached_calendar || !st->cached_calendar_working ||
	    strcmp(key, st->cached_calendar_key)) {
		fh_calendar *fresh, *fresh_working;
		if ((s = store_calendar_for_org(st, org_code, &fresh, err)))
			return s;
		if ((s = store_calendar_for_org_working(st, org_code, &fresh_working, err))) {
			calendar_free(fresh);
			return s;
		}
		calendar_free(st->cached_calendar);
		calendar_free(st->cached_calendar_working);
		st->cached_calendar = fresh;
		st->cached_calendar_working = fresh_working;
		snprintf(st->cached_calendar_key, sizeof st->cached_calendar_key, "%s", key);
	}
	*cal = st->cached_calendar;
	*working = st->cached_calendar_working;
	return FH_OK;
}

/*
 * The organisation's newest procedures, for triage, parsed once and kept on
 * the handle until another procedure is installed.  They stay the store's.
 */
static fh_status load_org_procs(fh_store *st, loaded *l, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT coalesce(max(p.id), 0) FROM procedures p"
				 " JOIN organisations o ON o.id = p.org_id WHERE o.code = ?", &stmt, err);
	if (s)
		return s;
	store_bind_text(stmt, 1, l->kase.org_code);
	int64_t newest = db_step(stmt) == DB_ROW ? db_column_int64(stmt, 0) : 0;
	store_stmt_done(st, stmt);
	if (newest != st->procedures.newest_id || strcmp(st->procedures.org, l->kase.org_code)) {
		for (size_t i = 0; i < st->procedures.count; i++)
			procedure_free(st->procedures.procs[i]);
		st->procedures.count = 0;
		st->procedures.newest_id = -1;
		s = store_stmt(st,
			"SELECT p.definition FROM procedures p JOIN organisations o ON o.id = p.org_id"
			" WHERE o.code = ? AND p.version = (SELECT max(version) FROM procedures q"
			" WHERE q.code = p.code) ORDER BY p.code", &stmt, err);
		if (s)
			return s;
		store_bind_text(stmt, 1, l->kase.org_code);
		while (!s && db_step(stmt) == DB_ROW && st->procedures.count < 16) {
			proc_problems problems;
			s = procedure_parse((const char *)db_column_text(stmt, 0),
					    &st->procedures.procs[st->procedures.count], &problems, err);
			if (!s)
				st->procedures.count++;
		}
		store_stmt_done(st, stmt);
		if (s)
			return s;
		st->procedures.newest_id = newest;
		snprintf(st->procedures.org, sizeof st->procedures.org, "%s", l->kase.org_code);
	}
	for (size_t i = 0; i < st->procedures.count; i++)
		l->org_procs[i] = st->procedures.procs[i];
	l->n_org_procs = st->procedures.count;
	return FH_OK;
}

fh_status store_org_procedures_on(fh_store *st, const char *org_code, const char *on,
				  fh_arena *arena, const char ***codes, size_t *n, bool *dated,
				  fh_error *err)
{
	*codes = NULL;
	*n = 0;
	*dated = false;
	db_stmt *stmt;
	fh_status s = store_stmt(st,
		"SELECT op.procedure_code, op.from_date <= ?2 AND op.from_date = (SELECT max(q.from_date)"
		" FROM organisation_procedures q WHERE q.org_id = op.org_id AND q.route = op.route"
		" AND q.from_date <= ?2) FROM organisation_procedures op"
		" JOIN organisations o ON o.id = op.org_id WHERE o.code = ?1", &stmt, err);
	if (s)
		return s;
	store_bind_text(stmt, 1, org_code);
	store_bind_text(stmt, 2, on);
	size_t cap = 8;
	const char **out = arena_array(arena, cap, sizeof *out);
	int rc;
	while ((rc = db_step(stmt)) == DB_ROW) {
		*dated = true;
		if (!db_column_int(stmt, 1))
			continue;
		if (*n == cap) {
			const char **bigger = arena_array(arena, cap * 2, sizeof *bigger);
			memcpy(bigger, out, *n * sizeof *out);
			out = bigger;
			cap *= 2;
		}
		out[(*n)++] = store_column_text(stmt, 0, arena);
	}
	if (rc != DB_DONE)
		s = store_fail(st, "reading the organisation's procedures", err);
	store_stmt_done(st, stmt);
	*codes = out;
	return s;
}

/*
 * An organisation whose file names its procedures per route and from which
 * date (organisation_procedures, docs/organisations.md) triages a case
 * among the choices current on the day the case was received: a case
 * received before a change of procedure keeps the old one.  One with no
 * choices recorded triages among all its newest procedures, as before.
 */
static fh_status choose_org_procs(fh_store *st, loaded *l, fh_error *err)
{
	const char **current;
	size_t n_current;
	bool dated;
	fh_status s = store_org_procedures_on(st, l->kase.org_code, l->kase.received_on, &l->arena,
					      &current, &n_current, &dated, err);
	if (s || !dated)
		return s;
	size_t kept = 0;
	for (size_t i = 0; i < l->n_org_procs; i++) {
		bool chosen = false;
		for (size_t k = 0; k < n_current && !chosen; k++)
			chosen = !strcmp(current[k], l->org_procs[i]->code);
		if (chosen)
			l->org_procs[kept++] = l->org_procs[i];
	}
	l->n_org_procs = kept;
	return FH_OK;
}

static void describe_case(loaded *l)
{
	fh_case *k = &l->kase;
	lifecycle_case *lc = &l->lc;
	lc->kind = k->kind;
	lc->anonymous = k->anonymous;
	date_parse(k->received_on, &lc->received_on);
	lc->relationship = "";
	lc->child_status = "";
	lc->consent = "not_needed";
	for (size_t i = 0; i < k->n_parties; i++) {
		const fh_party *p = &k->parties[i];
		if (!strcmp(p->role, "complainant")) {
			lc->relationship = p->relationship;
			if (*p->child_status)
				lc->child_status = p->child_status;
		}
		if (!strcmp(p->role, "child") && *p->child_status)
			lc->child_status = p->child_status;
		if ((!strcmp(p->role, "complainant") || !strcmp(p->role, "representative")) &&
		    strcmp(p->consent, "not_needed"))
			lc->consent = p->consent;
	}
	lc->n_points = k->n_points;
	lc->points = k->points;
}

/* 001 §14.3: the earliest written consent to share for independent
 * consideration recorded on the case (store_consent_add). */
static fh_status load_consent_to_share(fh_store *st, loaded *l, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT min(dated_on) FROM data_consents WHERE case_id = ?"
				 " AND purpose = 'independent_consideration'", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, l->kase.id);
	if (db_step(stmt) == DB_ROW && db_column_type(stmt, 0) == DB_TEXT)
		l->lc.consent_to_share = date_parse((const char *)db_column_text(stmt, 0),
						    &l->lc.consent_to_share_on);
	store_stmt_done(st, stmt);
	return FH_OK;
}

static fh_status load_state(fh_store *st, loaded *l, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT state FROM case_lifecycle WHERE case_id = ?", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, l->kase.id);
	if (db_step(stmt) == DB_ROW)
		l->state = json_loads((const char *)db_column_text(stmt, 0), 0, NULL);
	store_stmt_done(st, stmt);
	if (!l->state)
		l->state = lifecycle_initial_state(&l->ctx);
	return FH_OK;
}

/* The organisation's own policy the rules read: its words for the reasons
 * a complaint is not considered and who may take each action
 * (docs/organisations.md, policy.triage and policy.actions). */
static fh_status load_org_policy(fh_store *st, loaded *l, fh_error *err)
{
	fh_status s = store_org_settings(st, l->kase.org_code, &l->org_settings, err);
	if (s)
		return s;
	l->ctx.exclusion_wording = l->wording;
	l->ctx.n_exclusion_wording = orgfile_triage_wording(l->org_settings, l->wording,
							    sizeof l->wording / sizeof l->wording[0]);
	l->ctx.action_roles = json_object_get(json_object_get(l->org_settings, "policy"), "actions");
	return FH_OK;
}

static fh_status load(fh_store *st, const char *reference, const fh_actor *actor, fh_date today,
		      loaded *l, fh_error *err)
{
	memset(l, 0, sizeof *l);
	fh_status s = store_case_get(st, reference, &l->arena, &l->kase, err);
	if (!s)
		s = load_org_procs(st, l, err);
	if (!s)
		s = choose_org_procs(st, l, err);
	if (!s)
		s = org_calendar(st, l->kase.org_code, &l->cal, &l->working, err);
	if (s)
		return s;
	describe_case(l);
	if ((s = load_consent_to_share(st, l, err)))
		return s;
	if (today == 0) /* a new case: its clocks are counted from its receipt */
		today = l->lc.received_on;
	l->ctx = (lifecycle_ctx){.kase = &l->lc, .org_procs = (const fh_procedure *const *)l->org_procs,
				 .n_org_procs = l->n_org_procs, .cal = l->working,
				 .cal_closures = l->cal, .actor = actor,
				 .today = today};
	if ((s = load_org_policy(st, l, err)))
		return s;
	if ((s = load_state(st, l, err)))
		return s;
	json_t *proc = json_object_get(l->state, "procedure");
	if (json_is_object(proc)) {
		const char *code = json_string_value(json_object_get(proc, "code"));
		int version = (int)json_integer_value(json_object_get(proc, "version"));
		for (size_t i = 0; i < l->n_org_procs; i++)
			if (!strcmp(l->org_procs[i]->code, code) && l->org_procs[i]->version == version)
				l->proc = l->org_procs[i];
		/* The case keeps the version it started under. */
		if (!l->proc && !(s = store_procedure_get(st, code, version, &l->owned_proc, err)))
			l->proc = l->owned_proc;
	}
	l->ctx.proc = l->proc;
	return s;
}

/* ---- saving: the state and its projections --------------------------------------- */

static fh_status exec_bound(fh_store *st, const char *sql, int64_t id, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st, sql, &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, id);
	s = store_stmt_run(st, stmt, "updating a case's projections", err);
	return s;
}

static const char *jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static fh_status project(fh_store *st, int64_t case_id, const json_t *state, const json_t *deadlines,
			 fh_error *err)
{
	char now[21];
	store_now(now);
	char *text = json_dumps(state, JSON_COMPACT | JSON_SORT_KEYS);
	db_stmt *stmt;
	fh_status s = store_stmt(st,
		"INSERT INTO case_lifecycle (case_id, state, updated_at) VALUES (?, ?, ?)"
		" ON CONFLICT (case_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
		&stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, case_id);
		store_bind_text(stmt, 2, text);
		store_bind_text(stmt, 3, now);
		s = store_stmt_run(st, stmt, "saving the case's state", err);
	}
	free(text);
	json_t *proc = json_object_get(state, "procedure");
	if (!s)
		s = store_stmt(st,
			"UPDATE cases SET route = ?, procedure_code = coalesce(?, procedure_code),"
			" procedure_version = coalesce(?, procedure_version), state = ?, stage = ?,"
			" closed_on = ?, updated_at = ? WHERE id = ?", &stmt, err);
	if (!s) {
		store_bind_text(stmt, 1, jstr(state, "route"));
		store_bind_text(stmt, 2, json_is_object(proc) ? jstr(proc, "code") : NULL);
		if (json_is_object(proc))
			db_bind_int64(stmt, 3, json_integer_value(json_object_get(proc, "version")));
		store_bind_text(stmt, 4, jstr(state, "status"));
		db_bind_int64(stmt, 5, json_integer_value(json_object_get(state, "stage")));
		store_bind_text(stmt, 6, jstr(state, "closed_on"));
		store_bind_text(stmt, 7, now);
		db_bind_int64(stmt, 8, case_id);
		s = store_stmt_run(st, stmt, "updating the case", err);
	}
	if (!s)
		s = exec_bound(st, "DELETE FROM case_stages WHERE case_id = ?", case_id, err);
	if (!s)
		s = exec_bound(st, "DELETE FROM findings WHERE point_id IN"
				   " (SELECT id FROM complaint_points WHERE case_id = ?)", case_id, err);
	if (!s)
		s = exec_bound(st, "DELETE FROM case_assignments WHERE case_id = ?", case_id, err);
	if (!s)
		s = exec_bound(st, "DELETE FROM case_deadlines WHERE case_id = ?", case_id, err);
	size_t i;
	json_t *stage;
	json_array_foreach(json_object_get(state, "stages"), i, stage) {
		if (s)
			break;
		int n = (int)json_integer_value(json_object_get(stage, "number"));
		json_t *response = json_object_get(json_object_get(stage, "clocks"), "response");
		s = store_stmt(st, "INSERT INTO case_stages (case_id, stage, state, requested_on,"
				      " started_on, due_on, responded_on) VALUES (?, ?, ?, ?, ?, ?, ?)",
				  &stmt, err);
		if (s)
			break;
		db_bind_int64(stmt, 1, case_id);
		db_bind_int(stmt, 2, n);
		store_bind_text(stmt, 3, jstr(stage, "status"));
		store_bind_text(stmt, 4, jstr(stage, "requested_on"));
		store_bind_text(stmt, 5, jstr(stage, "accepted_on"));
		store_bind_text(stmt, 6, jstr(response, "due"));
		store_bind_text(stmt, 7, jstr(stage, "responded_on"));
		s = store_stmt_run(st, stmt, "projecting a stage", err);

		const char *key;
		json_t *f;
		json_object_foreach(json_object_get(stage, "findings"), key, f) {
			if (s)
				break;
			s = store_stmt(st,
				"INSERT INTO findings (point_id, stage, outcome, reasoning, outcome_response,"
				" recorded_at) SELECT id, ?, ?, ?, ?, ? FROM complaint_points"
				" WHERE case_id = ? AND seq = ?", &stmt, err);
			if (s)
				break;
			db_bind_int(stmt, 1, n);
			store_bind_text(stmt, 2, jstr(f, "outcome"));
			store_bind_text(stmt, 3, jstr(f, "reasoning"));
			store_bind_text(stmt, 4, jstr(f, "outcome_response") ? jstr(f, "outcome_response") : "");
			store_bind_text(stmt, 5, jstr(f, "on"));
			db_bind_int64(stmt, 6, case_id);
			db_bind_int(stmt, 7, atoi(key));
			s = store_stmt_run(st, stmt, "projecting a finding", err);
		}
		size_t j;
		json_t *as;
		json_array_foreach(json_object_get(stage, "assignments"), j, as) {
			if (s)
				break;
			s = store_stmt(st,
				"INSERT INTO case_assignments (case_id, stage, user_id, user_email, role,"
				" chair, assigned_on, ended_at) VALUES (?1, ?2,"
				" (SELECT id FROM users WHERE email = ?3), ?3, ?4, ?5, ?6, ?7)", &stmt, err);
			if (s)
				break;
			db_bind_int64(stmt, 1, case_id);
			db_bind_int(stmt, 2, n);
			store_bind_text(stmt, 3, jstr(as, "user"));
			store_bind_text(stmt, 4, jstr(as, "role"));
			db_bind_int(stmt, 5, json_is_true(json_object_get(as, "chair")));
			store_bind_text(stmt, 6, jstr(as, "on"));
			store_bind_text(stmt, 7, jstr(as, "ended_on"));
			s = store_stmt_run(st, stmt, "projecting an assignment", err);
		}
	}
	json_t *d;
	json_array_foreach(deadlines, i, d) {
		if (s)
			break;
		s = store_stmt(st, "INSERT INTO case_deadlines (case_id, stage, clock,"
				      " start_on, due_on, stopped, source, stopped_since, stopped_until,"
				      " stopped_for) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
				      " ON CONFLICT (case_id, stage, clock) DO UPDATE SET"
				      " start_on = excluded.start_on, due_on = excluded.due_on,"
				      " stopped = excluded.stopped, source = excluded.source,"
				      " stopped_since = excluded.stopped_since,"
				      " stopped_until = excluded.stopped_until,"
				      " stopped_for = excluded.stopped_for",
				  &stmt, err);
		if (s)
			break;
		db_bind_int64(stmt, 1, case_id);
		db_bind_int64(stmt, 2, json_integer_value(json_object_get(d, "stage")));
		store_bind_text(stmt, 3, jstr(d, "clock"));
		store_bind_text(stmt, 4, jstr(d, "start"));
		store_bind_text(stmt, 5, jstr(d, "due"));
		db_bind_int(stmt, 6, json_is_true(json_object_get(d, "stopped")));
		store_bind_text(stmt, 7, jstr(d, "source") ? jstr(d, "source") : "");
		store_bind_text(stmt, 8, jstr(d, "stopped_since"));
		store_bind_text(stmt, 9, jstr(d, "stopped_until"));
		store_bind_text(stmt, 10, jstr(d, "stopped_for"));
		s = store_stmt_run(st, stmt, "projecting a deadline", err);
	}
	json_array_foreach(json_object_get(state, "withdrawn_points"), i, d) {
		if (s)
			break;
		s = store_stmt(st, "UPDATE complaint_points SET withdrawn = 1 WHERE case_id = ? AND seq = ?",
				  &stmt, err);
		if (s)
			break;
		db_bind_int64(stmt, 1, case_id);
		db_bind_int64(stmt, 2, json_integer_value(d));
		s = store_stmt_run(st, stmt, "withdrawing a point", err);
	}
	/* the report's rows, from what was just written (store_report.c) */
	if (!s)
		s = store_report_project(st, case_id, state, err);
	return s;
}

fh_status store_lifecycle_seed(fh_store *st, int64_t case_id, const char *org_code,
			       const char *kind, fh_date received_on, fh_error *err)
{
	/* Only what a new case's first state depends on: its kind, its receipt
	 * and its organisation's procedures and calendar; nothing to read back. */
	static const fh_actor system = {.name = "system", .all_roles = true};
	loaded l;
	memset(&l, 0, sizeof l);
	l.kase.org_code = org_code;
	fh_status s = load_org_procs(st, &l, err);
	if (!s)
		s = org_calendar(st, org_code, &l.cal, &l.working, err);
	if (s)
		return s;
	l.lc = (lifecycle_case){.kind = kind, .received_on = received_on, .relationship = "",
				.child_status = "", .consent = "not_needed"};
	l.ctx = (lifecycle_ctx){.kase = &l.lc, .org_procs = (const fh_procedure *const *)l.org_procs,
				.n_org_procs = l.n_org_procs, .cal = l.working,
				.cal_closures = l.cal, .actor = &system,
				.today = received_on};
	json_t *state = lifecycle_initial_state(&l.ctx);
	json_t *deadlines = lifecycle_deadlines(&l.ctx, state);
	char now[21];
	store_now(now);
	char *text = json_dumps(state, JSON_COMPACT | JSON_SORT_KEYS);
	db_stmt *stmt;
	s = store_stmt(st, "INSERT INTO case_lifecycle (case_id, state, updated_at) VALUES (?, ?, ?)",
		       &stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, case_id);
		store_bind_text(stmt, 2, text);
		store_bind_text(stmt, 3, now);
		s = store_stmt_run(st, stmt, "saving the case's first state", err);
	}
	size_t i;
	json_t *d;
	json_array_foreach(deadlines, i, d) {
		if (s)
			break;
		s = store_stmt(st, "INSERT INTO case_deadlines (case_id, stage, clock, start_on, due_on,"
				   " stopped, source) VALUES (?, 0, ?, ?, ?, 0, ?)", &stmt, err);
		if (s)
			break;
		db_bind_int64(stmt, 1, case_id);
		store_bind_text(stmt, 2, jstr(d, "clock"));
		store_bind_text(stmt, 3, jstr(d, "start"));
		store_bind_text(stmt, 4, jstr(d, "due"));
		store_bind_text(stmt, 5, jstr(d, "source") ? jstr(d, "source") : "");
		s = store_stmt_run(st, stmt, "saving a deadline", err);
	}
	free(text);
	json_decref(state);
	json_decref(deadlines);
	return s;
}

/*
 * what the lifecycle needs to know of the
 * user an assignment names: that they exist, hold a role in the case's
 * organisation, and whether an administrator marked them independent of
 * it.  An unknown user is left out of the context, which the lifecycle
 * refuses.  The email is kept in the arena.
 */
static fh_status load_assignee(fh_store *st, loaded *l, const json_t *params,
			       lifecycle_person *who, fh_error *err)
{
	const char *email = json_string_value(json_object_get(params, "user"));
	if (!email)
		return FH_OK;
	db_stmt *stmt;
	fh_status s = store_stmt(st,
		"SELECT u.email,"
		" CASE WHEN EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.org_id = o.id)"
		"  THEN 1 ELSE 0 END,"
		" CASE WHEN EXISTS (SELECT 1 FROM user_independence i WHERE i.user_id = u.id"
		"  AND i.org_id = o.id) THEN 1 ELSE 0 END"
		" FROM users u, organisations o WHERE u.email = ?1 AND o.code = ?2", &stmt, err);
	if (s)
		return s;
	store_bind_text(stmt, 1, email);
	store_bind_text(stmt, 2, l->kase.org_code);
	if (db_step(stmt) == DB_ROW) {
		/* the email as the parameter gave it: the lifecycle compares it so */
		who->email = arena_strdup(&l->arena, email);
		who->in_org = db_column_int(stmt, 1) != 0;
		who->independent = db_column_int(stmt, 2) != 0;
		l->ctx.people = who;
		l->ctx.n_people = 1;
	}
	store_stmt_done(st, stmt);
	return FH_OK;
}

fh_status store_case_act(fh_store *st, const char *reference, const char *action,
			 const json_t *params, const fh_actor *actor, fh_date today,
			 json_t **result, fh_error *err)
{
	*result = NULL;
	bool opened;
	fh_status s = store_tx_begin(st, &opened, err);
	if (s)
		return s;
	loaded l;
	s = load(st, reference, actor, today, &l, err);
	lifecycle_outcome out = {0};
	/* 001 §13.1: one co-ordinated response, so not while a team's part is outstanding */
	if (!s && strcmp(action, "issue_response") == 0)
		s = store_joint_check_response(st, l.kase.id, l.kase.stage, err);
	lifecycle_person assignee = {0};
	if (!s && strcmp(action, "assign") == 0)
		s = load_assignee(st, &l, params, &assignee, err);
	if (!s)
		s = lifecycle_apply(&l.ctx, l.state, action, params, &out, err);
	/* The action's writes go ahead in one pipeline on PostgreSQL, as a new
	 * case's do (store_case_create): any failure fails the whole action. */
	db_defer_writes(st->db, true);
	json_t *deadlines = NULL;
	json_t *point = !s ? json_object_get(json_object_get(out.event, "result"), "point") : NULL;
	if (point) {
		/* add_point: the lifecycle decided it; the point row is its projection. */
		db_stmt *stmt;
		s = store_stmt(st, "INSERT INTO complaint_points (case_id, seq, summary, desired_outcome)"
				   " VALUES (?, ?, ?, ?)", &stmt, err);
		if (!s) {
			db_bind_int64(stmt, 1, l.kase.id);
			db_bind_int64(stmt, 2, json_integer_value(json_object_get(point, "seq")));
			store_bind_text(stmt, 3, jstr(point, "summary"));
			store_bind_text(stmt, 4, jstr(point, "desired_outcome"));
			s = store_stmt_run(st, stmt, "adding the point", err);
		}
	}
	if (!s) {
		lifecycle_ctx ctx = l.ctx;
		if (out.chosen)
			ctx.proc = out.chosen;
		deadlines = lifecycle_deadlines(&ctx, out.state);
		s = project(st, l.kase.id, out.state, deadlines, err);
	}
	if (!s) {
		if (out.confidential)
			json_object_set_new(out.event, "confidential", json_true());
		char *data = json_dumps(out.event, JSON_COMPACT | JSON_SORT_KEYS);
		char on[DATE_ISO_LEN];
		const char *reason = json_string_value(json_object_get(params, "reason"));
		s = store_event_append(st, 0, l.kase.id, actor->name, action, reason,
				       date_format(out.effective_on, on), data, err);
		free(data);
	}
	if (!s) {
		*result = json_pack("{ss ss sO sO sO}", "reference", l.kase.reference, "action", action,
				    "state", out.state, "deadlines", deadlines, "result",
				    json_object_get(out.event, "result"));
	}
	db_defer_writes(st->db, false);
	if (!s && db_flush(st->db) != DB_OK)
		s = store_fail(st, "recording the action", err);
	if (s) {
		json_decref(*result);
		*result = NULL;
	}
	json_decref(deadlines);
	json_decref(out.state);
	json_decref(out.event);
	unload(&l);
	return store_tx_end(st, opened, s, err);
}

fh_status store_case_lifecycle(fh_store *st, const char *reference, const fh_actor *actor,
			       fh_date today, bool public_only, json_t **out, fh_error *err)
{
	loaded l;
	*out = NULL;
	fh_status s = load(st, reference, actor, today, &l, err);
	if (!s) {
		json_t *deadlines = lifecycle_deadlines(&l.ctx, l.state);
		json_t *state = public_only ? lifecycle_public_view(l.state) : json_incref(l.state);
		*out = json_pack("{so so so so}", "state", state, "deadlines", deadlines, "allowed",
				 lifecycle_allowed(&l.ctx, l.state), "missing",
				 lifecycle_missing(&l.ctx, l.state));
	}
	unload(&l);
	return s;
}
