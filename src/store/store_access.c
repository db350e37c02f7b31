/*
 * store_access.c: scoped reads of cases, full-text search, the access log,
 * and the counts monitoring needs.
 */
#include "store_access.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "reference.h"
#include "store_cache.h"
#include "store_internal.h"

#include <sqlite3.h>

fh_status store_case_locate(fh_store *st, const char *reference, int64_t *case_id,
			    int64_t *org_id, fh_error *err)
{
	char prefix[9], canonical[FH_REFERENCE_MAX];
	int year;
	int64_t number;
	if (!reference || !reference_parse(reference, prefix, &year, &number))
		return error_set(err, FH_ENOTFOUND, "reference", NULL,
				 "'%s' is not a case reference (like BCT-2026-00042)",
				 reference ? reference : "");
	reference_format(prefix, year, number, canonical);
	db_stmt *stmt;
	fh_status s = store_cache_get(st, CACHE_CASE_LOCATE,
				      "SELECT id, org_id FROM cases WHERE reference = ?", &stmt, err);
	if (s)
		return s;
	store_bind_text(stmt, 1, canonical);
	int rc = db_step(stmt);
	if (rc == DB_ROW) {
		*case_id = db_column_int64(stmt, 0);
		*org_id = db_column_int64(stmt, 1);
	} else if (rc == DB_DONE) {
		s = error_set(err, FH_ENOTFOUND, "reference", NULL, "no case %s", canonical);
	} else {
		s = store_fail(st, "finding the case", err);
	}
	store_cache_done(st, CACHE_CASE_LOCATE, stmt);
	return s;
}

fh_status store_tx_begin_case(fh_store *st, const char *reference, bool *opened,
			      int64_t *case_id, int64_t *org_id, fh_error *err)
{
	fh_status s = store_tx_begin(st, opened, err);
	if (s)
		return s;
	s = store_case_locate(st, reference, case_id, org_id, err);
	if (s)
		return store_tx_end(st, *opened, s, err);
	return FH_OK;
}

fh_status store_person_on_case(fh_store *st, int64_t case_id, int64_t person_id, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT 1 FROM case_parties WHERE case_id = ? AND person_id = ?",
				 &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, case_id);
	db_bind_int64(stmt, 2, person_id);
	int rc = db_step(stmt);
	if (rc == DB_DONE)
		s = error_set(err, FH_ENOTFOUND, "person_id", NULL, "person %lld is not on this case",
			      (long long)person_id);
	else if (rc != DB_ROW)
		s = store_fail(st, "finding a party", err);
	store_stmt_done(st, stmt);
	return s;
}

fh_status store_case_assigned(fh_store *st, int64_t case_id, int64_t user_id, bool *assigned,
			      fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_cache_get(st, CACHE_CASE_ASSIGNED,
				      "SELECT 1 FROM case_assignments WHERE case_id = ?"
				      " AND user_id = ? AND ended_at IS NULL LIMIT 1", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, case_id);
	db_bind_int64(stmt, 2, user_id);
	int rc = db_step(stmt);
	*assigned = rc == DB_ROW;
	if (rc != DB_ROW && rc != DB_DONE)
		s = store_fail(st, "checking an assignment", err);
	store_cache_done(st, CACHE_CASE_ASSIGNED, stmt);
	return s;
}

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

/*
 * Turns what a person typed into a full-text query that cannot be a syntax
 * error or an injection, with every word required and matched as a prefix.
 * Words with no letter or digit are dropped, since the tokenizer would make
 * them empty.  NULL when nothing searchable is left.
 *
 * For SQLite's FTS5 each word becomes a quoted phrase (quotes doubled):
 * "smith-jones"*.  For PostgreSQL's tsquery over migration 004's
 * cases_fts.tsv each word is cut to its runs of letters and digits, as the
 * indexed text is, and quoted: 'smith jones':*, joined by &; what is left
 * after the cut holds no quote or backslash, so nothing needs escaping.
 */
static const char *fts_query(const char *text, bool pg, fh_arena *arena)
{
	size_t len = strlen(text);
	char *out = arena_alloc(arena, len * 2 + 128);
	size_t used = 0;
	int words = 0;
	const char *p = text;
	while (*p && words < 16) {
		while (*p && isspace((unsigned char)*p))
			p++;
		const char *start = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		bool searchable = false;
		for (const char *q = start; q < p; q++)
			searchable |= isalnum((unsigned char)*q) || (unsigned char)*q >= 0x80;
		if (!searchable)
			continue;
		if (words++)
			used += (size_t)sprintf(out + used, pg ? " & " : " ");
		out[used++] = pg ? '\'' : '"';
		bool gap = false, any = false;
		for (const char *q = start; q < p; q++) {
			unsigned char c = (unsigned char)*q;
			if (!pg) {
				if (c == '"')
					out[used++] = '"';
				out[used++] = (char)c;
			} else if (isalnum(c) || c >= 0x80) {
				if (gap && any)
					out[used++] = ' ';
				out[used++] = (char)c;
				any = true;
				gap = false;
			} else {
				gap = true;
			}
		}
		used += (size_t)sprintf(out + used, pg ? "':*" : "\"*");
	}
	out[used] = '\0';
	return words ? out : NULL;
}

