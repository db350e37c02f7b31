/*
 * store_behaviour.c: warnings, restrictions, reviews and appeals (migration 012).
 */
#include "store_behaviour.h"

#include <string.h>

#include "orgfile.h"
#include "store_calendar.h"
#include "store_event.h"
#include "store_internal.h"
#include "store_rows.h"
#include "store_orgfile.h"

/* The organisation's id, and that the person is one of its people. */
static fh_status person_in_org(fh_store *st, const char *org_code, int64_t person_id,
			       int64_t *org_id, fh_error *err)
{
	fh_status s = store_org_id(st, org_code, org_id, err);
	if (s)
		return s;
	db_stmt *stmt;
	s = store_stmt(st, "SELECT 1 FROM people WHERE id = ? AND org_id = ?", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, person_id);
	db_bind_int64(stmt, 2, *org_id);
	int rc = db_step(stmt);
	if (rc == DB_DONE)
		s = error_set(err, FH_ENOTFOUND, "person", NULL, "no person %lld in this organisation",
			      (long long)person_id);
	else if (rc != DB_ROW)
		s = store_fail(st, "finding a person", err);
	store_stmt_done(st, stmt);
	return s;
}

typedef struct restriction_row {
	int64_t org_id, person_id;
	fh_date starts_on, ends_on;
	bool lifted;
} restriction_row;

static fh_status restriction_get(fh_store *st, const char *org_code, int64_t id,
				 restriction_row *r, fh_error *err)
{
	fh_status s = store_org_id(st, org_code, &r->org_id, err);
	if (s)
		return s;
	db_stmt *stmt;
	s = store_stmt(st, "SELECT r.person_id, r.starts_on, r.ends_on, r.lifted_on IS NOT NULL"
		       " FROM behaviour_restrictions r JOIN people p ON p.id = r.person_id"
		       " WHERE r.id = ? AND p.org_id = ?", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, id);
	db_bind_int64(stmt, 2, r->org_id);
	int rc = db_step(stmt);
	if (rc == DB_ROW) {
		r->person_id = db_column_int64(stmt, 0);
		date_parse((const char *)db_column_text(stmt, 1), &r->starts_on);
		date_parse((const char *)db_column_text(stmt, 2), &r->ends_on);
		r->lifted = db_column_int(stmt, 3);
	} else if (rc == DB_DONE) {
		s = error_set(err, FH_ENOTFOUND, "restriction", NULL,
			      "no restriction %lld in this organisation", (long long)id);
	} else {
		s = store_fail(st, "reading a restriction", err);
	}
	store_stmt_done(st, stmt);
	return s;
}

/*
 * The start of every change to a restriction: opens the transaction and
 * reads the restriction in it.  On failure nothing is left open.
 */
static fh_status begin_restriction(fh_store *st, const char *org_code, int64_t id, bool *opened,
				   restriction_row *r, fh_error *err)
{
	*r = (restriction_row){0};
	fh_status s = store_tx_begin(st, opened, err);
	if (s)
		return s;
	s = restriction_get(st, org_code, id, r, err);
	return s ? store_tx_end(st, *opened, s, err) : FH_OK;
}

fh_status store_restriction_person(fh_store *st, const char *org_code, int64_t restriction_id,
				   int64_t *person_id, fh_error *err)
{
	restriction_row r = {0};
	fh_status s = restriction_get(st, org_code, restriction_id, &r, err);
	if (!s)
		*person_id = r.person_id;
	return s;
}

/* Runs one statement binding int64 and text values given as a format ("i", "t"). */
static fh_status exec_bound(fh_store *st, const char *sql, const char *what, const char *types,
			    const int64_t *ints, const char *const *texts, int64_t *id,
			    fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st, sql, &stmt, err);
	if (s)
		return s;
	size_t i = 0, t = 0;
	for (int k = 0; types[k]; k++) {
		if (types[k] == 'i')
			db_bind_int64(stmt, k + 1, ints[i++]);
		else
			store_bind_text(stmt, k + 1, texts[t++]);
	}
	return store_stmt_run_id(st, stmt, what, id, err);
}

