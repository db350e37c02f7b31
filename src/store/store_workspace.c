/*
 * store_workspace.c: the staff dashboards' counts and lists (store_workspace.h).
 *
 * Both statements start from the same set, WS_CASES: the open cases the
 * user may see under the filters, each with its next due date.  They take
 * the same numbered parameters:
 *   ?1 organisations seen whole, ?2 organisations seen by assignment (JSON
 *   arrays of ids), ?3 the user, ?4 mine, ?5 organisation code, ?6 team
 *   name, ?7 officer email, ?8 stage (-1 any), ?9 procedure code,
 *   ?10 today, ?11 the end of the week; the list adds ?12 the clock bucket,
 *   ?13 limit, ?14 offset.
 * The visibility clause is store_case_query_run's, word for word in
 * meaning: a case counts only if the user could open it.
 */
#include "store_workspace.h"

#include <stdio.h>
#include <string.h>

#include "store_internal.h"

#define WS_ASSIGNED_TO_USER \
	"(SELECT case_id FROM case_assignments WHERE user_id = ?3 AND ended_at IS NULL)"

#define WS_CASES \
	"SELECT c.id, c.org_id, c.kind, c.summary, c.state, c.route, c.stage, c.team_id," \
	" c.procedure_code, c.received_on," \
	" (SELECT min(d.due_on) FROM case_deadlines d WHERE d.case_id = c.id" \
	"   AND d.stopped = 0 AND d.due_on IS NOT NULL) AS due" \
	" FROM cases c" \
	" WHERE c.state IN ('received', 'open', 'suspended')" \
	" AND (c.org_id IN (SELECT value FROM json_each(?1))" \
	"  OR (c.org_id IN (SELECT value FROM json_each(?2)) AND c.id IN " WS_ASSIGNED_TO_USER "))" \
	" AND (?4 = 0 OR c.id IN " WS_ASSIGNED_TO_USER ")" \
	" AND (?5 IS NULL OR c.org_id = (SELECT id FROM organisations WHERE code = ?5))" \
	" AND (?6 IS NULL OR c.team_id IN (SELECT id FROM teams WHERE name = ?6))" \
	" AND (?7 IS NULL OR c.id IN (SELECT case_id FROM case_assignments" \
	"   WHERE user_email = ?7 COLLATE NOCASE AND ended_at IS NULL))" \
	" AND (?8 < 0 OR c.stage = ?8)" \
	" AND (?9 IS NULL OR c.procedure_code = ?9)"

/* The ids as a JSON array text, for json_each() in a prepared statement. */
static char *id_list(const int64_t *ids, size_t n, fh_arena *arena)
{
	size_t cap = 3 + n * 21;
	char *buf = arena_alloc(arena, cap);
	size_t used = 0;
	buf[used++] = '[';
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(buf + used, cap - used, "%s%lld", i ? "," : "",
					 (long long)ids[i]);
	buf[used++] = ']';
	buf[used] = '\0';
	return buf;
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

static void bind_filter(sqlite3_stmt *stmt, const store_ws_filter *f, fh_arena *arena)
{
	store_bind_text(stmt, 1, id_list(f->org_wide, f->n_org_wide, arena));
	store_bind_text(stmt, 2, id_list(f->assigned_only, f->n_assigned_only, arena));
	sqlite3_bind_int64(stmt, 3, f->user_id);
	sqlite3_bind_int(stmt, 4, f->mine);
	store_bind_text(stmt, 5, f->org_code && *f->org_code ? f->org_code : NULL);
	store_bind_text(stmt, 6, f->team && *f->team ? f->team : NULL);
	store_bind_text(stmt, 7, f->officer && *f->officer ? f->officer : NULL);
	sqlite3_bind_int(stmt, 8, f->stage < 0 ? -1 : f->stage);
	store_bind_text(stmt, 9, f->procedure && *f->procedure ? f->procedure : NULL);
	store_bind_text(stmt, 10, f->today);
	store_bind_text(stmt, 11, f->week_end);
}

fh_status store_ws_count(fh_store *st, const store_ws_filter *f, store_ws_counts *out,
			 fh_error *err)
{
	memset(out, 0, sizeof *out);
	fh_status s = check_filter(f, err);
	if (s)
		return s;
	fh_arena scratch = {0};
	sqlite3_stmt *stmt;
	s = store_stmt(st,
		"WITH v AS (" WS_CASES ")"
		" SELECT count(*), coalesce(sum(due < ?10), 0), coalesce(sum(due = ?10), 0),"
		" coalesce(sum(due > ?10 AND due <= ?11), 0), coalesce(sum(stage = 0), 0),"
		" coalesce(sum(stage = 1), 0), coalesce(sum(stage = 2), 0),"
		" coalesce(sum(stage = 3), 0) FROM v", &stmt, err);
	if (!s) {
		bind_filter(stmt, f, &scratch);
		int rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW) {
			out->open = sqlite3_column_int64(stmt, 0);
			out->overdue = sqlite3_column_int64(stmt, 1);
			out->due_today = sqlite3_column_int64(stmt, 2);
			out->due_week = sqlite3_column_int64(stmt, 3);
			for (int i = 0; i < 4; i++)
				out->by_stage[i] = sqlite3_column_int64(stmt, 4 + i);
		} else {
			s = store_fail(st, "counting the dashboard's cases", err);
		}
		store_stmt_done(st, stmt);
	}
	arena_free(&scratch);
	return s;
}

