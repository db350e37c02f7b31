/*
 * store_redress.c: remedies on a case (migration 011).
 */
#include "store_redress.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store_event.h"
#include "store_internal.h"
#include "store_rows.h"

/* One integer from a query with the case id as its only parameter. */
static fh_status case_count(fh_store *st, const char *sql, int64_t case_id, const char *today,
			    int64_t *out, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st, sql, &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, case_id);
	if (today)
		store_bind_text(stmt, 2, today);
	if (db_step(stmt) == DB_ROW)
		*out = db_column_int64(stmt, 0);
	else
		s = store_fail(st, "reading the case's findings", err);
	store_stmt_done(st, stmt);
	return s;
}

fh_status store_remedy_add(fh_store *st, const char *reference, const redress_input *given,
			   const char *actor, fh_date today, int64_t *id_out, fh_error *err)
{
	int64_t case_id = 0, org_id = 0, justified = 0, late = 0;
	char today_s[DATE_ISO_LEN];
	date_format(today, today_s);
	bool opened;
	fh_status s = store_tx_begin_case(st, reference, &opened, &case_id, &org_id, err);
	if (s)
		return s;
	s = case_count(st, "SELECT count(*) FROM findings f JOIN complaint_points p"
		       " ON p.id = f.point_id WHERE p.case_id = ?"
		       " AND f.outcome IN ('upheld', 'partly_upheld')", case_id, NULL,
		       &justified, err);
	if (!s)
		s = case_count(st, "SELECT count(*) FROM case_stages WHERE case_id = ?"
			       " AND due_on IS NOT NULL AND coalesce(responded_on, ?) > due_on",
			       case_id, today_s, &late, err);
	redress_input in = *given;
	in.justified = justified > 0;
	in.went_past_target = late > 0;
	if (!s)
		s = redress_check(&in, err);
	char now[21];
	store_now(now);
	int64_t id = 0;
	if (!s) {
		db_stmt *stmt;
		s = store_stmt(st, "INSERT INTO remedies (case_id, type, category, amount_pence,"
			       " description, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
			       " RETURNING id",
			       &stmt, err);
		if (!s) {
			db_bind_int64(stmt, 1, case_id);
			store_bind_text(stmt, 2, in.type);
			store_bind_text(stmt, 3, in.category ? in.category : "");
			db_bind_int64(stmt, 4, in.amount_pence);
			store_bind_text(stmt, 5, in.description);
			store_bind_text(stmt, 6, actor);
			store_bind_text(stmt, 7, now);
			s = store_stmt_run_id(st, stmt, "recording a remedy", &id, err);
		}
	}
	if (!s)
		s = store_event_append_json(st, org_id, case_id, actor, "remedy_recorded", NULL, NULL,
					    json_pack("{sI ss ss sI}", "remedy", (json_int_t)id,
						      "type", in.type, "category",
						      in.category ? in.category : "", "amount_pence",
						      (json_int_t)in.amount_pence), err);
	s = store_tx_end(st, opened, s, err);
	if (!s && id_out)
		*id_out = id;
	return s;
}

/* The remedy's state, checking that it belongs to the case. */
static fh_status remedy_state(fh_store *st, int64_t case_id, int64_t id, bool *approved, fh_date *approved_on, bool *delivered, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_case_row(st, "SELECT approved_on, delivered_on"
				     " FROM remedies WHERE id = ? AND case_id = ?", id, case_id,
				     "remedy", &stmt, err);
	if (s)
		return s;
	*approved = db_column_type(stmt, 0) != DB_NULL;
	*approved_on = 0;
	if (*approved)
		date_parse((const char *)db_column_text(stmt, 0), approved_on);
	*delivered = db_column_type(stmt, 1) != DB_NULL;
	store_stmt_done(st, stmt);
	return FH_OK;
}

/* Approves (approve true) or delivers a remedy: one transaction and its event. */
static fh_status remedy_step(fh_store *st, const char *reference, int64_t id, bool approve,
			     fh_date on, const char *actor, fh_date today, fh_error *err)
{
	int64_t case_id = 0, org_id = 0;
	bool opened;
	fh_status s = store_tx_begin_case(st, reference, &opened, &case_id, &org_id, err);
	if (s)
		return s;
	fh_date approved_on = 0;
	bool approved = false, delivered = false;
	s = remedy_state(st, case_id, id, &approved, &approved_on, &delivered, err);
	if (!s)
		s = approve ? redress_check_approve(approved, on, today, err)
			    : redress_check_deliver(approved, approved_on, delivered, on, today, err);
	char on_s[DATE_ISO_LEN];
	date_format(on, on_s);
	if (!s) {
		db_stmt *stmt;
		s = store_stmt(st, approve ? "UPDATE remedies SET approved_by = ?, approved_on = ?"
					     " WHERE id = ?"
					   : "UPDATE remedies SET delivered_by = ?, delivered_on = ?"
					     " WHERE id = ?", &stmt, err);
		if (!s) {
			store_bind_text(stmt, 1, actor);
			store_bind_text(stmt, 2, on_s);
			db_bind_int64(stmt, 3, id);
			s = store_stmt_run(st, stmt, "updating a remedy", err);
		}
	}
	if (!s)
		s = store_event_append_json(st, org_id, case_id, actor,
					    approve ? "remedy_approved" : "remedy_delivered", NULL,
					    on_s, json_pack("{sI}", "remedy", (json_int_t)id), err);
	return store_tx_end(st, opened, s, err);
}