fh_status store_behaviour_warn(fh_store *st, const char *org_code, int64_t person_id,
			       fh_date issued_on, const char *evidence, const char *change,
			       const char *actor, fh_date today, int64_t *id_out, fh_error *err)
{
	fh_status s = behaviour_check_warning(evidence, change, issued_on, today, err);
	if (s)
		return s;
	bool opened;
	if ((s = store_tx_begin(st, &opened, err)))
		return s;
	int64_t org_id = 0, id = 0;
	s = person_in_org(st, org_code, person_id, &org_id, err);
	char on[DATE_ISO_LEN], now[21];
	date_format(issued_on, on);
	store_now(now);
	if (!s) {
		const int64_t ints[] = {person_id};
		const char *const texts[] = {on, evidence, change, actor, now};
		s = exec_bound(st, "INSERT INTO behaviour_warnings (person_id, issued_on, evidence,"
			       " change, decided_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)"
			       " RETURNING id", "recording a warning", "ittttt", ints, texts, &id, err);
	}
	if (!s)
		s = store_event_append_json(st, org_id, 0, actor, "behaviour_warning", NULL, on,
					    json_pack("{sI sI}", "person", (json_int_t)person_id,
						      "warning", (json_int_t)id), err);
	s = store_tx_end(st, opened, s, err);
	if (!s && id_out)
		*id_out = id;
	return s;
}

/*
 * The organisation's persistent-behaviour periods, from its file
 * (docs/organisations.md): *policy is NULL when it sets none.  Strings live
 * in *settings, which the caller frees.
 */
static fh_status org_policy(fh_store *st, const char *org_code, json_t **settings,
			    behaviour_policy *buf, const behaviour_policy **policy, fh_error *err)
{
	fh_status s = store_org_settings(st, org_code, settings, err);
	*policy = !s && orgfile_behaviour_policy(*settings, buf) ? buf : NULL;
	return s;
}

/* Inserts the reviews due from `after` on for a restriction from starts_on to ends_on. */
static fh_status schedule_reviews(fh_store *st, const behaviour_policy *policy, int64_t rid,
				  fh_date starts_on, fh_date ends_on, fh_date after, fh_error *err)
{
	fh_date due[BEHAVIOUR_MAX_REVIEWS];
	size_t n = behaviour_review_dates(policy, starts_on, ends_on, due, BEHAVIOUR_MAX_REVIEWS);
	fh_status s = FH_OK;
	for (size_t i = 0; i < n && !s; i++) {
		if (due[i] <= after)
			continue;
		char d[DATE_ISO_LEN];
		date_format(due[i], d);
		const int64_t ints[] = {rid};
		const char *const texts[] = {d};
		s = exec_bound(st, "INSERT INTO behaviour_reviews (restriction_id, due_on) VALUES (?, ?)",
			       "scheduling a review", "it", ints, texts, NULL, err);
	}
	return s;
}

