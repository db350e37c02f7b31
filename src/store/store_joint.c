/*
 * store_joint.c: contributions and liaisons (migration 015).
 */
#include "store_joint.h"

#include <string.h>

#include "store_event.h"
#include "store_internal.h"
#include "store_rows.h"

/* The case's id, organisation and current stage. */
static fh_status case_stage(fh_store *st, const char *reference, int64_t *case_id,
			    int64_t *org_id, int *stage, fh_error *err)
{
	fh_status s = store_case_locate(st, reference, case_id, org_id, err);
	if (s)
		return s;
	db_stmt *stmt;
	if ((s = store_stmt(st, "SELECT stage FROM cases WHERE id = ?", &stmt, err)))
		return s;
	db_bind_int64(stmt, 1, *case_id);
	if (db_step(stmt) == DB_ROW)
		*stage = db_column_int(stmt, 0);
	else
		s = store_fail(st, "reading the case's stage", err);
	store_stmt_done(st, stmt);
	return s;
}

fh_status store_contribution_request(fh_store *st, const char *reference, const char *team_name,
				     fh_date requested_on, const char *actor, fh_date today,
				     fh_error *err)
{
	if (!team_name || !*team_name)
		return error_set(err, FH_EINVAL, "team", "001 §13.1",
				 "name the team whose contribution is asked for");
	bool opened;
	fh_status s = store_tx_begin(st, &opened, err);
	if (s)
		return s;
	int64_t case_id = 0, org_id = 0, team_id = 0, existing = 0;
	int stage = 0;
	s = case_stage(st, reference, &case_id, &org_id, &stage, err);
	if (!s)
		s = store_team_lookup(st, org_id, team_name, &team_id, err);
	db_stmt *stmt;
	if (!s && !(s = store_stmt(st, "SELECT count(*) FROM case_contributions WHERE case_id = ?"
				   " AND stage = ? AND team_id = ?", &stmt, err))) {
		db_bind_int64(stmt, 1, case_id);
		db_bind_int(stmt, 2, stage);
		db_bind_int64(stmt, 3, team_id);
		if (db_step(stmt) == DB_ROW)
			existing = db_column_int64(stmt, 0);
		store_stmt_done(st, stmt);
	}
	if (!s)
		s = joint_check_contribution(stage, requested_on, today, existing > 0, err);
	char on[DATE_ISO_LEN];
	date_format(requested_on, on);
	if (!s && !(s = store_stmt(st, "INSERT INTO case_contributions (case_id, stage, team_id,"
				   " requested_on, requested_by) VALUES (?, ?, ?, ?, ?)", &stmt, err))) {
		db_bind_int64(stmt, 1, case_id);
		db_bind_int(stmt, 2, stage);
		db_bind_int64(stmt, 3, team_id);
		store_bind_text(stmt, 4, on);
		store_bind_text(stmt, 5, actor);
		s = store_stmt_run(st, stmt, "asking for a contribution", err);
	}
	if (!s)
		s = store_event_append_json(st, org_id, case_id, actor, "contribution_requested", NULL,
					    on, json_pack("{ss si}", "team", team_name, "stage", stage),
					    err);
	return store_tx_end(st, opened, s, err);
}

fh_status store_contribution_received(fh_store *st, const char *reference, int64_t id,
				      fh_date received_on, const char *actor, fh_date today,
				      fh_error *err)
{
	bool opened;
	int64_t case_id = 0, org_id = 0;
	fh_status s = store_tx_begin_case(st, reference, &opened, &case_id, &org_id, err);
	if (s)
		return s;
	fh_date requested_on = 0;
	bool received = false;
	db_stmt *stmt;
	if (!(s = store_stmt(st, "SELECT requested_on, received_on IS NOT NULL FROM"
			     " case_contributions WHERE id = ? AND case_id = ?", &stmt, err))) {
		db_bind_int64(stmt, 1, id);
		db_bind_int64(stmt, 2, case_id);
		int rc = db_step(stmt);
		if (rc == DB_ROW) {
			date_parse((const char *)db_column_text(stmt, 0), &requested_on);
			received = db_column_int(stmt, 1);
		} else if (rc == DB_DONE) {
			s = error_set(err, FH_ENOTFOUND, "id", NULL, "no contribution %lld on this case",
				      (long long)id);
		} else {
			s = store_fail(st, "reading a contribution", err);
		}
		store_stmt_done(st, stmt);
	}
	if (!s)
		s = joint_check_received(received, requested_on, received_on, today, err);
	char on[DATE_ISO_LEN];
	date_format(received_on, on);
	if (!s && !(s = store_stmt(st, "UPDATE case_contributions SET received_on = ?, received_by = ?"
				   " WHERE id = ?", &stmt, err))) {
		store_bind_text(stmt, 1, on);
		store_bind_text(stmt, 2, actor);
		db_bind_int64(stmt, 3, id);
		s = store_stmt_run(st, stmt, "recording a contribution", err);
	}
	if (!s)
		s = store_event_append_json(st, org_id, case_id, actor, "contribution_received", NULL,
					    on, json_pack("{sI}", "contribution", (json_int_t)id), err);
	return store_tx_end(st, opened, s, err);
}