fh_status store_case_query_run(fh_store *st, const store_case_query *q, fh_arena *arena,
			       fh_case **cases, size_t *count, size_t *total, fh_error *err)
{
	*count = 0;
	*total = 0;
	size_t limit = q->limit ? q->limit : 50;
	if (limit > 1000)
		limit = 1000;
	*cases = arena_array(arena, limit, sizeof **cases);
	const char *match = NULL;
	if (q->text && *q->text) {
		match = fts_query(q->text, store_is_postgresql(st), arena);
		if (!match) /* only punctuation: nothing can match */
			return FH_OK;
	}
	db_stmt *stmt;
	/* The two engines differ in how a list of ids is passed (a JSON array)
	 * and in their full-text search; the rest is the same. */
#define SEARCH_SELECT \
		"SELECT c.reference, o.code, c.kind, c.channel, c.received_on, c.summary, c.route," \
		" c.state, c.stage, t.name, count(*) OVER ()" \
		" FROM cases c JOIN organisations o ON o.id = c.org_id" \
		" LEFT JOIN teams t ON t.id = c.team_id"
#define SEARCH_FILTERS \
		" AND (CAST(?4 AS TEXT) IS NULL OR o.code = ?4) AND (CAST(?5 AS TEXT) IS NULL OR c.kind = ?5)" \
		" AND (CAST(?6 AS TEXT) IS NULL OR c.state = ?6) AND (CAST(?7 AS TEXT) IS NULL OR c.received_on >= ?7)" \
		" AND (CAST(?8 AS TEXT) IS NULL OR c.received_on <= ?8)"
#define SEARCH_ORDER " ORDER BY c.received_on DESC, c.id DESC LIMIT ?10 OFFSET ?11"
	fh_status s = store_prepare(st, store_is_postgresql(st)
		? SEARCH_SELECT
		  " WHERE (c.org_id IN (SELECT CAST(value AS BIGINT) FROM json_array_elements_text(CAST(?1 AS json)))"
		  "  OR (c.org_id IN (SELECT CAST(value AS BIGINT) FROM json_array_elements_text(CAST(?2 AS json)))"
		  "  AND c.id IN (SELECT case_id FROM case_assignments WHERE user_id = ?3"
		  "   AND ended_at IS NULL)))"
		  SEARCH_FILTERS
		  " AND (CAST(?9 AS text) IS NULL OR c.id IN (SELECT case_id FROM cases_fts"
		  "  WHERE tsv @@ to_tsquery('simple', ?9)))"
		  SEARCH_ORDER
		: SEARCH_SELECT
		  " WHERE (c.org_id IN (SELECT value FROM json_each(?1))"
		  "  OR (c.org_id IN (SELECT value FROM json_each(?2)) AND c.id IN"
		  "   (SELECT case_id FROM case_assignments WHERE user_id = ?3 AND ended_at IS NULL)))"
		  SEARCH_FILTERS
		  " AND (CAST(?9 AS TEXT) IS NULL OR c.id IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?9))"
		  SEARCH_ORDER, &stmt, err);
#undef SEARCH_SELECT
#undef SEARCH_FILTERS
#undef SEARCH_ORDER
	if (s)
		return s;
	store_bind_text(stmt, 1, id_list(q->org_wide, q->n_org_wide, arena));
	store_bind_text(stmt, 2, id_list(q->assigned_only, q->n_assigned_only, arena));
	db_bind_int64(stmt, 3, q->user_id);
	store_bind_text(stmt, 4, q->org_code);
	store_bind_text(stmt, 5, q->kind);
	store_bind_text(stmt, 6, q->state);
	store_bind_text(stmt, 7, q->received_from);
	store_bind_text(stmt, 8, q->received_to);
	store_bind_text(stmt, 9, match);
	db_bind_int64(stmt, 10, (int64_t)limit);
	db_bind_int64(stmt, 11, (int64_t)q->offset);
	int rc;
	while ((rc = db_step(stmt)) == DB_ROW) {
		fh_case *c = &(*cases)[(*count)++];
		memset(c, 0, sizeof *c);
		c->reference = store_column_text(stmt, 0, arena);
		c->org_code = store_column_text(stmt, 1, arena);
		c->kind = store_column_text(stmt, 2, arena);
		c->channel = store_column_text(stmt, 3, arena);
		c->received_on = store_column_text(stmt, 4, arena);
		c->summary = store_column_text(stmt, 5, arena);
		c->route = store_column_text(stmt, 6, arena);
		c->state = store_column_text(stmt, 7, arena);
		c->stage = db_column_int(stmt, 8);
		c->team = db_column_type(stmt, 9) == DB_NULL
				  ? NULL : store_column_text(stmt, 9, arena);
		*total = (size_t)db_column_int64(stmt, 10);
	}
	if (rc != DB_DONE)
		s = store_fail(st, "searching cases", err);
	db_finalize(stmt);
	if (s || *count > 0 || q->offset == 0)
		return s;

	/* Past the end of the results: still say how many there are. */
	store_case_query all = *q;
	all.offset = 0;
	all.limit = 1;
	fh_case *first;
	size_t n;
	return store_case_query_run(st, &all, arena, &first, &n, total, err);
}