fh_status store_ws_list(fh_store *st, const store_ws_filter *f, store_ws_clock clock,
			size_t limit, size_t offset, fh_arena *arena, store_ws_row **rows,
			size_t *count, size_t *total, fh_error *err)
{
	*count = 0;
	*total = 0;
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
	*rows = arena_array(arena, limit, sizeof **rows);
	/* The page first, then the two per-row lookups for its rows only. */
	sqlite3_stmt *stmt;
	s = store_stmt(st,
		"WITH v AS (" WS_CASES "),"
		" page AS (SELECT v.*, count(*) OVER () AS total FROM v"
		"  WHERE ?12 = 0 OR (?12 = 1 AND v.due < ?10) OR (?12 = 2 AND v.due = ?10)"
		"   OR (?12 = 3 AND v.due > ?10 AND v.due <= ?11)"
		"  ORDER BY v.due IS NULL, v.due, v.received_on DESC, v.id DESC"
		"  LIMIT ?13 OFFSET ?14)"
		" SELECT c.reference, o.code, p.kind, p.summary, p.state, p.route,"
		" coalesce(t.name, ''), coalesce(p.procedure_code, ''), p.stage, coalesce(p.due, ''),"
		" coalesce((SELECT d.clock FROM case_deadlines d WHERE d.case_id = p.id"
		"   AND d.stopped = 0 AND d.due_on = p.due ORDER BY d.stage DESC, d.clock LIMIT 1), ''),"
		" coalesce((SELECT group_concat(a.user_email, ', ') FROM case_assignments a"
		"   WHERE a.case_id = p.id AND a.ended_at IS NULL), ''),"
		" p.total"
		" FROM page p JOIN cases c ON c.id = p.id JOIN organisations o ON o.id = p.org_id"
		" LEFT JOIN teams t ON t.id = p.team_id"
		" ORDER BY p.due IS NULL, p.due, p.received_on DESC, p.id DESC", &stmt, err);
	if (s)
		return s;
	bind_filter(stmt, f, arena);
	sqlite3_bind_int(stmt, 12, (int)clock);
	sqlite3_bind_int64(stmt, 13, (sqlite3_int64)limit);
	sqlite3_bind_int64(stmt, 14, (sqlite3_int64)offset);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		store_ws_row *r = &(*rows)[(*count)++];
		r->reference = store_column_text(stmt, 0, arena);
		r->org_code = store_column_text(stmt, 1, arena);
		r->kind = store_column_text(stmt, 2, arena);
		r->summary = store_column_text(stmt, 3, arena);
		r->state = store_column_text(stmt, 4, arena);
		r->route = store_column_text(stmt, 5, arena);
		r->team = store_column_text(stmt, 6, arena);
		r->procedure = store_column_text(stmt, 7, arena);
		r->stage = sqlite3_column_int(stmt, 8);
		r->due = store_column_text(stmt, 9, arena);
		r->clock = store_column_text(stmt, 10, arena);
		r->officers = store_column_text(stmt, 11, arena);
		*total = (size_t)sqlite3_column_int64(stmt, 12);
	}
	if (rc != SQLITE_DONE)
		s = store_fail(st, "listing the dashboard's cases", err);
	store_stmt_done(st, stmt);
	if (s || *count > 0 || offset == 0)
		return s;
	/* Past the end: still say how many there are. */
	store_ws_row *first;
	size_t n;
	return store_ws_list(st, f, clock, 1, 0, arena, &first, &n, total, err);
}
