/*
 * store_workspace.c: the staff dashboards' counts and lists (store_workspace.h).
 *
 * The user's view is split into scopes, one per organisation: where they
 * see every case (org_wide) and where only the cases assigned to them
 * (assigned_only).  That is store_case_query_run's rule, applied one
 * organisation at a time so that every statement names a single org_id and
 * runs as a range of one index (cases_open_due, the workspace migration) instead of a
 * pass over every open case.
 *
 * A whole organisation's counts come from case_open_counts, which
 * the workspace migration keeps as cases open, move and close; a filtered view counts
 * the cases themselves.
 *
 * The SQL is put together from the fixed fragments below, one set of
 * clauses per filter given; every value is a bound parameter:
 *   ?1 the organisation, ?2 the user, ?3 team name, ?4 officer email,
 *   ?5 stage, ?6 procedure code, ?7 today, ?8 the end of the week,
 *   ?9 limit, ?10 offset; a list over several scopes numbers each scope's
 *   organisation ?21, ?22, ...
 */
#include "store_workspace.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "store_internal.h"
#include "store_rows.h"

#define OPEN_CASES "c.state IN ('received', 'open', 'suspended')"

enum { MAX_SCOPES = 16, SQL_MAX = 8192 };

typedef struct scope {
	int64_t org_id;
	bool assigned; /* only the user's assigned cases */
} scope;

/* Where the user looks, after the organisation filter. */
static fh_status scopes_of(fh_store *st, const store_ws_filter *f, scope *out, size_t *n,
			   fh_error *err)
{
	int64_t only = 0;
	*n = 0;
	if (f->org_code && *f->org_code) {
		fh_status s = store_org_id(st, f->org_code, &only, err);
		if (s == FH_ENOTFOUND)
			return FH_OK; /* no such organisation: nothing to see */
		if (s)
			return s;
	}
	for (int pass = 0; pass < 2; pass++) {
		const int64_t *ids = pass ? f->assigned_only : f->org_wide;
		size_t count = pass ? f->n_assigned_only : f->n_org_wide;
		for (size_t i = 0; i < count; i++) {
			bool seen = false;
			for (size_t j = 0; j < *n; j++)
				seen |= out[j].org_id == ids[i];
			if (seen || (only && ids[i] != only))
				continue;
			if (*n == MAX_SCOPES)
				return error_set(err, FH_EINVAL, "org", NULL,
						 "at most %d organisations at once", MAX_SCOPES);
			out[(*n)++] = (scope){ids[i], pass == 1};
		}
	}
	return FH_OK;
}

static fh_status check_filter(const store_ws_filter *f, fh_error *err)
{
	fh_date d;
	if (!f->today || !date_parse(f->today, &d))
		return error_set(err, FH_EINVAL, "today", NULL, "must be a date (YYYY-MM-DD)");
	if (!f->week_end || !date_parse(f->week_end, &d) || strcmp(f->week_end, f->today) < 0)
		return error_set(err, FH_EINVAL, "week_end", NULL,
				 "must be a date (YYYY-MM-DD) on or after today");
	if (f->stage > 3)
		return error_set(err, FH_EINVAL, "stage", NULL, "must be 0 to 3, or -1 for any");
	return FH_OK;
}

static bool given(const char *s)
{
	return s && *s;
}

__attribute__((format(printf, 3, 4)))
static void add(char *sql, size_t *used, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(sql + *used, SQL_MAX - *used, fmt, ap);
	va_end(ap);
	if (n > 0)
		*used += (size_t)n < SQL_MAX - *used ? (size_t)n : SQL_MAX - *used - 1;
}

static void bind(db_stmt *stmt, const store_ws_filter *f, int64_t org_id)
{
	int n = db_bind_parameter_count(stmt);
	for (int i = 1; i <= n && i <= 8; i++) {
		switch (i) {
		case 1: db_bind_int64(stmt, i, org_id); break;
		case 2: db_bind_int64(stmt, i, f->user_id); break;
		case 3: store_bind_text(stmt, i, f->team); break;
		case 4: store_bind_text(stmt, i, f->officer); break;
		case 5: db_bind_int(stmt, i, f->stage); break;
		case 6: store_bind_text(stmt, i, f->procedure); break;
		case 7: store_bind_text(stmt, i, f->today); break;
		case 8: store_bind_text(stmt, i, f->week_end); break;
		default: break;
		}
	}
}