fh_status store_behaviour_restrict(fh_store *st, const char *org_code, int64_t person_id,
				   const behaviour_restriction *given, const char *actor,
				   fh_date today, int64_t *id_out, fh_error *err)
{
	bool opened;
	fh_status s = store_tx_begin(st, &opened, err);
	if (s)
		return s;
	int64_t org_id = 0, id = 0;
	s = person_in_org(st, org_code, person_id, &org_id, err);
	behaviour_restriction r = *given;
	char starts[DATE_ISO_LEN], ends[DATE_ISO_LEN], now[21];
	date_format(r.starts_on, starts);
	date_format(r.ends_on, ends);
	store_now(now);
	if (!s) {
		db_stmt *stmt;
		s = store_stmt(st, "SELECT count(*) FROM behaviour_warnings WHERE person_id = ?"
			       " AND issued_on <= ?", &stmt, err);
		if (!s) {
			db_bind_int64(stmt, 1, person_id);
			store_bind_text(stmt, 2, starts);
			if (db_step(stmt) == DB_ROW)
				r.warned = db_column_int64(stmt, 0) > 0;
			else
				s = store_fail(st, "reading warnings", err);
			store_stmt_done(st, stmt);
		}
	}
	json_t *settings = NULL;
	behaviour_policy buf;
	const behaviour_policy *policy = NULL;
	if (!s)
		s = org_policy(st, org_code, &settings, &buf, &policy, err);
	if (!s)
		s = behaviour_check_restriction(&r, policy, today, err);
	if (!s) {
		const int64_t ints[] = {person_id};
		const char *const texts[] = {r.kind, r.detail, r.reason, starts, ends,
					     r.without_warning ? r.without_warning : "",
					     r.exceptional_reason ? r.exceptional_reason : "", actor,
					     now};
		s = exec_bound(st, "INSERT INTO behaviour_restrictions (person_id, kind, detail, reason,"
			       " starts_on, ends_on, without_warning, exceptional_reason, decided_by,"
			       " recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			       "recording a restriction", "ittttttttt", ints, texts, &id, err);
	}
	if (!s)
		s = schedule_reviews(st, policy, id, r.starts_on, r.ends_on, r.starts_on - 1, err);
	if (!s)
		s = store_event_append_json(st, org_id, 0, actor, "behaviour_restriction", NULL,
					    starts, json_pack("{sI sI ss ss ss ss}", "person",
							      (json_int_t)person_id, "restriction",
							      (json_int_t)id, "kind", r.kind,
							      "starts_on", starts, "ends_on", ends,
							      "without_warning",
							      r.without_warning ? r.without_warning : ""),
					    err);
	s = store_tx_end(st, opened, s, err);
	json_decref(settings);
	if (!s && id_out)
		*id_out = id;
	return s;
}

fh_status store_behaviour_review(fh_store *st, const char *org_code, int64_t rid,
				 fh_date reviewed_on, const char *outcome, const char *note,
				 fh_date new_ends_on, const char *exceptional_reason,
				 const char *actor, fh_date today, fh_error *err)
{
	bool opened;
	restriction_row r;
	fh_status s = begin_restriction(st, org_code, rid, &opened, &r, err);
	if (s)
		return s;
	json_t *settings = NULL;
	behaviour_policy buf;
	const behaviour_policy *policy = NULL;
	s = org_policy(st, org_code, &settings, &buf, &policy, err);
	if (!s)
		s = behaviour_check_review(policy, r.lifted, r.starts_on, r.ends_on, reviewed_on,
					   outcome, note, new_ends_on, exceptional_reason, today, err);
	char on[DATE_ISO_LEN], new_end[DATE_ISO_LEN];
	date_format(reviewed_on, on);
	date_format(new_ends_on, new_end);
	/* the earliest review still due takes this one; none left: a further review */
	int64_t review_id = 0;
	if (!s) {
		db_stmt *stmt;
		s = store_stmt(st, "SELECT id FROM behaviour_reviews WHERE restriction_id = ?"
			       " AND reviewed_on IS NULL ORDER BY due_on LIMIT 1", &stmt, err);
		if (!s) {
			db_bind_int64(stmt, 1, rid);
			int rc = db_step(stmt);
			if (rc == DB_ROW)
				review_id = db_column_int64(stmt, 0);
			else if (rc != DB_DONE)
				s = store_fail(st, "reading reviews", err);
			store_stmt_done(st, stmt);
		}
	}
	if (!s && !review_id) {
		const int64_t ints[] = {rid};
		const char *const texts[] = {on};
		s = exec_bound(st, "INSERT INTO behaviour_reviews (restriction_id, due_on) VALUES (?, ?)"
			       " RETURNING id", "recording a review", "it", ints, texts, &review_id, err);
	}
	if (!s) {
		const int64_t ints[] = {review_id};
		const char *const texts[] = {on, outcome, note, actor};
		s = exec_bound(st, "UPDATE behaviour_reviews SET reviewed_on = ?, outcome = ?, note = ?,"
			       " reviewed_by = ? WHERE id = ?", "recording a review", "tttti",
			       ints, texts, NULL, err);
	}
	bool lift = !s && strcmp(outcome, "lift") == 0;
	bool extend = !s && strcmp(outcome, "extend") == 0;
	if (lift || extend) {
		/* the reviews not yet held are no longer the ones due */
		const int64_t ints[] = {rid};
		s = exec_bound(st, "DELETE FROM behaviour_reviews WHERE restriction_id = ?"
			       " AND reviewed_on IS NULL", "rescheduling reviews", "i", ints, NULL, NULL,
			       err);
	}
	if (!s && lift) {
		const int64_t ints[] = {rid};
		const char *const texts[] = {on};
		s = exec_bound(st, "UPDATE behaviour_restrictions SET lifted_on = ? WHERE id = ?",
			       "lifting a restriction", "ti", ints, texts, NULL, err);
	}
	if (!s && extend) {
		const int64_t ints[] = {rid};
		const char *const texts[] = {new_end, exceptional_reason ? exceptional_reason : ""};
		s = exec_bound(st, "UPDATE behaviour_restrictions SET ends_on = ?,"
			       " exceptional_reason = CASE WHEN ?2 = '' THEN exceptional_reason"
			       " ELSE ?2 END WHERE id = ?3", "extending a restriction", "tti", ints,
			       texts, NULL, err);
		if (!s)
			s = schedule_reviews(st, policy, rid, r.starts_on, new_ends_on, reviewed_on, err);
	}
	if (!s) {
		json_t *data = json_pack("{sI sI ss}", "person", (json_int_t)r.person_id,
					 "restriction", (json_int_t)rid, "outcome", outcome);
		if (extend)
			json_object_set_new(data, "ends_on", json_string(new_end));
		s = store_event_append_json(st, r.org_id, 0, actor, "behaviour_review", NULL, on, data,
					    err);
	}
	json_decref(settings);
	return store_tx_end(st, opened, s, err);
}

/* Whether the restriction has an appeal, and whether it was answered; its received date. */
static fh_status appeal_state(fh_store *st, int64_t rid, bool *appealed, bool *answered,
			      fh_date *received_on, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT received_on, answered_on IS NOT NULL FROM"
				 " behaviour_appeals WHERE restriction_id = ?", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, rid);
	int rc = db_step(stmt);
	*appealed = rc == DB_ROW;
	*answered = false;
	if (rc == DB_ROW) {
		date_parse((const char *)db_column_text(stmt, 0), received_on);
		*answered = db_column_int(stmt, 1);
	} else if (rc != DB_DONE) {
		s = store_fail(st, "reading an appeal", err);
	}
	store_stmt_done(st, stmt);
	return s;
}