fh_status store_remedy_approve(fh_store *st, const char *reference, int64_t id,
			       fh_date approved_on, const char *actor, fh_date today,
			       fh_error *err)
{
	return remedy_step(st, reference, id, true, approved_on, actor, today, err);
}

fh_status store_remedy_deliver(fh_store *st, const char *reference, int64_t id,
			       fh_date delivered_on, const char *actor, fh_date today,
			       fh_error *err)
{
	return remedy_step(st, reference, id, false, delivered_on, actor, today, err);
}

fh_status store_remedy_list(fh_store *st, const char *reference, fh_arena *arena,
			    store_remedy **out, size_t *count, fh_error *err)
{
	int64_t case_id = 0, org_id = 0;
	fh_status s = store_case_locate(st, reference, &case_id, &org_id, err);
	if (s)
		return s;
	db_stmt *stmt;
	s = store_stmt(st, "SELECT id, type, category, amount_pence, description, recorded_by,"
		       " recorded_at, approved_by, approved_on, delivered_by, delivered_on"
		       " FROM remedies WHERE case_id = ? ORDER BY id", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, case_id);
	size_t n = 0, cap = 4;
	store_remedy *list = arena_array(arena, cap, sizeof *list);
	int rc;
	while ((rc = db_step(stmt)) == DB_ROW) {
		if (n == cap) {
			store_remedy *bigger = arena_array(arena, cap * 2, sizeof *bigger);
			memcpy(bigger, list, n * sizeof *list);
			list = bigger;
			cap *= 2;
		}
		store_remedy *r = &list[n++];
		r->id = db_column_int64(stmt, 0);
		r->type = store_column_text(stmt, 1, arena);
		r->category = store_column_text(stmt, 2, arena);
		r->amount_pence = db_column_int64(stmt, 3);
		r->description = store_column_text(stmt, 4, arena);
		r->recorded_by = store_column_text(stmt, 5, arena);
		r->recorded_at = store_column_text(stmt, 6, arena);
		r->approved_by = store_column_text(stmt, 7, arena);
		r->approved_on = store_column_text(stmt, 8, arena);
		r->delivered_by = store_column_text(stmt, 9, arena);
		r->delivered_on = store_column_text(stmt, 10, arena);
	}
	if (rc != DB_DONE)
		s = store_fail(st, "listing remedies", err);
	store_stmt_done(st, stmt);
	*out = list;
	*count = n;
	return s;
}

fh_status store_redress_totals(fh_store *st, const char *org_code, const char *from,
			       const char *to, fh_arena *arena, store_redress_total **out,
			       size_t *count, fh_error *err)
{
	int64_t org_id = 0;
	fh_status s = store_org_id(st, org_code, &org_id, err);
	if (s)
		return s;
	db_stmt *stmt;
	s = store_stmt(st, "SELECT r.type, r.category, count(*), count(r.approved_on),"
		       " count(r.delivered_on),"
		       " coalesce(sum(CASE WHEN r.approved_on IS NOT NULL THEN r.amount_pence END), 0)"
		       " FROM remedies r JOIN cases c ON c.id = r.case_id WHERE c.org_id = ?"
		       " AND (CAST(?2 AS TEXT) IS NULL OR substr(r.recorded_at, 1, 10) >= ?2)"
		       " AND (CAST(?3 AS TEXT) IS NULL OR substr(r.recorded_at, 1, 10) <= ?3)"
		       " GROUP BY r.type, r.category ORDER BY r.type, r.category", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, org_id);
	store_bind_text(stmt, 2, from);
	store_bind_text(stmt, 3, to);
	/* at most one row per type and category */
	store_redress_total *rows = arena_array(arena, 32, sizeof *rows);
	size_t n = 0;
	int rc;
	while ((rc = db_step(stmt)) == DB_ROW && n < 32) {
		store_redress_total *r = &rows[n++];
		r->type = store_column_text(stmt, 0, arena);
		r->category = store_column_text(stmt, 1, arena);
		r->recorded = db_column_int64(stmt, 2);
		r->approved = db_column_int64(stmt, 3);
		r->delivered = db_column_int64(stmt, 4);
		r->approved_pence = db_column_int64(stmt, 5);
	}
	if (rc != DB_DONE && rc != DB_ROW)
		s = store_fail(st, "totalling remedies", err);
	store_stmt_done(st, stmt);
	*out = rows;
	*count = n;
	return s;
}
