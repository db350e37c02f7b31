/*
 * store_rows: binding values to prepared statements and reading their rows
 * back, the same on either engine (db.h).  Used by the store_*.c files only.
 */
#ifndef FH_STORE_ROWS_H
#define FH_STORE_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "db.h"
#include "store.h"

/* Binds text, or NULL when s is NULL. */
int store_bind_text(db_stmt *stmt, int index, const char *s);

/* A column's text copied into arena ("" for NULL). */
const char *store_column_text(db_stmt *stmt, int col, fh_arena *arena);

/* A column's text copied into arena, or NULL for NULL. */
const char *store_column_text_or_null(db_stmt *stmt, int col, fh_arena *arena);

/*
 * Room for one more item in an array of count items of size bytes that
 * grows as rows are read: items itself while count < *room, else a copy in
 * arena twice as large (first items at the start), *room updated.  Arena
 * memory is not given back piecemeal, so an array grows by doubling.
 */
void *store_array_room(fh_arena *arena, void *items, size_t count, size_t *room, size_t first,
		       size_t size);

/*
 * The array a query's rows fill when every row carries how many rows there
 * are (count(*) OVER ()) in column count_col: items as it is after the first
 * row (count > 0), on the first a new one in arena with room for them all.
 */
void *store_rows_array(db_stmt *stmt, int count_col, fh_arena *arena, void *items, size_t count,
		       size_t size);

/*
 * Runs sql (one statement, one int64 parameter ?1) and returns its rows as
 * a new JSON array of objects whose members are named by keys, in column
 * order (NULL as null, integers as numbers, the rest as strings).
 */
struct json_t;
fh_status store_rows_json(fh_store *st, const char *sql, int64_t param, const char *const *keys,
			  struct json_t **out, fh_error *err);

/*
 * Steps sql (a row of one of a case's tables: id bound at 1, the case's id
 * at 2) to its row: FH_OK with *stmt on it, for the caller to read and give
 * back with store_stmt_done; FH_ENOTFOUND (field "id", "no <what> <id> on
 * this case") when the case has no such row; FH_ESTORE ("reading a <what>").
 * On failure the statement is given back already.
 */
fh_status store_case_row(fh_store *st, const char *sql, int64_t id, int64_t case_id,
			 const char *what, db_stmt **stmt, fh_error *err);

/* One list of a case's rows as JSON: its name, its query (?1 the case's id), its keys. */
typedef struct store_rows_list {
	const char *name;
	const char *sql;
	const char *const *keys;
} store_rows_list;

/*
 * Finds the case by reference and returns a new object of its reference and
 * n lists, each an array from store_rows_json, in the order given.
 */
fh_status store_case_lists_json(fh_store *st, const char *reference,
				const store_rows_list *lists, size_t n, struct json_t **out,
				fh_error *err);

#endif
