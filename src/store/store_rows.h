/*
 * store_rows: binding values to prepared statements and reading their rows
 * back, the same on either engine (db.h).  Used by the store_*.c files only.
 */
#ifndef FH_STORE_ROWS_H
#define FH_STORE_ROWS_H

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
 * Runs sql (one statement, one int64 parameter ?1) and returns its rows as
 * a new JSON array of objects whose members are named by keys, in column
 * order (NULL as null, integers as numbers, the rest as strings).
 */
struct json_t;
fh_status store_rows_json(fh_store *st, const char *sql, int64_t param, const char *const *keys,
			  struct json_t **out, fh_error *err);

#endif
