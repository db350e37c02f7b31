/*
 * store_page: one page of a list of cases, read after a cursor, and the
 * list's count up to a cap (store.h: store_cursor, store_page).  Used by
 * the store_*.c files only.
 *
 * A list's conditions are put together in a store_sql from fixed fragments,
 * every value a numbered parameter (the same SQL on either engine), so that
 * a filter not given is left out of the statement instead of being written
 * as "? IS NULL OR ...", which no index can serve.
 */
#ifndef FH_STORE_PAGE_H
#define FH_STORE_PAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "db.h"
#include "store.h"

enum { STORE_SQL_MAX = 4096, STORE_SQL_ARGS = 48 };

typedef struct store_sql {
	char text[STORE_SQL_MAX];
	size_t used;
	bool overflow; /* text or parameters ran out of room: not run */
	int n;         /* parameters so far */
	struct {
		const char *text; /* NULL for a number */
		int64_t number;
	} args[STORE_SQL_ARGS];
} store_sql;

/* Appends text (printf format) to q. */
__attribute__((format(printf, 2, 3)))
void store_sql_add(store_sql *q, const char *fmt, ...);

/* Adds a parameter and returns its number, for "?%d" in the next fragment. */
int store_sql_text(store_sql *q, const char *value);
int store_sql_int(store_sql *q, int64_t value);

/* Binds q's parameters to stmt, a statement prepared from SQL q began. */
void store_sql_bind(const store_sql *q, db_stmt *stmt);

/* Reads one row of a page into item; the row's date received and id are
 * the columns on_col and id_col of the select given to store_page_read. */
typedef void (*store_page_row_fn)(db_stmt *stmt, fh_arena *arena, void *item);

typedef struct store_page_select {
	const char *columns; /* "c.id, ..." (the select list) */
	const char *from;    /* " FROM cases c JOIN ..." */
	int id_col, on_col;  /* where c.id and c.received_on are among the columns */
	store_page_row_fn read_row;
	size_t item_size;
	/* NULL: the list is ordered by (c.received_on, c.id) and counted from
	 * the cases alone.  Otherwise the integer column (SQLite's search key,
	 * f.rowid) that orders exactly as that pair does (store_search_key), and
	 * count_from, the tables the count reads (" FROM cases_fts f ..."). */
	const char *key;
	const char *count_from;
} store_page_select;

/*
 * The search key of a case (migration 026): days from 1970-01-01 to the
 * date it was received times 2^32, plus its id, so that the keys order as
 * (received_on, id) do and `key & STORE_KEY_ID_MASK` is the id.  Ids are
 * below 2^32 (store_case_create) and dates in the years 1000 to 9999, so a
 * key needs at most 54 bits and a sign.
 */
#define STORE_KEY_ID_MASK INT64_C(4294967295)
int64_t store_search_key(const char *received_on, int64_t id);

/*
 * One page, newest first, of the cases (alias c) that match where (a
 * condition over c alone, with its parameters, or over the tables
 * sel->count_from names when sel->key is set), after the cursor `after`
 * (NULL: from the newest) and `offset` rows more; into *items (count rows,
 * an array in arena) and page (the count, capped, and the next cursor).
 */
fh_status store_page_read(fh_store *st, const store_page_select *sel, const store_sql *where,
			  const store_cursor *after, size_t limit, size_t offset, fh_arena *arena,
			  void **items, size_t *count, store_page *page, fh_error *err);

#endif