fh_status store_access_append(fh_store *st, const store_access_entry *entries, size_t n,
			      fh_error *err)
{
	bool opened = st->depth == 0;
	fh_status s = opened ? store_begin_append(st, err) : FH_OK;
	if (s)
		return s;
	db_stmt *stmt;
	s = store_prepare(st, "INSERT INTO access_log (at, user_id, actor, case_id, what, detail,"
			      " client_ip) VALUES (?, ?, ?, ?, ?, ?, ?)", &stmt, err);
	for (size_t i = 0; !s && i < n; i++) {
		const store_access_entry *e = &entries[i];
		db_reset(stmt);
		db_bind_text(stmt, 1, e->at, -1);
		if (e->user_id)
			db_bind_int64(stmt, 2, e->user_id);
		else
			db_bind_null(stmt, 2);
		db_bind_text(stmt, 3, e->actor, -1);
		if (e->case_id)
			db_bind_int64(stmt, 4, e->case_id);
		else
			db_bind_null(stmt, 4);
		db_bind_text(stmt, 5, e->what, -1);
		db_bind_text(stmt, 6, e->detail, -1);
		db_bind_text(stmt, 7, e->client_ip, -1);
		if (db_step(stmt) != DB_DONE)
			s = store_fail(st, "logging a read", err);
	}
	db_finalize(stmt);
	return store_tx_end(st, opened, s, err);
}

void store_access_thread_cache(fh_store *st)
{
	store_cache_enable(st);
}

void store_access_thread_release(void)
{
	store_cache_release();
}

void store_threads_init(void)
{
	/* SQLite's memory statistics take a global lock on every allocation. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

fh_status store_ping(fh_store *st, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_cache_get(st, CACHE_PING, "SELECT count(*) FROM audit_head", &stmt,
				      err);
	if (s)
		return s;
	if (db_step(stmt) != DB_ROW)
		s = store_fail(st, "checking the database", err);
	store_cache_done(st, CACHE_PING, stmt);
	return s;
}

fh_status store_audit_head(fh_store *st, int64_t *last_event, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_cache_get(st, CACHE_AUDIT_HEAD,
				      "SELECT last_id FROM audit_head WHERE id = 1", &stmt, err);
	if (s)
		return s;
	if (db_step(stmt) == DB_ROW)
		*last_event = db_column_int64(stmt, 0);
	else
		s = store_fail(st, "reading the audit head", err);
	store_cache_done(st, CACHE_AUDIT_HEAD, stmt);
	return s;
}

fh_status store_case_counts(fh_store *st, const char *today, int64_t org_id, int64_t *open,
			    int64_t *overdue, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_prepare(st,
		"SELECT (SELECT count(*) FROM cases WHERE org_id = ?2"
		"  AND state NOT IN ('closed', 'withdrawn')),"
		" (SELECT count(DISTINCT g.case_id) FROM case_stages g JOIN cases c ON c.id = g.case_id"
		"  WHERE c.org_id = ?2 AND g.due_on < ?1 AND g.responded_on IS NULL"
		"  AND g.state NOT IN ('responded', 'closed')"
		"  AND c.state NOT IN ('closed', 'withdrawn'))", &stmt, err);
	if (s)
		return s;
	store_bind_text(stmt, 1, today);
	db_bind_int64(stmt, 2, org_id);
	if (db_step(stmt) == DB_ROW) {
		*open = db_column_int64(stmt, 0);
		*overdue = db_column_int64(stmt, 1);
	} else {
		s = store_fail(st, "counting cases", err);
	}
	db_finalize(stmt);
	return s;
}
