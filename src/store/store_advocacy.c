/*
 * store_advocacy.c: advocacy and access needs (migration 016).
 */
#include "store_advocacy.h"

#include <stdlib.h>
#include <string.h>

#include "store_event.h"
#include "store_internal.h"
#include "store_rows.h"
#include "store_lifecycle.h"

static fh_date col_date(db_stmt *stmt, int i)
{
	fh_date d = 0;
	if (db_column_type(stmt, i) != DB_NULL)
		date_parse((const char *)db_column_text(stmt, i), &d);
	return d;
}

fh_status store_advocacy_step(fh_store *st, const char *reference, int64_t person_id,
			      const char *step, fh_date on, const char *service, int extend_to,
			      const fh_actor *actor, fh_date today, fh_error *err)
{
	if (extend_to && (!step || strcmp(step, "referred") != 0))
		return error_set(err, FH_EINVAL, "extend_to", "001 B Stage 1",
				 "the clock is extended when an advocate is to be appointed: with "
				 "the referral");
	bool opened;
	int64_t case_id = 0, org_id = 0, id = 0;
	fh_status s = store_tx_begin_party(st, reference, person_id, &opened, &case_id, &org_id,
					   err);
	if (s)
		return s;
	advocacy_state as = {0};
	char current_service[200] = "";
	db_stmt *stmt;
	if (!s && !(s = store_stmt(st, "SELECT id, offered_on, referred_on, taken_up_on, declined_on,"
				   " service FROM case_advocacy WHERE case_id = ? AND person_id = ?",
				   &stmt, err))) {
		db_bind_int64(stmt, 1, case_id);
		db_bind_int64(stmt, 2, person_id);
		int rc = db_step(stmt);
		if (rc == DB_ROW) {
			id = db_column_int64(stmt, 0);
			as = (advocacy_state){col_date(stmt, 1), col_date(stmt, 2), col_date(stmt, 3),
					      col_date(stmt, 4)};
			snprintf(current_service, sizeof current_service, "%s",
				 (const char *)db_column_text(stmt, 5));
		} else if (rc != DB_DONE) {
			s = store_fail(st, "reading advocacy", err);
		}
		store_stmt_done(st, stmt);
	}
	/* the organisation's own service unless another is named */
	if (!s && (!service || !*service) && !*current_service &&
	    !(s = store_stmt(st, "SELECT advocacy_service FROM organisations WHERE id = ?", &stmt,
			     err))) {
		db_bind_int64(stmt, 1, org_id);
		if (db_step(stmt) == DB_ROW)
			snprintf(current_service, sizeof current_service, "%s",
				 (const char *)db_column_text(stmt, 0));
		store_stmt_done(st, stmt);
		if (!*current_service)
			s = error_set(err, FH_EINVAL, "service", "DOMAIN §7",
				      "the organisation has no advocacy service on record: name it");
	}
	if (service && *service)
		snprintf(current_service, sizeof current_service, "%s", service);
	if (!s)
		s = advocacy_step(&as, step, on, today, err);
	char d[4][DATE_ISO_LEN];
	fh_date dates[4] = {as.offered_on, as.referred_on, as.taken_up_on, as.declined_on};
	for (int i = 0; i < 4; i++)
		date_format(dates[i], d[i]);
	if (!s && !(s = store_stmt(st, id ? "UPDATE case_advocacy SET offered_on = ?1, referred_on = ?2,"
					    " taken_up_on = ?3, declined_on = ?4, service = ?5,"
					    " clock_extended = CASE WHEN ?6 = 1 THEN 1 ELSE clock_extended END"
					    " WHERE id = ?7"
					  : "INSERT INTO case_advocacy (offered_on, referred_on,"
					    " taken_up_on, declined_on, service, clock_extended, case_id,"
					    " person_id, recorded_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?8,"
					    " ?9, ?10)", &stmt, err))) {
		for (int i = 0; i < 4; i++)
			store_bind_text(stmt, i + 1, dates[i] ? d[i] : NULL);
		store_bind_text(stmt, 5, current_service);
		db_bind_int(stmt, 6, extend_to > 0);
		if (id) {
			db_bind_int64(stmt, 7, id);
		} else {
			db_bind_int64(stmt, 8, case_id);
			db_bind_int64(stmt, 9, person_id);
			store_bind_text(stmt, 10, actor->name);
		}
		s = store_stmt_run(st, stmt, "recording advocacy", err);
	}
	char on_s[DATE_ISO_LEN];
	date_format(on, on_s);
	if (!s)
		s = store_event_append_json(st, org_id, case_id, actor->name, "advocacy", NULL, on_s,
					    json_pack("{sI ss ss}", "person", (json_int_t)person_id,
						      "step", step, "service", current_service), err);
	if (!s && extend_to > 0) {
		/* 001 B Stage 1: the lifecycle decides whether the clock may be extended */
		json_t *params = json_pack("{ss si ss ss}", "on", on_s, "to", extend_to, "because",
					   "advocate", "reason", "an advocate is to be appointed");
		json_t *result = NULL;
		s = store_case_act(st, reference, "extend", params, actor, today, &result, err);
		json_decref(params);
		json_decref(result);
	}
	return store_tx_end(st, opened, s, err);
}