/* What a change to a restriction's appeal reads in its transaction (begin_appeal). */
typedef struct {
	bool opened;
	restriction_row r;
	bool appealed, answered;
	fh_date received_on;
} appeal_tx;

/*
 * begin_restriction, then the restriction's appeal state: the start of
 * recording or answering an appeal.  On failure the transaction is ended.
 */
static fh_status begin_appeal(fh_store *st, const char *org_code, int64_t rid, appeal_tx *a,
			      fh_error *err)
{
	*a = (appeal_tx){0};
	fh_status s = begin_restriction(st, org_code, rid, &a->opened, &a->r, err);
	if (s)
		return s;
	s = appeal_state(st, rid, &a->appealed, &a->answered, &a->received_on, err);
	return s ? store_tx_end(st, a->opened, s, err) : FH_OK;
}

fh_status store_behaviour_appeal(fh_store *st, const char *org_code, int64_t rid,
				 fh_date received_on, const char *grounds, const char *actor,
				 fh_date today, fh_date *due_out, fh_error *err)
{
	appeal_tx a;
	fh_status s = begin_appeal(st, org_code, rid, &a, err);
	if (s)
		return s;
	fh_date due = 0;
	s = behaviour_check_appeal(received_on, a.r.lifted, a.appealed, grounds, today, err);
	if (!s) {
		fh_calendar *cal = NULL;
		json_t *settings = NULL;
		behaviour_policy buf;
		const behaviour_policy *policy = NULL;
		s = org_policy(st, org_code, &settings, &buf, &policy, err);
		if (!s)
			s = store_calendar_for_org(st, org_code, &cal, err);
		if (!s)
			s = behaviour_appeal_due(cal, policy, received_on, &due, err);
		calendar_free(cal);
		json_decref(settings);
	}
	char on[DATE_ISO_LEN], due_s[DATE_ISO_LEN];
	date_format(received_on, on);
	date_format(due, due_s);
	if (!s) {
		const int64_t ints[] = {rid};
		const char *const texts[] = {on, due_s, grounds, actor};
		s = exec_bound(st, "INSERT INTO behaviour_appeals (restriction_id, received_on, due_on,"
			       " grounds, recorded_by) VALUES (?, ?, ?, ?, ?)", "recording an appeal",
			       "itttt", ints, texts, NULL, err);
	}
	if (!s)
		s = store_event_append_json(st, a.r.org_id, 0, actor, "behaviour_appeal", NULL, on,
					    json_pack("{sI sI ss}", "person", (json_int_t)a.r.person_id,
						      "restriction", (json_int_t)rid, "due_on",
						      due_s), err);
	s = store_tx_end(st, a.opened, s, err);
	if (!s && due_out)
		*due_out = due;
	return s;
}