/*
 * FROM and WHERE for one scope (its organisation as ?org) and the filters.
 * A view of someone's assignments starts from those (a handful of rows)
 * instead of the organisation's open cases; otherwise covering says to read
 * cases_open_due, which holds every column the filters and buckets use.
 */
static void source(char *sql, size_t *used, const store_ws_filter *f, const scope *sc, int org,
		   bool covering)
{
	bool by_user = sc->assigned || f->mine;
	if (by_user)
		add(sql, used, " FROM (SELECT DISTINCT case_id AS id FROM case_assignments"
			       " WHERE user_id = ?2 AND ended_at IS NULL) a CROSS JOIN cases c");
	else if (given(f->officer))
		add(sql, used, " FROM (SELECT DISTINCT case_id AS id FROM case_assignments"
			       " WHERE user_email = ?4 COLLATE NOCASE AND ended_at IS NULL) a"
			       " CROSS JOIN cases c");
	else
		add(sql, used, covering ? " FROM cases c INDEXED BY cases_open_due" : " FROM cases c");
	/* (CROSS JOIN keeps SQLite from reordering the join; the condition is
	 * here because PostgreSQL allows no ON after it) */
	add(sql, used, " WHERE %s" OPEN_CASES " AND c.org_id = ?%d",
	    by_user || given(f->officer) ? "c.id = a.id AND " : "", org);
	if (by_user && given(f->officer))
		add(sql, used, " AND c.id IN (SELECT case_id FROM case_assignments"
			       " WHERE user_email = ?4 COLLATE NOCASE AND ended_at IS NULL)");
	if (given(f->team))
		add(sql, used, " AND c.team_id IN (SELECT id FROM teams WHERE org_id = ?%d"
			       " AND name = ?3)", org);
	if (f->stage >= 0)
		add(sql, used, " AND c.stage = ?5");
	if (given(f->procedure))
		add(sql, used, " AND c.procedure_code = ?6");
}

/*
 * A whole organisation, unfiltered but for the stage: the kept counts
 * (case_open_counts, the workspace migration) answer it.
 */
static bool kept_counts_answer(const store_ws_filter *f, const scope *sc)
{
	return !sc->assigned && !f->mine && !given(f->team) && !given(f->officer) &&
	       !given(f->procedure);
}

static fh_status kept_counts(fh_store *st, const store_ws_filter *f, int64_t org_id,
			     store_ws_counts *out, fh_error *err)
{
	db_stmt *stmt;
#define KEPT_COUNTS \
		"SELECT coalesce(sum(CASE WHEN due <> '' AND due < ?7 THEN n END), 0)," \
		" coalesce(sum(CASE WHEN due = ?7 THEN n END), 0)," \
		" coalesce(sum(CASE WHEN due > ?7 AND due <= ?8 THEN n END), 0)," \
		" coalesce(sum(CASE WHEN stage = 0 THEN n END), 0)," \
		" coalesce(sum(CASE WHEN stage = 1 THEN n END), 0)," \
		" coalesce(sum(CASE WHEN stage = 2 THEN n END), 0)," \
		" coalesce(sum(CASE WHEN stage = 3 THEN n END), 0)" \
		" FROM case_open_counts WHERE org_id = ?1"
	fh_status s = store_stmt(st, f->stage >= 0 ? KEPT_COUNTS " AND stage = ?5" : KEPT_COUNTS,
				 &stmt, err);
#undef KEPT_COUNTS
	if (s)
		return s;
	bind(stmt, f, org_id);
	if (db_step(stmt) == DB_ROW) {
		out->overdue += db_column_int64(stmt, 0);
		out->due_today += db_column_int64(stmt, 1);
		out->due_week += db_column_int64(stmt, 2);
		for (int i = 0; i < 4; i++)
			out->by_stage[i] += db_column_int64(stmt, 3 + i);
	} else {
		s = store_fail(st, "counting the dashboard's cases", err);
	}
	store_stmt_done(st, stmt);
	return s;
}

/* The clause that picks a clock bucket (due dates from the index). */
static const char *bucket(store_ws_clock clock)
{
	switch (clock) {
	case STORE_WS_OVERDUE: return " AND c.next_due < ?7";
	case STORE_WS_DUE_TODAY: return " AND c.next_due = ?7";
	case STORE_WS_DUE_WEEK: return " AND c.next_due > ?7 AND c.next_due <= ?8";
	case STORE_WS_ANY: break;
	}
	return " AND c.next_due IS NOT NULL";
}