fh_status store_access_need_add(fh_store *st, const char *reference, int64_t person_id,
				const char *need, const char *detail, bool arranged,
				fh_date arranged_on, const char *actor, fh_date today,
				fh_error *err)
{
	fh_status s = access_check_need(need, detail, err);
	if (s)
		return s;
	if (arranged && arranged_on > today)
		return error_set(err, FH_EINVAL, "arranged_on", NULL, "is in the future");
	bool opened;
	int64_t case_id = 0, org_id = 0;
	s = store_tx_begin_party(st, reference, person_id, &opened, &case_id, &org_id, err);
	if (s)
		return s;
	char on[DATE_ISO_LEN], now[21];
	date_format(arranged_on, on);
	store_now(now);
	db_stmt *stmt;
	if (!s && !(s = store_stmt(st, "INSERT INTO case_access_needs (case_id, person_id, need, detail,"
				   " arranged_on, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
				   &stmt, err))) {
		db_bind_int64(stmt, 1, case_id);
		db_bind_int64(stmt, 2, person_id);
		store_bind_text(stmt, 3, need);
		store_bind_text(stmt, 4, detail ? detail : "");
		store_bind_text(stmt, 5, arranged ? on : NULL);
		store_bind_text(stmt, 6, actor);
		store_bind_text(stmt, 7, now);
		s = store_stmt_run(st, stmt, "recording an access need", err);
	}
	if (!s)
		s = store_event_append_json(st, org_id, case_id, actor, "access_need", NULL, NULL,
					    json_pack("{sI ss}", "person", (json_int_t)person_id,
						      "need", need), err);
	return store_tx_end(st, opened, s, err);
}

fh_status store_advocacy_get(fh_store *st, const char *reference, json_t **out, fh_error *err)
{
	static const char *const akeys[] = {"person_id", "service", "offered_on", "referred_on",
					    "taken_up_on", "declined_on", "clock_extended", NULL};
	static const char *const nkeys[] = {"id", "person_id", "need", "detail", "arranged_on",
					    NULL};
	static const store_rows_list lists[] = {
		{"advocacy", "SELECT person_id, service, offered_on, referred_on, taken_up_on,"
			     " declined_on, clock_extended FROM case_advocacy WHERE case_id = ?1"
			     " ORDER BY id", akeys},
		{"access_needs", "SELECT id, person_id, need, detail, arranged_on FROM"
				 " case_access_needs WHERE case_id = ?1 ORDER BY id", nkeys},
	};
	fh_status s = store_case_lists_json(st, reference, lists, 2, out, err);
	if (s)
		return s;
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(*out, "advocacy"), i, a)
		json_object_set_new(a, "clock_extended",
				    json_boolean(json_integer_value(json_object_get(a, "clock_extended"))));
	return FH_OK;
}

fh_status store_advocacy_counts(fh_store *st, const char *org_code, const char *from,
				const char *to, json_t **out, fh_error *err)
{
	int64_t org_id = 0;
	fh_status s = store_org_id(st, org_code, &org_id, err);
	if (s)
		return s;
	json_t *advocacy = json_array(), *needs = json_array();
	db_stmt *stmt;
	if (!(s = store_prepare(st, "SELECT a.service, count(*), count(a.referred_on),"
				" count(a.taken_up_on), count(a.declined_on), sum(a.clock_extended)"
				" FROM case_advocacy a JOIN cases c ON c.id = a.case_id"
				" WHERE c.org_id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR c.received_on >= ?2)"
				" AND (CAST(?3 AS TEXT) IS NULL OR c.received_on <= ?3) GROUP BY a.service"
				" ORDER BY a.service", &stmt, err))) {
		db_bind_int64(stmt, 1, org_id);
		store_bind_text(stmt, 2, from);
		store_bind_text(stmt, 3, to);
		while (db_step(stmt) == DB_ROW)
			json_array_append_new(advocacy, json_pack(
				"{ss sI sI sI sI sI}", "service",
				(const char *)db_column_text(stmt, 0), "offered",
				(json_int_t)db_column_int64(stmt, 1), "referred",
				(json_int_t)db_column_int64(stmt, 2), "taken_up",
				(json_int_t)db_column_int64(stmt, 3), "declined",
				(json_int_t)db_column_int64(stmt, 4), "clock_extended",
				(json_int_t)db_column_int64(stmt, 5)));
		db_finalize(stmt);
	}
	if (!s && !(s = store_prepare(st, "SELECT n.need, count(*), count(DISTINCT n.case_id)"
				      " FROM case_access_needs n JOIN cases c ON c.id = n.case_id"
				      " WHERE c.org_id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR c.received_on >= ?2)"
				      " AND (CAST(?3 AS TEXT) IS NULL OR c.received_on <= ?3) GROUP BY n.need"
				      " ORDER BY n.need", &stmt, err))) {
		db_bind_int64(stmt, 1, org_id);
		store_bind_text(stmt, 2, from);
		store_bind_text(stmt, 3, to);
		while (db_step(stmt) == DB_ROW)
			json_array_append_new(needs, json_pack(
				"{ss sI sI}", "need", (const char *)db_column_text(stmt, 0),
				"count", (json_int_t)db_column_int64(stmt, 1), "cases",
				(json_int_t)db_column_int64(stmt, 2)));
		db_finalize(stmt);
	}
	if (s) {
		json_decref(advocacy);
		json_decref(needs);
		return s;
	}
	*out = json_pack("{so so}", "advocacy", advocacy, "access_needs", needs);
	return FH_OK;
}