fh_status store_behaviour_answer(fh_store *st, const char *org_code, int64_t rid,
				 fh_date answered_on, const char *outcome, const char *answer,
				 bool ombudsman_explained, const char *actor, fh_date today,
				 fh_error *err)
{
	appeal_tx a;
	fh_status s = begin_appeal(st, org_code, rid, &a, err);
	if (s)
		return s;
	s = behaviour_check_answer(a.appealed, a.answered, a.received_on, answered_on, outcome,
				   answer, ombudsman_explained, today, err);
	char on[DATE_ISO_LEN];
	date_format(answered_on, on);
	if (!s) {
		const int64_t ints[] = {rid};
		const char *const texts[] = {on, outcome, answer, actor};
		s = exec_bound(st, "UPDATE behaviour_appeals SET answered_on = ?, outcome = ?,"
			       " answer = ?, answered_by = ? WHERE restriction_id = ?",
			       "answering an appeal", "tttti", ints, texts, NULL, err);
	}
	if (!s && strcmp(outcome, "lifted") == 0 && !a.r.lifted) {
		const int64_t ints[] = {rid};
		const char *const texts[] = {on};
		s = exec_bound(st, "UPDATE behaviour_restrictions SET lifted_on = ? WHERE id = ?",
			       "lifting a restriction", "ti", ints, texts, NULL, err);
		if (!s)
			s = exec_bound(st, "DELETE FROM behaviour_reviews WHERE restriction_id = ?"
				       " AND reviewed_on IS NULL", "cancelling reviews", "i", ints,
				       NULL, NULL, err);
	}
	if (!s)
		s = store_event_append_json(st, a.r.org_id, 0, actor, "behaviour_appeal_answered",
					    NULL, on, json_pack("{sI sI ss}", "person",
								(json_int_t)a.r.person_id,
								"restriction", (json_int_t)rid,
								"outcome", outcome), err);
	return store_tx_end(st, a.opened, s, err);
}

/* ---- reading -------------------------------------------------------------------- */

fh_status store_behaviour_person(fh_store *st, const char *org_code, int64_t person_id,
				 json_t **out, fh_error *err)
{
	int64_t org_id = 0;
	fh_status s = person_in_org(st, org_code, person_id, &org_id, err);
	if (s)
		return s;
	static const char *const wkeys[] = {"id", "issued_on", "evidence", "change", "decided_by",
					    NULL};
	static const char *const rkeys[] = {"id", "kind", "detail", "reason", "starts_on",
					    "ends_on", "without_warning", "exceptional_reason",
					    "lifted_on", "decided_by", NULL};
	static const char *const vkeys[] = {"id", "due_on", "reviewed_on", "outcome", "note",
					    "reviewed_by", NULL};
	static const char *const akeys[] = {"received_on", "due_on", "grounds", "recorded_by",
					    "answered_on", "outcome", "answer", "answered_by", NULL};
	static const char *const dkeys[] = {"reference", "applies", "reason", "decided_by",
					    "decided_on", NULL};
	static const char *const lkeys[] = {"what", "restriction", "due_on", NULL};
	json_t *warnings = NULL, *restrictions = NULL, *deadlines = NULL;
	s = store_rows_json(st, "SELECT id, issued_on, evidence, change, decided_by FROM"
		      " behaviour_warnings WHERE person_id = ? ORDER BY issued_on, id", person_id,
		      wkeys, &warnings, err);
	if (!s)
		s = store_rows_json(st, "SELECT id, kind, detail, reason, starts_on, ends_on,"
			      " without_warning, exceptional_reason, lifted_on, decided_by FROM"
			      " behaviour_restrictions WHERE person_id = ? ORDER BY starts_on, id",
			      person_id, rkeys, &restrictions, err);
	size_t i;
	json_t *r;
	json_array_foreach(restrictions, i, r) {
		int64_t rid = json_integer_value(json_object_get(r, "id"));
		json_t *reviews = NULL, *appeal = NULL, *decisions = NULL;
		if (!s)
			s = store_rows_json(st, "SELECT id, due_on, reviewed_on, outcome, note, reviewed_by"
				      " FROM behaviour_reviews WHERE restriction_id = ?"
				      " ORDER BY due_on, id", rid, vkeys, &reviews, err);
		if (!s)
			s = store_rows_json(st, "SELECT received_on, due_on, grounds, recorded_by,"
				      " answered_on, outcome, answer, answered_by FROM"
				      " behaviour_appeals WHERE restriction_id = ?", rid, akeys,
				      &appeal, err);
		if (!s)
			s = store_rows_json(st, "SELECT c.reference, d.applies, d.reason, d.decided_by,"
				      " d.decided_on FROM behaviour_case_decisions d JOIN cases c"
				      " ON c.id = d.case_id WHERE d.restriction_id = ? ORDER BY d.id",
				      rid, dkeys, &decisions, err);
		json_object_set_new(r, "reviews", reviews ? reviews : json_array());
		json_object_set_new(r, "appeal", appeal && json_array_size(appeal)
						 ? json_incref(json_array_get(appeal, 0))
						 : json_null());
		json_decref(appeal);
		json_object_set_new(r, "case_decisions", decisions ? decisions : json_array());
	}
	if (!s)
		s = store_rows_json(st, "SELECT 'review', v.restriction_id, v.due_on FROM behaviour_reviews v"
			      " JOIN behaviour_restrictions r ON r.id = v.restriction_id"
			      " WHERE r.person_id = ?1 AND v.reviewed_on IS NULL AND r.lifted_on IS NULL"
			      " UNION ALL SELECT 'appeal_answer', a.restriction_id, a.due_on"
			      " FROM behaviour_appeals a JOIN behaviour_restrictions r"
			      " ON r.id = a.restriction_id WHERE r.person_id = ?1"
			      " AND a.answered_on IS NULL ORDER BY 3, 2", person_id, lkeys, &deadlines,
			      err);
	if (s) {
		json_decref(warnings);
		json_decref(restrictions);
		json_decref(deadlines);
		return s;
	}
	*out = json_pack("{sI so so so}", "person", (json_int_t)person_id, "warnings", warnings,
			 "restrictions", restrictions, "deadlines", deadlines);
	return FH_OK;
}

