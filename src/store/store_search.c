/*
 * store_search.c: the cases someone may see, found by filters and words
 * (full-text search on either engine).
 */
#include "store_search.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "store_internal.h"
#include "store_page.h"
#include "store_rows.h"

/* A typed word shorter than this (in characters) is matched whole even
 * when it is the last: a prefix of one or two letters matches a good part
 * of every case, and FTS5 lists all those matches before the first row. */
enum { PREFIX_MIN_CHARS = 3 };

static size_t utf8_chars(const char *start, const char *end)
{
	size_t n = 0;
	for (const char *q = start; q < end; q++)
		n += ((unsigned char)*q & 0xC0) != 0x80;
	return n;
}

/*
 * Turns what a person typed into a full-text query that cannot be a syntax
 * error or an injection, with every word required.  Words with no letter or
 * digit are dropped, since the tokenizer would make them empty.  NULL when
 * nothing searchable is left.
 *
 * Every word is matched whole except the last, which is matched as a
 * prefix when it has at least PREFIX_MIN_CHARS characters (someone typing
 * "smi" finds Smith).  A whole word is read lazily in the index's order, so
 * a search for it costs the page, not its matches; a prefix makes FTS5 merge
 * the matches of every word that starts with it first (docs/performance.md).
 *
 * For SQLite's FTS5 each word becomes a quoted phrase (quotes doubled):
 * "smith-jones"*, the words limited to the reference, names and body (never
 * the scope column: migration 026), after the scope when there is one:
 * scope : (o1 OR o2) AND {reference names body} : ("a" "smi"*).  For
 * PostgreSQL's tsquery over migration 004's cases_fts.tsv each word is cut
 * to its runs of letters and digits, as the indexed text is, and quoted:
 * 'smith jones':*, joined by &; what is left after the cut holds no quote or
 * backslash, so nothing needs escaping.
 */
static const char *fts_query(const char *text, bool pg, const int64_t *scope, size_t n_scope,
			     fh_arena *arena)
{
	size_t len = strlen(text);
	char *out = arena_alloc(arena, len * 2 + 192 + n_scope * 28);
	size_t used = 0;
	int words = 0;
	if (!pg && n_scope) {
		used += (size_t)sprintf(out + used, "scope : (");
		for (size_t i = 0; i < n_scope; i++)
			used += (size_t)sprintf(out + used, "%so%" PRId64, i ? " OR " : "", scope[i]);
		used += (size_t)sprintf(out + used, ") AND ");
	}
	if (!pg)
		used += (size_t)sprintf(out + used, "{reference names body} : (");
	/* the last searchable word: the only one that may be a prefix */
	const char *last = NULL;
	for (const char *p = text; *p;) {
		while (*p && isspace((unsigned char)*p))
			p++;
		const char *start = p;
		bool searchable = false;
		for (; *p && !isspace((unsigned char)*p); p++)
			searchable |= isalnum((unsigned char)*p) || (unsigned char)*p >= 0x80;
		if (searchable)
			last = start;
	}
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
		bool prefix = start == last && utf8_chars(start, p) >= PREFIX_MIN_CHARS;
		out[used++] = pg ? '\'' : '"';
		if (prefix)
			used += (size_t)sprintf(out + used, pg ? ":*" : "*");
	}
	if (!pg)
		out[used++] = ')';
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

/* The organisations whose cases someone sees: all of them (wide) or only
 * those assigned to them (assigned, and not also wide). */
typedef struct scopes {
	int64_t *wide, *assigned;
	size_t nw, na;
} scopes;

/* Need to know (store_search.h), narrowed to the organisation `only` when
 * it is not 0. */
static scopes scopes_of(const store_case_query *q, int64_t only, fh_arena *arena)
{
	size_t cap = q->n_org_wide + q->n_assigned_only;
	scopes v = {
		.wide = arena_array(arena, cap + 1, sizeof *v.wide),
		.assigned = arena_array(arena, cap + 1, sizeof *v.assigned),
	};
	for (size_t i = 0; i < q->n_org_wide; i++)
		if ((!only || q->org_wide[i] == only) && !has(v.wide, v.nw, q->org_wide[i]))
			v.wide[v.nw++] = q->org_wide[i];
	for (size_t i = 0; i < q->n_assigned_only; i++)
		if ((!only || q->assigned_only[i] == only) && !has(v.wide, v.nw, q->assigned_only[i]) &&
		    !has(v.assigned, v.na, q->assigned_only[i]))
			v.assigned[v.na++] = q->assigned_only[i];
	return v;
}