/* Runs a one-number statement. */
static fh_status count_one(fh_store *st, const char *sql, const store_ws_filter *f,
			   int64_t org_id, int stage, int64_t *out, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st, sql, &stmt, err);
	if (s)
		return s;
	bind(stmt, f, org_id);
	if (stage >= 0)
		db_bind_int(stmt, 5, stage);
	if (db_step(stmt) == DB_ROW)
		*out += db_column_int64(stmt, 0);
	else
		s = store_fail(st, "counting the dashboard's cases", err);
	store_stmt_done(st, stmt);
	return s;
}

fh_status store_ws_count(fh_store *st, const store_ws_filter *f, store_ws_counts *out,
			 fh_error *err)
{
	memset(out, 0, sizeof *out);
	scope scopes[MAX_SCOPES];
	size_t n;
	fh_status s = check_filter(f, err);
	if (!s)
		s = scopes_of(st, f, scopes, &n, err);
	for (size_t i = 0; !s && i < n; i++) {
		if (kept_counts_answer(f, &scopes[i])) {
			s = kept_counts(st, f, scopes[i].org_id, out, err);
			continue;
		}
		char sql[SQL_MAX];
		size_t used = 0;
		/* By clock: each a range of cases_open_due (or a few assignments). */
		const store_ws_clock clocks[] = {STORE_WS_OVERDUE, STORE_WS_DUE_TODAY,
						 STORE_WS_DUE_WEEK};
		int64_t *into[] = {&out->overdue, &out->due_today, &out->due_week};
		for (size_t k = 0; !s && k < 3; k++) {
			used = 0;
			add(sql, &used, "SELECT count(*)");
			source(sql, &used, f, &scopes[i], 1, true);
			add(sql, &used, "%s", bucket(clocks[k]));
			s = count_one(st, sql, f, scopes[i].org_id, -1, into[k], err);
		}
		/* By stage: the planner's choice (cases_org_state holds the stage). */
		store_ws_filter by_stage = *f;
		by_stage.stage = 0; /* every stage statement has the stage clause */
		used = 0;
		add(sql, &used, "SELECT count(*)");
		source(sql, &used, &by_stage, &scopes[i], 1, false);
		for (int stage = 0; !s && stage < 4; stage++)
			if (f->stage < 0 || f->stage == stage)
				s = count_one(st, sql, f, scopes[i].org_id, stage,
					      &out->by_stage[stage], err);
	}
	for (int stage = 0; stage < 4; stage++)
		out->open += out->by_stage[stage];
	return s;
}

/*
 * The ids of one page: the cases of every scope in the bucket, soonest due
 * first; with no_clock, the cases with no running clock, newest first.
 */
static fh_status page_ids(fh_store *st, const store_ws_filter *f, const scope *scopes, size_t n,
			  store_ws_clock clock, bool no_clock, size_t limit, size_t offset,
			  int64_t *ids, size_t *count, fh_error *err)
{
	char sql[SQL_MAX];
	size_t used = 0;
	for (size_t i = 0; i < n; i++) {
		add(sql, &used, "%sSELECT c.id AS id, c.next_due AS due", i ? " UNION ALL " : "");
		source(sql, &used, f, &scopes[i], 21 + (int)i, true);
		add(sql, &used, "%s", no_clock ? " AND c.next_due IS NULL" : bucket(clock));
	}
	add(sql, &used, no_clock ? " ORDER BY id DESC LIMIT ?9 OFFSET ?10"
				 : " ORDER BY due, id LIMIT ?9 OFFSET ?10");
	db_stmt *stmt;
	fh_status s = store_stmt(st, sql, &stmt, err);
	if (s)
		return s;
	bind(stmt, f, scopes[0].org_id);
	for (size_t i = 0; i < n; i++)
		db_bind_int64(stmt, 21 + (int)i, scopes[i].org_id);
	db_bind_int64(stmt, 9, (int64_t)limit);
	db_bind_int64(stmt, 10, (int64_t)offset);
	int rc;
	while ((rc = db_step(stmt)) == DB_ROW && *count < limit)
		ids[(*count)++] = db_column_int64(stmt, 0);
	if (rc != DB_DONE && rc != DB_ROW)
		s = store_fail(st, "listing the dashboard's cases", err);
	store_stmt_done(st, stmt);
	return s;
}