fh_status store_behaviour_deadlines(fh_store *st, const char *org_code, fh_date today,
				    json_t **out, fh_error *err)
{
	int64_t org_id = 0;
	fh_status s = store_org_id(st, org_code, &org_id, err);
	if (s)
		return s;
	static const char *const keys[] = {"what", "person", "restriction", "kind", "due_on", NULL};
	s = store_rows_json(st,
		"SELECT 'review', r.person_id, r.id, r.kind, v.due_on FROM behaviour_reviews v"
		" JOIN behaviour_restrictions r ON r.id = v.restriction_id JOIN people p"
		" ON p.id = r.person_id WHERE p.org_id = ?1 AND v.reviewed_on IS NULL"
		" AND r.lifted_on IS NULL"
		" UNION ALL SELECT 'appeal_answer', r.person_id, r.id, r.kind, a.due_on"
		" FROM behaviour_appeals a JOIN behaviour_restrictions r ON r.id = a.restriction_id"
		" JOIN people p ON p.id = r.person_id WHERE p.org_id = ?1 AND a.answered_on IS NULL"
		" UNION ALL SELECT 'restriction_end', r.person_id, r.id, r.kind, r.ends_on"
		" FROM behaviour_restrictions r JOIN people p ON p.id = r.person_id"
		" WHERE p.org_id = ?1 AND r.lifted_on IS NULL"
		" ORDER BY 5, 3", org_id, keys, out, err);
	if (!s) {
		char on[DATE_ISO_LEN];
		behaviour_deadlines_as_of(*out, date_format(today, on));
	}
	return s;
}

fh_status store_case_restrictions(fh_store *st, int64_t case_id, json_t **out, fh_error *err)
{
	static const char *const keys[] = {"id", "person_id", "kind", "detail", "starts_on",
					   "ends_on", "lifted_on", "in_force_when_received",
					   "applies", "decision_reason", "decided_by", "decided_on",
					   NULL};
	json_t *arr = NULL;
	fh_status s = store_rows_json(st,
		"SELECT r.id, r.person_id, r.kind, r.detail, r.starts_on, r.ends_on, r.lifted_on,"
		" c.received_on >= r.starts_on AND c.received_on <= r.ends_on"
		"   AND (r.lifted_on IS NULL OR c.received_on < r.lifted_on),"
		" d.applies, d.reason, d.decided_by, d.decided_on"
		" FROM cases c JOIN behaviour_restrictions r ON r.person_id IN"
		"   (SELECT person_id FROM case_parties WHERE case_id = c.id)"
		" LEFT JOIN behaviour_case_decisions d ON d.restriction_id = r.id AND d.case_id = c.id"
		" WHERE c.id = ? ORDER BY r.starts_on, r.id", case_id, keys, &arr, err);
	if (s)
		return s;
	size_t i;
	json_t *r;
	json_array_foreach(arr, i, r) {
		bool in_force = json_integer_value(json_object_get(r, "in_force_when_received"));
		json_t *applies = json_object_get(r, "applies");
		json_object_set_new(r, "in_force_when_received", json_boolean(in_force));
		if (json_is_integer(applies))
			json_object_set_new(r, "applies", json_boolean(json_integer_value(applies)));
		/* Appendix A "New complaints": someone must decide, not assume */
		json_object_set_new(r, "decision_needed",
				    json_boolean(in_force && json_is_null(json_object_get(r, "applies"))));
	}
	*out = arr;
	return FH_OK;
}

