/*
 * store_rows.c: binding values to statements and reading rows back.
 */
#include "store_rows.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "store_internal.h"

int store_bind_text(db_stmt *stmt, int index, const char *s)
{
	return s ? db_bind_text(stmt, index, s, -1)
		 : db_bind_null(stmt, index);
}

const char *store_column_text(db_stmt *stmt, int col, fh_arena *arena)
{
	const unsigned char *s = db_column_text(stmt, col);
	return arena_strndup(arena, s ? (const char *)s : "",
			     s ? (size_t)db_column_bytes(stmt, col) : 0);
}

const char *store_column_text_or_null(db_stmt *stmt, int col, fh_arena *arena)
{
	return db_column_type(stmt, col) == DB_NULL ? NULL : store_column_text(stmt, col, arena);
}

void *store_rows_array(db_stmt *stmt, int count_col, fh_arena *arena, void *items, size_t count,
		       size_t size)
{
	return count ? items : arena_array(arena, (size_t)db_column_int64(stmt, count_col), size);
}

void *store_array_room(fh_arena *arena, void *items, size_t count, size_t *room, size_t first,
		       size_t size)
{
	if (count < *room)
		return items;
	size_t bigger = *room ? *room * 2 : first;
	void *next = arena_array(arena, bigger, size);
	if (count)
		memcpy(next, items, count * size);
	*room = bigger;
	return next;
}

/* A column as a JSON string, or null for NULL. */
static json_t *col(db_stmt *stmt, int i)
{
	if (db_column_type(stmt, i) == DB_NULL)
		return json_null();
	return json_string((const char *)db_column_text(stmt, i));
}

fh_status store_rows_json(fh_store *st, const char *sql, int64_t param, const char *const *keys,
			   json_t **out, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_prepare(st, sql, &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, param);
	json_t *arr = json_array();
	int rc;
	while ((rc = db_step(stmt)) == DB_ROW) {
		json_t *o = json_object();
		for (int i = 0; keys[i]; i++) {
			if (db_column_type(stmt, i) == DB_INTEGER)
				json_object_set_new(o, keys[i],
						    json_integer(db_column_int64(stmt, i)));
			else
				json_object_set_new(o, keys[i], col(stmt, i));
		}
		json_array_append_new(arr, o);
	}
	if (rc != DB_DONE) {
		s = store_fail(st, "reading rows", err);
		json_decref(arr);
		arr = NULL;
	}
	db_finalize(stmt);
	*out = arr;
	return s;
}

fh_status store_case_lists_json(fh_store *st, const char *reference,
				const store_rows_list *lists, size_t n, json_t **out,
				fh_error *err)
{
	int64_t case_id = 0, org_id = 0;
	fh_status s = store_case_locate(st, reference, &case_id, &org_id, err);
	if (s)
		return s;
	json_t *o = json_pack("{ss}", "reference", reference);
	for (size_t i = 0; !s && i < n; i++) {
		json_t *rows = NULL;
		s = store_rows_json(st, lists[i].sql, case_id, lists[i].keys, &rows, err);
		if (!s)
			json_object_set_new(o, lists[i].name, rows);
	}
	if (s) {
		json_decref(o);
		return s;
	}
	*out = o;
	return FH_OK;
}

fh_status store_case_row(fh_store *st, const char *sql, int64_t id, int64_t case_id,
			 const char *what, db_stmt **stmt, fh_error *err)
{
	fh_status s = store_stmt(st, sql, stmt, err);
	if (s)
		return s;
	db_bind_int64(*stmt, 1, id);
	db_bind_int64(*stmt, 2, case_id);
	int rc = db_step(*stmt);
	if (rc == DB_ROW)
		return FH_OK;
	if (rc == DB_DONE)
		s = error_set(err, FH_ENOTFOUND, "id", NULL, "no %s %lld on this case", what,
			      (long long)id);
	else {
		char doing[96];
		snprintf(doing, sizeof doing, "reading a %s", what);
		s = store_fail(st, doing, err);
	}
	store_stmt_done(st, *stmt);
	return s;
}
