/*
 * store_page.c: lists of cases a page at a time after a cursor, and counts
 * that stop at a cap (store_page.h, store.h).
 *
 * Every list is newest first: c.received_on descending, then c.id
 * descending, so two cases received the same day still have one order and
 * a cursor names exactly one place in it.  The page after a cursor is the
 * range "(c.received_on, c.id) < (its date, its id)" of an index on
 * (received_on, id) (migration 024), read from its start: nothing before
 * the cursor is read or sorted.  One row more than the page is asked for,
 * to know whether another page follows.
 */
#include "store_page.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "date.h"
#include "store_internal.h"
#include "store_rows.h"

/* ---- cursors --------------------------------------------------------------- */

/* The cursor is "YYYY-MM-DD.ID" in URL-safe base64 without padding: opaque
 * to callers, who only hand it back, and safe in a query string as it is. */
void store_cursor_format(const char *received_on, int64_t id, char out[STORE_CURSOR_MAX])
{
	char plain[40];
	int n = snprintf(plain, sizeof plain, "%.10s.%" PRId64, received_on, id);
	sodium_bin2base64(out, STORE_CURSOR_MAX, (const unsigned char *)plain, (size_t)n,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool store_cursor_parse(const char *text, store_cursor *out)
{
	if (!text || !*text || strlen(text) >= STORE_CURSOR_MAX)
		return false;
	unsigned char plain[40];
	size_t n = 0;
	const char *end;
	if (sodium_base642bin(plain, sizeof plain - 1, text, strlen(text), NULL, &n, &end,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || *end)
		return false;
	plain[n] = '\0';
	/* exactly a date, a dot and a positive id in decimal digits */
	if (n < 12 || n > 30 || plain[10] != '.' || memchr(plain, '\0', n))
		return false;
	memcpy(out->received_on, plain, 10);
	out->received_on[10] = '\0';
	fh_date d;
	if (!date_parse(out->received_on, &d))
		return false;
	const char *digits = (const char *)plain + 11;
	for (const char *p = digits; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	if (!*digits || *digits == '0' || strlen(digits) > 18)
		return false;
	out->id = strtoll(digits, NULL, 10);
	return true;
}

int64_t store_search_key(const char *received_on, int64_t id)
{
	fh_date d = 0;
	date_parse(received_on, &d);
	return (int64_t)d * (STORE_KEY_ID_MASK + 1) + id;
}

/* ---- statements put together ------------------------------------------------ */

void store_sql_add(store_sql *q, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(q->text + q->used, sizeof q->text - q->used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof q->text - q->used)
		q->overflow = true;
	else
		q->used += (size_t)n;
}

int store_sql_text(store_sql *q, const char *value)
{
	if (q->n == STORE_SQL_ARGS) {
		q->overflow = true;
		return q->n;
	}
	q->args[q->n].text = value ? value : "";
	return ++q->n;
}

int store_sql_int(store_sql *q, int64_t value)
{
	if (q->n == STORE_SQL_ARGS) {
		q->overflow = true;
		return q->n;
	}
	q->args[q->n].text = NULL;
	q->args[q->n].number = value;
	return ++q->n;
}

void store_sql_bind(const store_sql *q, db_stmt *stmt)
{
	for (int i = 0; i < q->n; i++) {
		if (q->args[i].text)
			store_bind_text(stmt, i + 1, q->args[i].text);
		else
			db_bind_int64(stmt, i + 1, q->args[i].number);
	}
}

/* A statement that starts with the text of prefix and uses where's parameters. */
static void begin_with(store_sql *q, const store_sql *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void begin_with(store_sql *q, const store_sql *where, const char *fmt, ...)
{
	memset(q, 0, sizeof *q);
	memcpy(q->args, where->args, sizeof q->args);
	q->n = where->n;
	q->overflow = where->overflow;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(q->text, sizeof q->text, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof q->text)
		q->overflow = true;
	else
		q->used = (size_t)n;
}

static fh_status too_long(fh_error *err)
{
	return error_set(err, FH_EINVAL, NULL, NULL, "the list's filters are too many at once");
}

/* The statement q's text names, its values bound. */
static fh_status prepare_bound(fh_store *st, const store_sql *q, db_stmt **stmt, fh_error *err)
{
	if (q->overflow)
		return too_long(err);
	fh_status s = store_stmt(st, q->text, stmt, err);
	if (!s)
		store_sql_bind(q, *stmt);
	return s;
}

/* ---- a page and its count ----------------------------------------------------- */

/* How many rows of from match where, counting no further than
 * STORE_COUNT_CAP + 1. */
static fh_status count_capped(fh_store *st, const char *from, const store_sql *where,
			      store_page *page, fh_error *err)
{
	store_sql q;
	begin_with(&q, where, "SELECT count(*) FROM (SELECT 1%s WHERE %s", from, where->text);
	store_sql_add(&q, " LIMIT ?%d) AS m", store_sql_int(&q, STORE_COUNT_CAP + 1));
	db_stmt *stmt;
	fh_status s = prepare_bound(st, &q, &stmt, err);
	if (s)
		return s;
	if (db_step(stmt) == DB_ROW)
		page->total = (size_t)db_column_int64(stmt, 0);
	else
		s = store_fail(st, "counting cases", err);
	store_stmt_done(st, stmt);
	page->total_capped = page->total > STORE_COUNT_CAP;
	return s;
}

fh_status store_page_read(fh_store *st, const store_page_select *sel, const store_sql *where,
			  const store_cursor *after, size_t limit, size_t offset, fh_arena *arena,
			  void **items, size_t *count, store_page *page, fh_error *err)
{
	*count = 0;
	memset(page, 0, sizeof *page);
	*items = arena_array(arena, limit, sel->item_size);
	store_sql q;
	begin_with(&q, where, "SELECT %s%s WHERE %s", sel->columns, sel->from, where->text);
	if (after && sel->key) {
		store_sql_add(&q, " AND %s < ?%d", sel->key,
			      store_sql_int(&q, store_search_key(after->received_on, after->id)));
	} else if (after) {
		int on = store_sql_text(&q, after->received_on);
		int id = store_sql_int(&q, after->id);
		store_sql_add(&q, " AND (c.received_on, c.id) < (CAST(?%d AS TEXT), CAST(?%d AS BIGINT))",
			      on, id);
	}
	int lim = store_sql_int(&q, (int64_t)limit + 1);
	int off = store_sql_int(&q, (int64_t)offset);
	if (sel->key)
		store_sql_add(&q, " ORDER BY %s DESC LIMIT ?%d OFFSET ?%d", sel->key, lim, off);
	else
		store_sql_add(&q, " ORDER BY c.received_on DESC, c.id DESC LIMIT ?%d OFFSET ?%d",
			      lim, off);
	db_stmt *stmt;
	fh_status s = prepare_bound(st, &q, &stmt, err);
	if (s)
		return s;
	char last_on[DATE_ISO_LEN] = "";
	int64_t last_id = 0;
	bool more = false;
	int rc;
	while ((rc = db_step(stmt)) == DB_ROW) {
		if (*count == limit) {
			more = true;
			break;
		}
		sel->read_row(stmt, arena, (char *)*items + *count * sel->item_size);
		(*count)++;
		snprintf(last_on, sizeof last_on, "%s", (const char *)db_column_text(stmt, sel->on_col));
		last_id = db_column_int64(stmt, sel->id_col);
	}
	if (rc != DB_DONE && rc != DB_ROW)
		s = store_fail(st, "listing cases", err);
	store_stmt_done(st, stmt);
	if (s)
		return s;
	if (more)
		store_cursor_format(last_on, last_id, page->next);
	if (!after && offset == 0 && !more) { /* the whole list is this page */
		page->total = *count;
		return FH_OK;
	}
	return count_capped(st, sel->key ? sel->count_from : " FROM cases c", where, page, err);
}
