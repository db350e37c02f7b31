/*
 * store_freezing.c: requests to freeze a decision (migration 013).
 */
#include "store_freezing.h"

#include <string.h>

#include "store_event.h"
#include "store_internal.h"
#include "store_rows.h"

/* The request's state, checking that it is on the case. */
static fh_status load(fh_store *st, int64_t case_id, int64_t id, fh_arena *arena,
		      freezing_state *fs, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_case_row(st, "SELECT cim_view, hos_view, escalated, outcome FROM"
				     " freeze_requests WHERE id = ? AND case_id = ?", id, case_id,
				     "request to freeze", &stmt, err);
	if (s)
		return s;
	fs->cim_view = store_column_text_or_null(stmt, 0, arena);
	fs->hos_view = store_column_text_or_null(stmt, 1, arena);
	fs->escalated = db_column_int(stmt, 2);
	fs->outcome = store_column_text_or_null(stmt, 3, arena);
	store_stmt_done(st, stmt);
	return FH_OK;
}

static fh_status update(fh_store *st, const char *sql, const char *const *texts, size_t n,
			int64_t id, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st, sql, &stmt, err);
	if (s)
		return s;
	for (size_t i = 0; i < n; i++)
		store_bind_text(stmt, (int)i + 1, texts[i]);
	db_bind_int64(stmt, (int)n + 1, id);
	return store_stmt_run(st, stmt, "updating a request to freeze", err);
}

fh_status store_freeze_request(fh_store *st, const char *reference, const char *change,
			       const char *proposal, fh_date requested_on, const char *actor,
			       fh_date today, int64_t *id_out, fh_error *err)
{
	bool opened;
	int64_t case_id = 0, org_id = 0, open_count = 0, id = 0;
	fh_status s = store_tx_begin_case(st, reference, &opened, &case_id, &org_id, err);
	if (s)
		return s;
	db_stmt *stmt;
	if (!(s = store_stmt(st, "SELECT count(*) FROM freeze_requests WHERE case_id = ?"
			     " AND outcome IS NULL", &stmt, err))) {
		db_bind_int64(stmt, 1, case_id);
		if (db_step(stmt) == DB_ROW)
			open_count = db_column_int64(stmt, 0);
		else
			s = store_fail(st, "reading requests to freeze", err);
		store_stmt_done(st, stmt);
	}
	if (!s)
		s = freezing_check_request(change, proposal, requested_on, today, open_count > 0, err);
	char on[DATE_ISO_LEN];
	date_format(requested_on, on);
	if (!s && !(s = store_stmt(st, "INSERT INTO freeze_requests (case_id, change, proposal,"
				   " requested_on, recorded_by) VALUES (?, ?, ?, ?, ?) RETURNING id", &stmt,
				   err))) {
		db_bind_int64(stmt, 1, case_id);
		store_bind_text(stmt, 2, change);
		store_bind_text(stmt, 3, proposal);
		store_bind_text(stmt, 4, on);
		store_bind_text(stmt, 5, actor);
		s = store_stmt_run_id(st, stmt, "recording a request to freeze", &id, err);
	}
	if (!s)
		s = store_event_append_json(st, org_id, case_id, actor, "freeze_requested", NULL, on,
					    json_pack("{sI ss}", "request", (json_int_t)id, "change",
						      change), err);
	s = store_tx_end(st, opened, s, err);
	if (!s && id_out)
		*id_out = id;
	return s;
}

/* A change to a request to freeze: its case's transaction and the request's state. */
struct request {
	fh_arena arena;
	bool opened;
	int64_t case_id, org_id;
	freezing_state fs;
};

/*
 * The start of every change to a request to freeze: opens the case's
 * transaction and reads the request's state in it.  On failure nothing is
 * left open; on FH_OK the caller ends the transaction and frees r->arena.
 */
static fh_status begin_request(fh_store *st, const char *reference, int64_t id,
			       struct request *r, fh_error *err)
{
	*r = (struct request){.arena = ARENA_INIT};
	fh_status s = store_tx_begin_case(st, reference, &r->opened, &r->case_id, &r->org_id,
					  err);
	if (s)
		return s;
	s = load(st, r->case_id, id, &r->arena, &r->fs, err);
	if (s) {
		arena_free(&r->arena);
		return store_tx_end(st, r->opened, s, err);
	}
	return FH_OK;
}