/* The need-to-know condition over c for v (which sees something). */
static void visible(store_sql *w, const scopes *v, int64_t user_id)
{
	store_sql_add(w, "(");
	if (v->nw)
		org_in(w, v->wide, v->nw);
	if (v->na) {
		store_sql_add(w, "%s(", v->nw ? " OR " : "");
		org_in(w, v->assigned, v->na);
		store_sql_add(w, " AND c.id IN (SELECT case_id FROM case_assignments WHERE user_id = ?%d"
				 " AND ended_at IS NULL))", store_sql_int(w, user_id));
	}
	store_sql_add(w, ")");
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

/* The columns of a case's summary, read by read_summary. */
#define SUMMARY_COLUMNS \
	"c.id, c.reference, o.code, c.kind, c.channel, c.received_on, c.summary," \
	" c.route, c.state, c.stage, t.name"
#define SUMMARY_JOINS \
	" JOIN organisations o ON o.id = c.org_id LEFT JOIN teams t ON t.id = c.team_id"

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
	int64_t only = 0;
	if (q->org_code) {
		fh_status s = store_org_id(st, q->org_code, &only, err);
		if (s == FH_ENOTFOUND) /* no such organisation: nothing to see */
			return FH_OK;
		if (s)
			return s;
	}
	scopes v = scopes_of(q, only, arena);
	if (!v.nw && !v.na) /* nothing at all is visible */
		return FH_OK;
	/* Every organisation whose cases may be seen, for the search's scope. */
	int64_t *orgs = arena_array(arena, v.nw + v.na + 1, sizeof *orgs);
	memcpy(orgs, v.wide, v.nw * sizeof *orgs);
	memcpy(orgs + v.nw, v.assigned, v.na * sizeof *orgs);
	const char *match = NULL;
	if (q->text && *q->text) {
		match = fts_query(q->text, pg, orgs, v.nw + v.na, arena);
		if (!match) /* only punctuation: nothing can match */
			return FH_OK;
	}
	/*
	 * On SQLite, a search that sees some organisation whole is read from
	 * FTS5 in the order of its rowid, the search key (migration 026), which
	 * is the list's order: the page is the first rows after the cursor's
	 * key, and the organisations are the query's scope, so FTS5 stops at
	 * the page (and the count at its cap) without listing every match.
	 * The cases are joined by id only for the filters FTS5 cannot apply.
	 */
	if (match && !pg && v.nw) {
		store_sql w = {0};
		store_sql_add(&w, "f.cases_fts MATCH ?%d", store_sql_text(&w, match));
		bool cases_needed = v.na || q->kind || q->state;
		if (v.na) { /* someone who also sees their own cases elsewhere */
			store_sql_add(&w, " AND ");
			visible(&w, &v, q->user_id);
		}
		if (q->kind)
			store_sql_add(&w, " AND c.kind = ?%d", store_sql_text(&w, q->kind));
		if (q->state)
			store_sql_add(&w, " AND c.state = ?%d", store_sql_text(&w, q->state));
		fh_date d;
		if (q->received_from && date_parse(q->received_from, &d)) {
			store_sql_add(&w, " AND f.rowid >= ?%d", store_sql_int(&w, store_search_key(q->received_from, 0)));
		} else if (q->received_from) {
			store_sql_add(&w, " AND c.received_on >= ?%d", store_sql_text(&w, q->received_from));
			cases_needed = true;
		}
		if (q->received_to && date_parse(q->received_to, &d)) {
			/* before the first key of the next day */
			store_sql_add(&w, " AND f.rowid <= ?%d",
				      store_sql_int(&w, store_search_key(q->received_to, STORE_KEY_ID_MASK)));
		} else if (q->received_to) {
			store_sql_add(&w, " AND c.received_on <= ?%d", store_sql_text(&w, q->received_to));
			cases_needed = true;
		}
		const store_page_select by_key = {
			.columns = SUMMARY_COLUMNS,
			.from = " FROM cases_fts f JOIN cases c ON c.id = (f.rowid & 4294967295)" SUMMARY_JOINS,
			.id_col = 0, .on_col = 5, .read_row = read_summary, .item_size = sizeof(fh_case),
			.key = "f.rowid",
			.count_from = cases_needed ? " FROM cases_fts f JOIN cases c"
						     " ON c.id = (f.rowid & 4294967295)"
						   : " FROM cases_fts f",
		};
		void *items;
		fh_status s = store_page_read(st, &by_key, &w, q->after, limit, q->offset, arena,
					      &items, count, page, err);
		*cases = items;
		return s;
	}
	store_sql w = {0};
	visible(&w, &v, q->user_id);
	if (q->kind)
		store_sql_add(&w, " AND c.kind = ?%d", store_sql_text(&w, q->kind));
	if (q->state)
		store_sql_add(&w, " AND c.state = ?%d", store_sql_text(&w, q->state));
	if (q->received_from)
		store_sql_add(&w, " AND c.received_on >= ?%d", store_sql_text(&w, q->received_from));
	if (q->received_to)
		store_sql_add(&w, " AND c.received_on <= ?%d", store_sql_text(&w, q->received_to));
	/* The list, and PostgreSQL's search, are read in the list's order from
	 * an index on the cases (store_page.c).  A search by someone who sees
	 * only the cases assigned to them starts from those cases (few) on
	 * SQLite too, each tested against the matches' ids, which FTS5 lists
	 * once a statement ("+c.id" keeps the planner from reading the cases by
	 * the matches' ids and sorting every match). */
	if (match)
		store_sql_add(&w, pg ? " AND c.id IN (SELECT case_id FROM cases_fts"
				       " WHERE tsv @@ to_tsquery('simple', ?%d))"
				     : " AND +c.id IN (SELECT rowid & 4294967295 FROM cases_fts"
				       " WHERE cases_fts MATCH ?%d)",
			      store_sql_text(&w, match));
	static const store_page_select summary = {
		.columns = SUMMARY_COLUMNS,
		.from = " FROM cases c" SUMMARY_JOINS,
		.id_col = 0, .on_col = 5, .read_row = read_summary, .item_size = sizeof(fh_case),
	};
	void *items;
	fh_status s = store_page_read(st, &summary, &w, q->after, limit, q->offset, arena, &items,
				      count, page, err);
	*cases = items;
	return s;
}
