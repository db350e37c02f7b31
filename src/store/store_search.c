/*
 * store_search.c: the cases someone may see, found by filters and words
 * (full-text search on either engine).
 */
#include "store_search.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "store_internal.h"
#include "store_page.h"
#include "store_rows.h"

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

/* "c.org_id = ?n" or "c.org_id IN (?n, ...)" for the organisations ids. */
static void org_in(store_sql *w, const int64_t *ids, size_t n)
{
	if (n == 1) {
		store_sql_add(w, "c.org_id = ?%d", store_sql_int(w, ids[0]));
		return;
	}
	store_sql_add(w, "c.org_id IN (");
	for (size_t i = 0; i < n; i++)
		store_sql_add(w, "%s?%d", i ? ", " : "", store_sql_int(w, ids[i]));
	store_sql_add(w, ")");
}

static bool has(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* Need to know (store_search.h), narrowed to the organisation `only` when
 * it is not 0: false when nothing at all is visible. */
static bool visible(store_sql *w, const store_case_query *q, int64_t only, fh_arena *arena)
{
	size_t cap = q->n_org_wide + q->n_assigned_only;
	int64_t *wide = arena_array(arena, cap + 1, sizeof *wide);
	int64_t *assigned = arena_array(arena, cap + 1, sizeof *assigned);
	size_t nw = 0, na = 0;
	for (size_t i = 0; i < q->n_org_wide; i++)
		if ((!only || q->org_wide[i] == only) && !has(wide, nw, q->org_wide[i]))
			wide[nw++] = q->org_wide[i];
	for (size_t i = 0; i < q->n_assigned_only; i++)
		if ((!only || q->assigned_only[i] == only) && !has(wide, nw, q->assigned_only[i]) &&
		    !has(assigned, na, q->assigned_only[i]))
			assigned[na++] = q->assigned_only[i];
	if (!nw && !na)
		return false;
	store_sql_add(w, "(");
	if (nw)
		org_in(w, wide, nw);
	if (na) {
		store_sql_add(w, "%s(", nw ? " OR " : "");
		org_in(w, assigned, na);
		store_sql_add(w, " AND c.id IN (SELECT case_id FROM case_assignments WHERE user_id = ?%d"
				 " AND ended_at IS NULL))", store_sql_int(w, q->user_id));
	}
	store_sql_add(w, ")");
	return true;
}

static void read_summary(db_stmt *stmt, fh_arena *arena, void *item)
{
	fh_case *c = item;
	memset(c, 0, sizeof *c);
	c->id = db_column_int64(stmt, 0);
	c->reference = store_column_text(stmt, 1, arena);
	c->org_code = store_column_text(stmt, 2, arena);
	c->kind = store_column_text(stmt, 3, arena);
	c->channel = store_column_text(stmt, 4, arena);
	c->received_on = store_column_text(stmt, 5, arena);
	c->summary = store_column_text(stmt, 6, arena);
	c->route = store_column_text(stmt, 7, arena);
	c->state = store_column_text(stmt, 8, arena);
	c->stage = db_column_int(stmt, 9);
	c->team = db_column_type(stmt, 10) == DB_NULL ? NULL : store_column_text(stmt, 10, arena);
}

fh_status store_case_query_run(fh_store *st, const store_case_query *q, fh_arena *arena,
			       fh_case **cases, size_t *count, store_page *page, fh_error *err)
{
	*count = 0;
	*cases = NULL;
	memset(page, 0, sizeof *page);
	size_t limit = q->limit ? q->limit : 50;
	if (limit > 1000)
		limit = 1000;
	bool pg = store_is_postgresql(st);
	const char *match = NULL;
	if (q->text && *q->text) {
		match = fts_query(q->text, pg, arena);
		if (!match) /* only punctuation: nothing can match */
			return FH_OK;
	}
	int64_t only = 0;
	if (q->org_code) {
		fh_status s = store_org_id(st, q->org_code, &only, err);
		if (s == FH_ENOTFOUND) /* no such organisation: nothing to see */
			return FH_OK;
		if (s)
			return s;
	}
	store_sql w = {0};
	if (!visible(&w, q, only, arena))
		return FH_OK;
	if (q->kind)
		store_sql_add(&w, " AND c.kind = ?%d", store_sql_text(&w, q->kind));
	if (q->state)
		store_sql_add(&w, " AND c.state = ?%d", store_sql_text(&w, q->state));
	if (q->received_from)
		store_sql_add(&w, " AND c.received_on >= ?%d", store_sql_text(&w, q->received_from));
	if (q->received_to)
		store_sql_add(&w, " AND c.received_on <= ?%d", store_sql_text(&w, q->received_to));
	/* The two engines differ only in their full-text search.  On SQLite,
	 * "+c.id" keeps the planner from reading the cases by the matches' ids
	 * and sorting every match: the page is read in the list's order from an
	 * index instead, each case tested against the matches' ids, which FTS5
	 * lists once a statement. */
	if (match)
		store_sql_add(&w, pg ? " AND c.id IN (SELECT case_id FROM cases_fts"
				       " WHERE tsv @@ to_tsquery('simple', ?%d))"
				     : " AND +c.id IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?%d)",
			      store_sql_text(&w, match));
	static const store_page_select summary = {
		.columns = "c.id, c.reference, o.code, c.kind, c.channel, c.received_on, c.summary,"
			   " c.route, c.state, c.stage, t.name",
		.from = " FROM cases c JOIN organisations o ON o.id = c.org_id"
			" LEFT JOIN teams t ON t.id = c.team_id",
		.id_col = 0, .on_col = 5, .read_row = read_summary, .item_size = sizeof(fh_case),
	};
	void *items;
	fh_status s = store_page_read(st, &summary, &w, q->after, limit, q->offset, arena, &items,
				      count, page, err);
	*cases = items;
	return s;
}