fh_status store_freeze_view(fh_store *st, const char *reference, int64_t id, const char *as,
			    bool may_act, const char *view, const char *reason,
			    const char *actor, fh_date today, fh_error *err)
{
	struct request r;
	const char *outcome = NULL;
	bool escalate = false;
	fh_status s = begin_request(st, reference, id, &r, err);
	if (s)
		return s;
	s = freezing_check_view(&r.fs, as, may_act, view, reason, &outcome, &escalate, err);
	bool cim = !s && strcmp(as, "complaints_manager") == 0;
	char on[DATE_ISO_LEN];
	date_format(today, on);
	if (!s) {
		const char *const texts[] = {view, reason ? reason : "", actor};
		s = update(st, cim ? "UPDATE freeze_requests SET cim_view = ?, cim_reason = ?,"
				     " cim_by = ? WHERE id = ?"
				   : "UPDATE freeze_requests SET hos_view = ?, hos_reason = ?,"
				     " hos_by = ? WHERE id = ?", texts, 3, id, err);
	}
	if (!s)
		s = store_event_append_json(st, r.org_id, r.case_id, actor, "freeze_view", NULL, on,
					    json_pack("{sI ss ss}", "request", (json_int_t)id, "as", as,
						      "view", view), err);
	if (!s && escalate) {
		s = update(st, "UPDATE freeze_requests SET escalated = 1 WHERE id = ?", NULL, 0, id, err);
		if (!s)
			s = store_event_append_json(st, r.org_id, r.case_id, actor, "freeze_escalated",
						    "001 §11.4", on, json_pack("{sI}", "request",
									      (json_int_t)id), err);
	}
	if (!s && outcome) {
		const char *const texts[] = {outcome, on};
		s = update(st, "UPDATE freeze_requests SET outcome = ?, decided_on = ? WHERE id = ?",
			   texts, 2, id, err);
		if (!s)
			s = store_event_append_json(st, r.org_id, r.case_id, actor, "freeze_decided", NULL,
						    on, json_pack("{sI ss}", "request", (json_int_t)id,
								  "outcome", outcome), err);
	}
	arena_free(&r.arena);
	return store_tx_end(st, r.opened, s, err);
}

fh_status store_freeze_decide(fh_store *st, const char *reference, int64_t id, const char *view,
			      const char *reason, const char *actor, fh_date today,
			      fh_error *err)
{
	struct request r;
	fh_status s = begin_request(st, reference, id, &r, err);
	if (s)
		return s;
	s = freezing_check_decision(&r.fs, view, reason, err);
	const char *outcome = !s && strcmp(view, "freeze") == 0 ? "frozen" : "not_frozen";
	char on[DATE_ISO_LEN];
	date_format(today, on);
	if (!s) {
		const char *const texts[] = {view, reason ? reason : "", actor, outcome, on};
		s = update(st, "UPDATE freeze_requests SET director_view = ?, director_reason = ?,"
			   " director_by = ?, outcome = ?, decided_on = ? WHERE id = ?", texts, 5, id,
			   err);
	}
	if (!s)
		s = store_event_append_json(st, r.org_id, r.case_id, actor, "freeze_decided", "001 §11.4",
					    on, json_pack("{sI ss sb}", "request", (json_int_t)id,
							  "outcome", outcome, "by_director", 1), err);
	arena_free(&r.arena);
	return store_tx_end(st, r.opened, s, err);
}

fh_status store_freeze_review(fh_store *st, const char *reference, int64_t id,
			      fh_date reviewed_on, const char *outcome, const char *note,
			      const char *actor, fh_date today, fh_error *err)
{
	struct request r;
	fh_status s = begin_request(st, reference, id, &r, err);
	if (s)
		return s;
	s = freezing_check_review(&r.fs, outcome, note, reviewed_on, today, err);
	char on[DATE_ISO_LEN];
	date_format(reviewed_on, on);
	if (!s) {
		const char *const texts[] = {on, outcome, note, actor};
		s = update(st, "UPDATE freeze_requests SET reviewed_on = ?, review_outcome = ?,"
			   " review_note = ?, reviewed_by = ? WHERE id = ?", texts, 4, id, err);
	}
	if (!s)
		s = store_event_append_json(st, r.org_id, r.case_id, actor, "freeze_reviewed", NULL, on,
					    json_pack("{sI ss}", "request", (json_int_t)id, "outcome",
						      outcome), err);
	arena_free(&r.arena);
	return store_tx_end(st, r.opened, s, err);
}

fh_status store_freeze_list(fh_store *st, const char *reference, json_t **out, fh_error *err)
{
	int64_t case_id = 0, org_id = 0;
	fh_status s = store_case_locate(st, reference, &case_id, &org_id, err);
	if (s)
		return s;
	static const char *const keys[] = {
		"id", "change", "proposal", "requested_on", "recorded_by", "cim_view", "cim_reason",
		"cim_by", "hos_view", "hos_reason", "hos_by", "escalated", "director_view",
		"director_reason", "director_by", "outcome", "decided_on", "reviewed_on",
		"review_outcome", "review_note", "reviewed_by", NULL};
	db_stmt *stmt;
	s = store_prepare(st, "SELECT id, change, proposal, requested_on, recorded_by, cim_view,"
			  " cim_reason, cim_by, hos_view, hos_reason, hos_by, escalated,"
			  " director_view, director_reason, director_by, outcome, decided_on,"
			  " reviewed_on, review_outcome, review_note, reviewed_by"
			  " FROM freeze_requests WHERE case_id = ? ORDER BY id", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, case_id);
	json_t *arr = json_array();
	int rc;
	while ((rc = db_step(stmt)) == DB_ROW) {
		json_t *o = json_object();
		for (int i = 0; keys[i]; i++) {
			json_t *v;
			if (db_column_type(stmt, i) == DB_NULL)
				v = json_null();
			else if (strcmp(keys[i], "escalated") == 0)
				v = json_boolean(db_column_int(stmt, i));
			else if (db_column_type(stmt, i) == DB_INTEGER)
				v = json_integer(db_column_int64(stmt, i));
			else
				v = json_string((const char *)db_column_text(stmt, i));
			json_object_set_new(o, keys[i], v);
		}
		json_array_append_new(arr, o);
	}
	if (rc != DB_DONE) {
		s = store_fail(st, "listing requests to freeze", err);
		json_decref(arr);
		arr = NULL;
	}
	db_finalize(stmt);
	*out = arr;
	return s;
}