static fh_status fill_row(fh_store *st, int64_t id, fh_arena *arena, store_ws_row *r,
			  fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st,
		"SELECT c.reference, o.code, c.kind, c.summary, c.state, c.route,"
		" coalesce(t.name, ''), coalesce(c.procedure_code, ''), c.stage,"
		" coalesce(c.next_due, ''),"
		" coalesce((SELECT d.clock FROM case_deadlines d WHERE d.case_id = c.id"
		"   AND d.stopped = 0 AND d.due_on = c.next_due ORDER BY d.stage DESC, d.clock"
		"   LIMIT 1), ''),"
		" coalesce((SELECT group_concat(a.user_email, ', ') FROM case_assignments a"
		"   WHERE a.case_id = c.id AND a.ended_at IS NULL), ''),"
		" coalesce((SELECT d.stopped_since || '|' || coalesce(d.stopped_until, '') || '|'"
		"   || coalesce(d.stopped_for, '') FROM case_deadlines d WHERE d.case_id = c.id"
		"   AND d.stopped = 1 AND d.stopped_since IS NOT NULL"
		"   ORDER BY d.stopped_since, d.stage, d.clock LIMIT 1), '')"
		" FROM cases c JOIN organisations o ON o.id = c.org_id"
		" LEFT JOIN teams t ON t.id = c.team_id WHERE c.id = ?", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, id);
	if (db_step(stmt) == DB_ROW) {
		r->reference = store_column_text(stmt, 0, arena);
		r->org_code = store_column_text(stmt, 1, arena);
		r->kind = store_column_text(stmt, 2, arena);
		r->summary = store_column_text(stmt, 3, arena);
		r->state = store_column_text(stmt, 4, arena);
		r->route = store_column_text(stmt, 5, arena);
		r->team = store_column_text(stmt, 6, arena);
		r->procedure = store_column_text(stmt, 7, arena);
		r->stage = db_column_int(stmt, 8);
		r->due = store_column_text(stmt, 9, arena);
		r->clock = store_column_text(stmt, 10, arena);
		r->officers = store_column_text(stmt, 11, arena);
		/* "since|until|why" */
		char *stop = (char *)store_column_text(stmt, 12, arena);
		char *bar1 = strchr(stop, '|'), *bar2 = bar1 ? strchr(bar1 + 1, '|') : NULL;
		r->stopped_since = r->stopped_until = r->stopped_for = "";
		if (bar1 && bar2) {
			*bar1 = *bar2 = '\0';
			r->stopped_since = stop;
			r->stopped_until = bar1 + 1;
			r->stopped_for = bar2 + 1;
		}
	} else {
		s = store_fail(st, "reading a dashboard row", err);
	}
	store_stmt_done(st, stmt);
	return s;
}

fh_status store_ws_list(fh_store *st, const store_ws_filter *f, store_ws_clock clock,
			size_t limit, size_t offset, fh_arena *arena, store_ws_row **rows,
			size_t *count, fh_error *err)
{
	*count = 0;
	*rows = NULL;
	fh_status s = check_filter(f, err);
	if (s)
		return s;
	if (limit == 0)
		limit = 50;
	if (limit > 500)
		return error_set(err, FH_EINVAL, "limit", NULL, "must be 1 to 500");
	if (clock > STORE_WS_DUE_WEEK)
		return error_set(err, FH_EINVAL, "clock", NULL, "is not a clock bucket");
	scope scopes[MAX_SCOPES];
	size_t n;
	if ((s = scopes_of(st, f, scopes, &n, err)) || n == 0)
		return s;
	int64_t *ids = arena_array(arena, limit, sizeof *ids);
	size_t got = 0;
	s = page_ids(st, f, scopes, n, clock, false, limit, offset, ids, &got, err);
	if (!s && clock == STORE_WS_ANY && got < limit) {
		/* Past the cases with a clock: how many of them were there? */
		int64_t with_clock = 0;
		for (size_t i = 0; !s && i < n; i++) {
			char sql[SQL_MAX];
			size_t used = 0;
			add(sql, &used, "SELECT count(*)");
			source(sql, &used, f, &scopes[i], 1, true);
			add(sql, &used, "%s", bucket(STORE_WS_ANY));
			s = count_one(st, sql, f, scopes[i].org_id, -1, &with_clock, err);
		}
		size_t skip = offset > (size_t)with_clock ? offset - (size_t)with_clock : 0;
		size_t more = 0;
		if (!s)
			s = page_ids(st, f, scopes, n, clock, true, limit - got, skip, ids + got, &more,
				     err);
		got += more;
	}
	*rows = arena_array(arena, limit, sizeof **rows);
	for (size_t i = 0; !s && i < got; i++) {
		s = fill_row(st, ids[i], arena, &(*rows)[i], err);
		if (!s)
			*count = i + 1;
	}
	return s;
}