fh_status store_liaison_add(fh_store *st, const char *reference, const char *organisation,
			    const char *responder, fh_date liaised_on, bool customer_told,
			    fh_date customer_told_on, const char *actor, fh_date today,
			    fh_error *err)
{
	fh_status s = joint_check_liaison(organisation, responder, liaised_on, customer_told,
					  customer_told_on, today, err);
	if (s)
		return s;
	bool opened;
	int64_t case_id = 0, org_id = 0;
	s = store_tx_begin_case(st, reference, &opened, &case_id, &org_id, err);
	if (s)
		return s;
	char on[DATE_ISO_LEN], told[DATE_ISO_LEN], now[21];
	date_format(liaised_on, on);
	date_format(customer_told_on, told);
	store_now(now);
	db_stmt *stmt;
	if (!(s = store_stmt(st, "INSERT INTO case_liaisons (case_id, organisation, liaised_on,"
			     " responder, customer_told_on, recorded_by, recorded_at)"
			     " VALUES (?, ?, ?, ?, ?, ?, ?)", &stmt, err))) {
		db_bind_int64(stmt, 1, case_id);
		store_bind_text(stmt, 2, organisation);
		store_bind_text(stmt, 3, on);
		store_bind_text(stmt, 4, responder);
		store_bind_text(stmt, 5, customer_told ? told : NULL);
		store_bind_text(stmt, 6, actor);
		store_bind_text(stmt, 7, now);
		s = store_stmt_run(st, stmt, "recording a liaison", err);
	}
	if (!s) {
		json_t *data = json_pack("{ss ss}", "organisation", organisation, "responder", responder);
		if (customer_told)
			json_object_set_new(data, "customer_told_on", json_string(told));
		s = store_event_append_json(st, org_id, case_id, actor, "liaison_recorded", NULL, on,
					    data, err);
	}
	return store_tx_end(st, opened, s, err);
}

fh_status store_joint_get(fh_store *st, const char *reference, json_t **out, fh_error *err)
{
	static const char *const ckeys[] = {"id", "stage", "team", "requested_on", "requested_by",
					    "received_on", "received_by", NULL};
	static const char *const lkeys[] = {"id", "organisation", "liaised_on", "responder",
					    "customer_told_on", "recorded_by", NULL};
	static const store_rows_list lists[] = {
		{"contributions", "SELECT c.id, c.stage, t.name, c.requested_on, c.requested_by,"
				  " c.received_on, c.received_by FROM case_contributions c JOIN teams t"
				  " ON t.id = c.team_id WHERE c.case_id = ?1 ORDER BY c.stage, c.id",
		 ckeys},
		{"liaisons", "SELECT id, organisation, liaised_on, responder, customer_told_on,"
			     " recorded_by FROM case_liaisons WHERE case_id = ?1 ORDER BY id", lkeys},
	};
	return store_case_lists_json(st, reference, lists, 2, out, err);
}

fh_status store_joint_check_response(fh_store *st, int64_t case_id, int stage, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT count(*), min(t.name) FROM case_contributions c"
				 " JOIN teams t ON t.id = c.team_id WHERE c.case_id = ? AND c.stage = ?"
				 " AND c.received_on IS NULL", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, case_id);
	db_bind_int(stmt, 2, stage);
	int64_t n = 0;
	char team[200] = "";
	if (db_step(stmt) == DB_ROW) {
		n = db_column_int64(stmt, 0);
		if (db_column_text(stmt, 1))
			snprintf(team, sizeof team, "%s", (const char *)db_column_text(stmt, 1));
	} else {
		s = store_fail(st, "reading contributions", err);
	}
	store_stmt_done(st, stmt);
	return s ? s : joint_check_response(n, team, err);
}