fh_status store_case_restriction_decide(fh_store *st, const char *reference, int64_t rid,
					bool applies, const char *reason, const char *actor,
					fh_date today, fh_error *err)
{
	if (!reason || !*reason)
		return error_set(err, FH_EINVAL, "reason", "001 Appendix A",
				 "say why the restriction is, or is not, still appropriate and "
				 "necessary for this complaint");
	if (strlen(reason) > 4000)
		return error_set(err, FH_EINVAL, "reason", NULL, "is at most 4000 bytes");
	bool opened;
	int64_t case_id = 0, org_id = 0;
	fh_status s = store_tx_begin_case(st, reference, &opened, &case_id, &org_id, err);
	if (s)
		return s;
	if (!s) {
		/* the restriction must be one of a person on this case */
		db_stmt *stmt;
		s = store_stmt(st, "SELECT 1 FROM behaviour_restrictions r JOIN case_parties cp"
			       " ON cp.person_id = r.person_id WHERE r.id = ? AND cp.case_id = ?",
			       &stmt, err);
		if (!s) {
			db_bind_int64(stmt, 1, rid);
			db_bind_int64(stmt, 2, case_id);
			int rc = db_step(stmt);
			if (rc == DB_DONE)
				s = error_set(err, FH_ENOTFOUND, "restriction", NULL,
					      "no restriction %lld on anyone on this case",
					      (long long)rid);
			else if (rc != DB_ROW)
				s = store_fail(st, "finding a restriction", err);
			store_stmt_done(st, stmt);
		}
	}
	char on[DATE_ISO_LEN];
	date_format(today, on);
	if (!s) {
		const int64_t ints[] = {rid, case_id, applies};
		const char *const texts[] = {reason, actor, on};
		db_stmt *stmt;
		s = store_stmt(st, "INSERT INTO behaviour_case_decisions (restriction_id, case_id,"
			       " applies, reason, decided_by, decided_on) VALUES (?, ?, ?, ?, ?, ?)",
			       &stmt, err);
		if (!s) {
			for (int k = 0; k < 3; k++)
				db_bind_int64(stmt, k + 1, ints[k]);
			for (int k = 0; k < 3; k++)
				store_bind_text(stmt, k + 4, texts[k]);
			if (db_step(stmt) != DB_DONE) {
				s = store_fail(st, "recording the decision", err);
				if (s == FH_ECONFLICT)
					s = error_set(err, FH_ECONFLICT, "restriction", NULL,
						      "whether this restriction applies to this "
						      "case has already been decided");
			}
			store_stmt_done(st, stmt);
		}
	}
	if (!s)
		s = store_event_append_json(st, org_id, case_id, actor, "restriction_decision", NULL,
					    NULL, json_pack("{sI sb}", "restriction", (json_int_t)rid,
							    "applies", applies), err);
	return store_tx_end(st, opened, s, err);
}

fh_status store_person_name(fh_store *st, const char *org_code, int64_t person_id,
			    fh_arena *arena, const char **name, fh_error *err)
{
	int64_t org_id;
	fh_status s = person_in_org(st, org_code, person_id, &org_id, err);
	if (s)
		return s;
	db_stmt *stmt;
	s = store_stmt(st, "SELECT trim(trim(coalesce(given_name, '') || ' ' ||"
		       " coalesce(family_name, '')) || ' ' || coalesce(organisation, ''))"
		       " FROM people WHERE id = ?", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, person_id);
	if (db_step(stmt) == DB_ROW)
		*name = store_column_text(stmt, 0, arena);
	else
		s = store_fail(st, "reading a person's name", err);
	store_stmt_done(st, stmt);
	return s;
}
