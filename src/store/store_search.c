/*
 * store_search.c: the cases someone may see, found by filters and words
 * (full-text search on either engine).
 */
#include "store_search.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "store_internal.h"
#include "store_rows.h"

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
