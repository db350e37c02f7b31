/*
 * store_rights.c: consent, redaction, retention and subject access (migration 014).
 */
#include "store_rights.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_behaviour.h"
#include "store_event.h"
#include "store_internal.h"
#include "store_rows.h"

/* Runs sql, whose one parameter ?1 is id, to its end. */
static fh_status run_id(fh_store *st, const char *sql, const char *what, int64_t id,
			fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st, sql, &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, id);
	return store_stmt_run(st, stmt, what, err);
}

/* ---- consent (001 §14.3) ------------------------------------------------------ */

fh_status store_consent_add(fh_store *st, const char *reference, int64_t person_id,
			    const char *purpose, bool written, bool is_signed, fh_date dated_on,
			    const char *actor, fh_date today, fh_error *err)
{
	fh_status s = rights_check_consent(purpose, written, is_signed, dated_on, today, err);
	if (s)
		return s;
	bool opened;
	int64_t case_id = 0, org_id = 0;
	s = store_tx_begin_party(st, reference, person_id, &opened, &case_id, &org_id, err);
	if (s)
		return s;
	db_stmt *stmt;
	char on[DATE_ISO_LEN], now[21];
	date_format(dated_on, on);
	store_now(now);
	if (!s && !(s = store_stmt(st, "INSERT INTO data_consents (case_id, person_id, purpose, written,"
				   " signed, dated_on, recorded_by, recorded_at)"
				   " VALUES (?, ?, ?, 1, 1, ?, ?, ?)", &stmt, err))) {
		db_bind_int64(stmt, 1, case_id);
		db_bind_int64(stmt, 2, person_id);
		store_bind_text(stmt, 3, purpose);
		store_bind_text(stmt, 4, on);
		store_bind_text(stmt, 5, actor);
		store_bind_text(stmt, 6, now);
		if (db_step(stmt) != DB_DONE) {
			s = store_fail(st, "recording consent", err);
			if (s == FH_ECONFLICT)
				s = error_set(err, FH_ECONFLICT, "person_id", NULL,
					      "this person's consent for this purpose is recorded already");
		}
		store_stmt_done(st, stmt);
	}
	if (!s)
		s = store_event_append_json(st, org_id, case_id, actor, "consent_recorded", NULL, on,
					    json_pack("{sI ss}", "person", (json_int_t)person_id,
						      "purpose", purpose), err);
	return store_tx_end(st, opened, s, err);
}

fh_status store_consent_list(fh_store *st, const char *reference, json_t **out, fh_error *err)
{
	int64_t case_id = 0, org_id = 0;
	fh_status s = store_case_locate(st, reference, &case_id, &org_id, err);
	if (s)
		return s;
	static const char *const keys[] = {"person_id", "purpose", "dated_on", "recorded_by",
					   "recorded_at", NULL};
	return store_rows_json(st, "SELECT person_id, purpose, dated_on, recorded_by, recorded_at"
			       " FROM data_consents WHERE case_id = ?1 ORDER BY id", case_id, keys,
			       out, err);
}

/* ---- redaction --------------------------------------------------------------------- */

fh_status store_document_redact(fh_store *st, const char *reference, int64_t original_id,
				bool include_confidential, const char *filename,
				const char *content_type, const char *visibility,
				const void *content, size_t size, const char *removed,
				const char *actor, fh_arena *arena, store_document *out,
				fh_error *err)
{
	fh_status s = rights_check_redaction(removed, err);
	if (s)
		return s;
	bool opened;
	int64_t case_id = 0, org_id = 0;
	store_document original;
	s = store_tx_begin_case(st, reference, &opened, &case_id, &org_id, err);
	if (s)
		return s;
	s = store_document_get(st, reference, original_id, include_confidential, arena,
			       &original, err);
	if (!s)
		s = store_document_add(st, reference, filename, content_type, visibility, content, size,
				       actor, arena, out, err);
	char now[21];
	store_now(now);
	db_stmt *stmt;
	if (!s && !(s = store_stmt(st, "INSERT INTO document_redactions (document_id, original_id,"
				   " removed, redacted_by, redacted_at) VALUES (?, ?, ?, ?, ?)", &stmt,
				   err))) {
		db_bind_int64(stmt, 1, out->id);
		db_bind_int64(stmt, 2, original_id);
		store_bind_text(stmt, 3, removed);
		store_bind_text(stmt, 4, actor);
		store_bind_text(stmt, 5, now);
		s = store_stmt_run(st, stmt, "recording a redaction", err);
	}
	if (!s)
		s = store_event_append_json(st, org_id, case_id, actor, "document_redacted", NULL, NULL,
					    json_pack("{sI sI ss}", "document", (json_int_t)out->id,
						      "original", (json_int_t)original_id,
						      "visibility", visibility), err);
	return store_tx_end(st, opened, s, err);
}

/* ---- retention ------------------------------------------------------------------------ */

fh_status store_retention_set(fh_store *st, const char *org_code, long years, const char *actor,
			      fh_error *err)
{
	fh_status s = rights_check_retention_years(years, err);
	if (s)
		return s;
	bool opened;
	if ((s = store_tx_begin(st, &opened, err)))
		return s;
	int64_t org_id = 0;
	s = store_org_id(st, org_code, &org_id, err);
	char now[21];
	store_now(now);
	db_stmt *stmt;
	if (!s && !(s = store_stmt(st, "INSERT INTO retention_rules (org_id, years_after_closure,"
				   " set_by, set_at) VALUES (?, ?, ?, ?) ON CONFLICT (org_id) DO UPDATE"
				   " SET years_after_closure = excluded.years_after_closure,"
				   " set_by = excluded.set_by, set_at = excluded.set_at", &stmt, err))) {
		db_bind_int64(stmt, 1, org_id);
		db_bind_int64(stmt, 2, years);
		store_bind_text(stmt, 3, actor);
		store_bind_text(stmt, 4, now);
		s = store_stmt_run(st, stmt, "setting the retention rule", err);
	}
	if (!s)
		s = store_event_append_json(st, org_id, 0, actor, "retention_rule_set", NULL, NULL,
					    json_pack("{sI}", "years_after_closure", (json_int_t)years),
					    err);
	return store_tx_end(st, opened, s, err);
}

/* What anonymising one case changes, in order; ?1 is the case's id. */
static const char *const ANONYMISE_CASE[] = {
	"UPDATE cases SET summary = '" RIGHTS_ANONYMISED "', details = '', received_by = '',"
	" service = '' WHERE id = ?1",
	"UPDATE complaint_points SET summary = '" RIGHTS_ANONYMISED "', desired_outcome = ''"
	" WHERE case_id = ?1",
	"UPDATE findings SET reasoning = '', outcome_response = '' WHERE point_id IN"
	" (SELECT id FROM complaint_points WHERE case_id = ?1)",
	"UPDATE remedies SET description = '" RIGHTS_ANONYMISED "' WHERE case_id = ?1",
	"UPDATE freeze_requests SET proposal = '" RIGHTS_ANONYMISED "', cim_reason = '',"
	" hos_reason = '', director_reason = '', review_note = '' WHERE case_id = ?1",
	"UPDATE behaviour_case_decisions SET reason = '" RIGHTS_ANONYMISED "' WHERE case_id = ?1",
	"DELETE FROM document_redactions WHERE document_id IN"
	" (SELECT id FROM documents WHERE case_id = ?1)",
	"DELETE FROM documents WHERE case_id = ?1",
	/* the email on the case (docs/email.md): its bytes and words go, its
	 * digest, date and state stay */
	"UPDATE received_messages SET raw = substr(raw, 1, 0), size = 0, from_name = '',"
	" from_address = '', subject = '', body = '', refused = '[]' WHERE case_id = ?1",
	/* the mail sent about it: the address and words go, the Message-ID,
	 * dates and what became of it stay */
	"UPDATE outbox SET sender = '', recipient = '', subject = '', body = ''"
	" WHERE case_id = ?1",
	"UPDATE outbound_messages SET recipient = '' WHERE case_id = ?1",
};

/* What anonymising one person changes; ?1 is the person's id. */
static const char *const ANONYMISE_PERSON[] = {
	"UPDATE people SET title = '', given_name = '', family_name = '" RIGHTS_ANONYMISED "',"
	" organisation = '', address = '', postcode = '', phone = '', email = '',"
	" preferred_contact = '', date_of_birth = NULL, needs = '' WHERE id = ?1",
	"DELETE FROM equality_monitoring WHERE person_id = ?1",
	"UPDATE behaviour_warnings SET evidence = '" RIGHTS_ANONYMISED "', change = '"
	RIGHTS_ANONYMISED "' WHERE person_id = ?1",
	"UPDATE behaviour_restrictions SET detail = '" RIGHTS_ANONYMISED "', reason = '"
	RIGHTS_ANONYMISED "', exceptional_reason = '' WHERE person_id = ?1",
	"UPDATE behaviour_reviews SET note = '' WHERE restriction_id IN"
	" (SELECT id FROM behaviour_restrictions WHERE person_id = ?1)",
	"UPDATE behaviour_appeals SET grounds = '" RIGHTS_ANONYMISED "', answer = '' WHERE"
	" restriction_id IN (SELECT id FROM behaviour_restrictions WHERE person_id = ?1)",
};

/* Takes the free text out of a case's lifecycle state. */
static fh_status scrub_lifecycle(fh_store *st, int64_t case_id, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT state FROM case_lifecycle WHERE case_id = ?", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, case_id);
	json_t *state = NULL;
	int rc = db_step(stmt);
	if (rc == DB_ROW)
		state = json_loads((const char *)db_column_text(stmt, 0), 0, NULL);
	else if (rc != DB_DONE)
		s = store_fail(st, "reading a case's state", err);
	store_stmt_done(st, stmt);
	if (s || !state)
		return s;
	char *text = NULL;
	if (rights_scrub_state(state) > 0)
		text = json_dumps(state, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(state);
	if (text && !(s = store_stmt(st, "UPDATE case_lifecycle SET state = ? WHERE case_id = ?",
				     &stmt, err))) {
		store_bind_text(stmt, 1, text);
		db_bind_int64(stmt, 2, case_id);
		s = store_stmt_run(st, stmt, "scrubbing a case's state", err);
	}
	free(text);
	return s;
}

/*
 * Erases the personal content (reason and data) of the events that sql_where
 * picks out (?1 an id), as of today: a version 2 event keeps its salted
 * content digest, so the audit chain still verifies, and loses its salt,
 * so the text cannot be guessed back (hashchain.h).  A version 1 event,
 * written before migration 018, is counted in *kept: its hash covers the
 * text itself, and erasing that would break the chain.
 */
static fh_status erase_events(fh_store *st, const char *sql_where, int64_t id,
			      const char *today, store_retention_result *out, fh_error *err)
{
	char sql[400];
	db_stmt *stmt;
	snprintf(sql, sizeof sql, "UPDATE events SET reason = '', data = '{}', erased_on = ?2"
		 " WHERE hash_version = 2 AND erased_on IS NULL AND %s", sql_where);
	fh_status s = store_stmt(st, sql, &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, id);
	store_bind_text(stmt, 2, today);
	if (!(s = store_stmt_run(st, stmt, "erasing events' content", err)))
		out->n_events_erased += (size_t)db_changes(st->db);
	snprintf(sql, sizeof sql, "DELETE FROM event_salts WHERE event_id IN (SELECT id FROM events"
		 " WHERE erased_on IS NOT NULL AND %s)", sql_where);
	if (!s)
		s = run_id(st, sql, "erasing events' salts", id, err);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM events WHERE hash_version = 1 AND %s",
		 sql_where);
	if (!s && !(s = store_stmt(st, sql, &stmt, err))) {
		db_bind_int64(stmt, 1, id);
		if (db_step(stmt) == DB_ROW)
			out->n_events_kept += (size_t)db_column_int64(stmt, 0);
		store_stmt_done(st, stmt);
	}
	return s;
}

/* The events about a case, and those about a person but no case (behaviour). */
#define EVENTS_OF_CASE "case_id = ?1"
#define EVENTS_OF_PERSON \
	"case_id IS NULL AND CASE WHEN json_valid(data) THEN json_extract(data, '$.person') END = ?1"
/* The same on PostgreSQL, whose JSON functions are spelt differently. */
#define EVENTS_OF_PERSON_PG \
	"case_id IS NULL AND CASE WHEN fh_is_json(data) THEN CAST(data AS jsonb)->>'person' END" \
	" = CAST(?1 AS TEXT)"

/*
 * Blanks the words of every search in the access log that contain what
 * (a case's reference, a person's name), as of today: searches are not
 * about one case, so the words are matched.  It errs toward erasing: a
 * search for "Khanna" goes with the name "Khan".
 */
static fh_status erase_searches(fh_store *st, const char *what, const char *today,
				store_retention_result *out, fh_error *err)
{
	if (!what || strlen(what) < 2)
		return FH_OK;
	db_stmt *stmt;
	fh_status s = store_stmt(st, "UPDATE access_log SET detail = '(removed under the retention"
				 " rule on ' || ?2 || ')' WHERE what = 'search'"
				 " AND substr(detail, 1, 9) <> '(removed '"
				 " AND replace(lower(detail), lower(?1), '') <> lower(detail)", &stmt, err);
	if (s)
		return s;
	store_bind_text(stmt, 1, what);
	store_bind_text(stmt, 2, today);
	if (!(s = store_stmt_run(st, stmt, "erasing search words", err)))
		out->n_searches_erased += (size_t)db_changes(st->db);
	return s;
}

/* Erases a person's events and the searches for their names, before their
 * details go. */
static fh_status erase_person_traces(fh_store *st, int64_t person_id, const char *today,
				     store_retention_result *out, fh_error *err)
{
	fh_status s = erase_events(st, store_is_postgresql(st) ? EVENTS_OF_PERSON_PG
							  : EVENTS_OF_PERSON,
				   person_id, today, out, err);
	db_stmt *stmt;
	/* the family name and the full name: a given name alone names nobody */
	if (s || (s = store_stmt(st, "SELECT family_name, trim(given_name || ' ' || family_name)"
				 " FROM people WHERE id = ?", &stmt, err)))
		return s;
	db_bind_int64(stmt, 1, person_id);
	char names[2][200] = {"", ""};
	if (db_step(stmt) == DB_ROW)
		for (int i = 0; i < 2; i++)
			snprintf(names[i], sizeof names[i], "%s",
				 (const char *)db_column_text(stmt, i));
	store_stmt_done(st, stmt);
	for (int i = 0; !s && i < 2; i++)
		s = erase_searches(st, names[i], today, out, err);
	return s;
}

/*
 * Email that made no case (in quarantine, or set aside) is kept as long as
 * a case would be after closing, counted from the day it arrived; then its
 * bytes and words go as an anonymised case's email does, and it leaves the
 * quarantine (set aside, saying why).  Its digest, date and Message-ID stay,
 * so the same message arriving again is still known.
 */
static fh_status erase_caseless_mail(fh_store *st, int64_t only_org, fh_date today,
				     const char *today_s, store_retention_result *out, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_prepare(st, "SELECT m.id, substr(m.received_at, 1, 10),"
				    " r.years_after_closure FROM received_messages m JOIN retention_rules r"
				    " ON r.org_id = m.org_id WHERE m.case_id IS NULL AND m.size > 0"
				    " AND (?1 = 0 OR m.org_id = ?1) ORDER BY m.id", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, only_org);
	int64_t *due = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = db_step(stmt)) == DB_ROW) {
		fh_date received;
		if (!date_parse((const char *)db_column_text(stmt, 1), &received) ||
		    !rights_retention_due(received, db_column_int(stmt, 2), today))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			int64_t *bigger = realloc(due, cap * sizeof *due);
			if (!bigger) {
				rc = DB_ERROR;
				break;
			}
			due = bigger;
		}
		due[n++] = db_column_int64(stmt, 0);
	}
	if (rc != DB_DONE)
		s = store_fail(st, "finding email due for erasing", err);
	db_finalize(stmt);
	for (size_t i = 0; !s && i < n; i++) {
		if ((s = store_stmt(st, "UPDATE received_messages SET raw = substr(raw, 1, 0), size = 0,"
				    " from_name = '', from_address = '', subject = '', body = '',"
				    " refused = '[]', state = 'discarded', why = ?2 WHERE id = ?1",
				    &stmt, err)))
			break;
		char why[80];
		snprintf(why, sizeof why, "removed under the retention rule on %s", today_s);
		db_bind_int64(stmt, 1, due[i]);
		store_bind_text(stmt, 2, why);
		s = store_stmt_run(st, stmt, "erasing an email", err);
	}
	free(due);
	if (!s)
		out->n_messages_erased = n;
	return s;
}

typedef struct due_case {
	int64_t id, org_id;
	int years;
	const char *reference, *org_code, *closed_on;
} due_case;

fh_status store_retention_run(fh_store *st, const char *org_code, fh_date today, bool apply,
			      const char *actor, fh_arena *arena, store_retention_result *out,
			      fh_error *err)
{
	memset(out, 0, sizeof *out);
	char today_s[DATE_ISO_LEN];
	date_format(today, today_s);
	bool opened;
	fh_status s = store_tx_begin(st, &opened, err);
	if (s)
		return s;
	int64_t only_org = 0;
	if (org_code)
		s = store_org_id(st, org_code, &only_org, err);
	/* the candidates: closed, not yet anonymised, under a rule */
	size_t n = 0, cap = 16;
	due_case *due = arena_array(arena, cap, sizeof *due);
	db_stmt *stmt = NULL;
	if (!s && !(s = store_prepare(st, "SELECT c.id, c.org_id, r.years_after_closure, c.reference,"
				      " o.code, c.closed_on FROM cases c JOIN retention_rules r"
				      " ON r.org_id = c.org_id JOIN organisations o ON o.id = c.org_id"
				      " WHERE c.closed_on IS NOT NULL AND c.anonymised_on IS NULL"
				      " AND c.state IN ('closed', 'withdrawn') AND (?1 = 0 OR c.org_id = ?1)"
				      " ORDER BY o.code, c.closed_on, c.reference", &stmt, err))) {
		db_bind_int64(stmt, 1, only_org);
		int rc;
		while ((rc = db_step(stmt)) == DB_ROW) {
			fh_date closed;
			int years = db_column_int(stmt, 2);
			if (!date_parse((const char *)db_column_text(stmt, 5), &closed) ||
			    !rights_retention_due(closed, years, today))
				continue;
			if (n == cap) {
				due_case *bigger = arena_array(arena, cap * 2, sizeof *bigger);
				memcpy(bigger, due, n * sizeof *due);
				due = bigger;
				cap *= 2;
			}
			due[n++] = (due_case){
				.id = db_column_int64(stmt, 0),
				.org_id = db_column_int64(stmt, 1),
				.years = years,
				.reference = store_column_text(stmt, 3, arena),
				.org_code = store_column_text(stmt, 4, arena),
				.closed_on = store_column_text(stmt, 5, arena),
			};
		}
		if (rc != DB_DONE)
			s = store_fail(st, "finding cases due for anonymising", err);
		db_finalize(stmt);
	}
	for (size_t i = 0; apply && !s && i < n; i++) {
		int64_t docs = 0;
		if (!(s = store_stmt(st, "SELECT count(*) FROM documents WHERE case_id = ?", &stmt, err))) {
			db_bind_int64(stmt, 1, due[i].id);
			if (db_step(stmt) == DB_ROW)
				docs = db_column_int64(stmt, 0);
			store_stmt_done(st, stmt);
		}
		out->n_documents += (size_t)docs;
		for (size_t k = 0; !s && k < sizeof ANONYMISE_CASE / sizeof *ANONYMISE_CASE; k++)
			s = run_id(st, ANONYMISE_CASE[k], "anonymising a case", due[i].id, err);
		if (!s)
			s = scrub_lifecycle(st, due[i].id, err);
		if (!s)
			s = erase_events(st, EVENTS_OF_CASE, due[i].id, today_s, out, err);
		if (!s)
			s = erase_searches(st, due[i].reference, today_s, out, err);
		if (!s && !(s = store_stmt(st, "UPDATE cases SET anonymised_on = ? WHERE id = ?", &stmt,
					   err))) {
			store_bind_text(stmt, 1, today_s);
			db_bind_int64(stmt, 2, due[i].id);
			s = store_stmt_run(st, stmt, "anonymising a case", err);
		}
		if (!s)
			s = store_event_append_json(st, due[i].org_id, due[i].id, actor, "anonymised",
						    "retention rule", NULL,
						    json_pack("{ss si sI}", "closed_on",
							      due[i].closed_on, "years_after_closure",
							      due[i].years, "documents_removed",
							      (json_int_t)docs), err);
	}
	if (apply && !s)
		s = erase_caseless_mail(st, only_org, today, today_s, out, err);
	/* the people on them who are on no case still kept */
	if (apply && !s && n) {
		int64_t *people = NULL;
		size_t np = 0, pcap = 0;
		if (!(s = store_prepare(st, "SELECT p.id FROM people p WHERE p.family_name <> '"
					RIGHTS_ANONYMISED "' AND EXISTS (SELECT 1 FROM case_parties cp"
					" JOIN cases c ON c.id = cp.case_id WHERE cp.person_id = p.id"
					" AND c.anonymised_on IS NOT NULL) AND NOT EXISTS (SELECT 1"
					" FROM case_parties cp JOIN cases c ON c.id = cp.case_id"
					" WHERE cp.person_id = p.id AND c.anonymised_on IS NULL)",
					&stmt, err))) {
			int rc;
			while ((rc = db_step(stmt)) == DB_ROW) {
				if (np == pcap) {
					pcap = pcap ? pcap * 2 : 16;
					int64_t *bigger = arena_array(arena, pcap, sizeof *bigger);
					if (np)
						memcpy(bigger, people, np * sizeof *people);
					people = bigger;
				}
				people[np++] = db_column_int64(stmt, 0);
			}
			if (rc != DB_DONE)
				s = store_fail(st, "finding people to anonymise", err);
			db_finalize(stmt);
		}
		for (size_t i = 0; !s && i < np; i++)
			s = erase_person_traces(st, people[i], today_s, out, err);
		for (size_t i = 0; !s && i < np; i++)
			for (size_t k = 0; !s && k < sizeof ANONYMISE_PERSON / sizeof *ANONYMISE_PERSON; k++)
				s = run_id(st, ANONYMISE_PERSON[k], "anonymising a person", people[i],
					   err);
		out->n_people = np;
	}
	if (apply && !s && (n || out->n_messages_erased))
		s = store_event_append_json(st, only_org, 0, actor, "retention_applied", NULL, today_s,
					    json_pack("{sI sI sI sI sI sI sI}", "cases", (json_int_t)n,
						      "messages_erased", (json_int_t)out->n_messages_erased,
						      "people", (json_int_t)out->n_people, "documents",
						      (json_int_t)out->n_documents, "events_erased",
						      (json_int_t)out->n_events_erased, "events_kept",
						      (json_int_t)out->n_events_kept, "searches_erased",
						      (json_int_t)out->n_searches_erased), err);
	s = store_tx_end(st, opened, s, err);
	if (s) {
		out->n_people = out->n_documents = 0;
		out->n_events_erased = out->n_events_kept = out->n_searches_erased = 0;
		out->n_messages_erased = 0;
		return s;
	}
	out->cases = arena_array(arena, n ? n : 1, sizeof *out->cases);
	for (size_t i = 0; i < n; i++)
		out->cases[i] = (store_retention_case){.reference = due[i].reference,
						       .org_code = due[i].org_code,
						       .closed_on = due[i].closed_on,
						       .years = due[i].years};
	out->n_cases = n;
	return FH_OK;
}

/* ---- subject access (000 "Access to records") ----------------------------------------- */

/* One row of sql (?1 = id) as an object named by keys, or null when there is none. */
static fh_status one_json(fh_store *st, const char *sql, int64_t id, const char *const *keys,
			  json_t **out, fh_error *err)
{
	json_t *rows = NULL;
	fh_status s = store_rows_json(st, sql, id, keys, &rows, err);
	if (s)
		return s;
	*out = json_array_size(rows) ? json_incref(json_array_get(rows, 0)) : json_null();
	json_decref(rows);
	return FH_OK;
}

/* Sets key on obj to the rows of sql (?1 = id); the first failure wins. */
static fh_status put_rows(fh_store *st, json_t *obj, const char *key, const char *sql, int64_t id,
			  const char *const *keys, fh_status s, fh_error *err)
{
	if (s)
		return s;
	json_t *rows = NULL;
	s = store_rows_json(st, sql, id, keys, &rows, err);
	if (!s)
		json_object_set_new(obj, key, rows);
	return s;
}

fh_status store_subject_export(fh_store *st, const char *org_code, int64_t person_id,
			       fh_date today, json_t **out, fh_error *err)
{
	*out = NULL;
	int64_t org_id = 0;
	fh_status s = store_org_id(st, org_code, &org_id, err);
	if (s)
		return s;
	static const char *const pkeys[] = {"id", "title", "given_name", "family_name",
					    "organisation", "address", "postcode", "phone", "email",
					    "preferred_contact", "date_of_birth", "needs",
					    "created_at", NULL};
	json_t *person = NULL;
	s = one_json(st, "SELECT id, title, given_name, family_name, organisation, address, postcode,"
		     " phone, email, preferred_contact, date_of_birth, needs, created_at FROM people"
		     " WHERE id = ?1", person_id, pkeys, &person, err);
	if (!s && json_is_null(person))
		s = error_set(err, FH_ENOTFOUND, "person", NULL, "no person %lld in this organisation",
			      (long long)person_id);
	/* the person must be this organisation's */
	if (!s) {
		int64_t their_org = 0;
		db_stmt *stmt;
		if (!(s = store_stmt(st, "SELECT org_id FROM people WHERE id = ?", &stmt, err))) {
			db_bind_int64(stmt, 1, person_id);
			if (db_step(stmt) == DB_ROW)
				their_org = db_column_int64(stmt, 0);
			store_stmt_done(st, stmt);
		}
		if (!s && their_org != org_id)
			s = error_set(err, FH_ENOTFOUND, "person", NULL,
				      "no person %lld in this organisation", (long long)person_id);
	}
	if (s) {
		json_decref(person);
		return s;
	}
	static const char *const ekeys[] = {"date_of_birth", "preferred_language", "religion",
					    "racial_identity", "sex", "disability",
					    "disability_nature", "recorded_at", NULL};
	json_t *equality = NULL;
	s = one_json(st, "SELECT date_of_birth, preferred_language, religion, racial_identity, sex,"
		     " disability, disability_nature, recorded_at FROM equality_monitoring"
		     " WHERE person_id = ?1", person_id, ekeys, &equality, err);
	if (!s)
		json_object_set_new(person, "equality", equality);

	static const char *const ckeys[] = {"id", "reference", "kind", "channel", "received_on",
					    "state", "stage", "closed_on", "summary", "details",
					    "anonymised_on", NULL};
	json_t *cases = NULL;
	if (!s)
		s = store_rows_json(st, "SELECT DISTINCT c.id, c.reference, c.kind, c.channel,"
				    " c.received_on, c.state, c.stage, c.closed_on, c.summary, c.details,"
				    " c.anonymised_on FROM cases c JOIN case_parties cp ON cp.case_id = c.id"
				    " WHERE cp.person_id = ?1 ORDER BY c.received_on, c.id", person_id,
				    ckeys, &cases, err);
	size_t i;
	json_t *c;
	json_array_foreach(cases, i, c) {
		if (s)
			break;
		int64_t cid = json_integer_value(json_object_get(c, "id"));
		json_object_del(c, "id");
		static const char *const rkeys[] = {"role", "relationship", "child_status", "consent",
						    "consent_on", NULL};
		static const char *const ptkeys[] = {"seq", "summary", "desired_outcome", "withdrawn",
						     NULL};
		static const char *const fkeys[] = {"point", "stage", "outcome", "reasoning",
						    "outcome_response", "recorded_at", NULL};
		static const char *const mkeys[] = {"type", "category", "amount_pence", "description",
						    "approved_on", "delivered_on", NULL};
		static const char *const dkeys[] = {"id", "filename", "content_type", "size",
						    "visibility", "uploaded_at", "redaction_of", NULL};
		static const char *const vkeys[] = {"at", "effective_on", "action", "erased", NULL};
		static const char *const nkeys[] = {"purpose", "dated_on", NULL};
		static const char *const wkeys[] = {"count", NULL};
		/* their own part only: bound to this person by a second parameter */
		db_stmt *stmt;
		json_t *roles = json_array();
		if (!(s = store_prepare(st, "SELECT role, relationship, child_status, consent, consent_on"
					" FROM case_parties WHERE case_id = ? AND person_id = ?", &stmt,
					err))) {
			db_bind_int64(stmt, 1, cid);
			db_bind_int64(stmt, 2, person_id);
			while (db_step(stmt) == DB_ROW) {
				json_t *r = json_object();
				for (int k = 0; rkeys[k]; k++)
					json_object_set_new(r, rkeys[k],
							    db_column_type(stmt, k) == DB_NULL
								    ? json_null()
								    : json_string((const char *)
									db_column_text(stmt, k)));
				json_array_append_new(roles, r);
			}
			db_finalize(stmt);
		}
		json_object_set_new(c, "your_roles", roles);
		json_t *others = NULL;
		if (!s && !(s = store_prepare(st, "SELECT count(*) FROM case_parties WHERE case_id = ?"
					      " AND person_id <> ?", &stmt, err))) {
			db_bind_int64(stmt, 1, cid);
			db_bind_int64(stmt, 2, person_id);
			if (db_step(stmt) == DB_ROW)
				others = json_integer(db_column_int64(stmt, 0));
			db_finalize(stmt);
		}
		json_object_set_new(c, "other_people_withheld", others ? others : json_integer(0));
		s = put_rows(st, c, "points", "SELECT seq, summary, desired_outcome, withdrawn FROM"
			     " complaint_points WHERE case_id = ?1 ORDER BY seq", cid, ptkeys, s, err);
		s = put_rows(st, c, "findings", "SELECT p.seq, f.stage, f.outcome, f.reasoning,"
			     " f.outcome_response, f.recorded_at FROM findings f JOIN complaint_points p"
			     " ON p.id = f.point_id WHERE p.case_id = ?1 ORDER BY f.stage, p.seq", cid,
			     fkeys, s, err);
		s = put_rows(st, c, "remedies", "SELECT type, category, amount_pence, description,"
			     " approved_on, delivered_on FROM remedies WHERE case_id = ?1 ORDER BY id",
			     cid, mkeys, s, err);
		s = put_rows(st, c, "documents", "SELECT d.id, d.filename, d.content_type, d.size,"
			     " d.visibility, d.uploaded_at, r.original_id FROM documents d"
			     " LEFT JOIN document_redactions r ON r.document_id = d.id"
			     " WHERE d.case_id = ?1 AND d.visibility <> 'confidential' ORDER BY d.id",
			     cid, dkeys, s, err);
		s = put_rows(st, c, "confidential_documents_withheld", "SELECT count(*) FROM documents"
			     " WHERE case_id = ?1 AND visibility = 'confidential'", cid, wkeys, s, err);
		/* what happened and when; the reasons given may speak of others */
		s = put_rows(st, c, "history", "SELECT at, effective_on, action, coalesce("
			     "'removed under the retention rule on ' || erased_on, '') FROM events"
			     " WHERE case_id = ?1 ORDER BY seq", cid, vkeys, s, err);
		if (!s) {
			json_t *w = json_object_get(c, "confidential_documents_withheld");
			json_object_set(c, "confidential_documents_withheld",
					json_object_get(json_array_get(w, 0), "count"));
		}
		if (!s && !(s = store_prepare(st, "SELECT purpose, dated_on FROM data_consents"
					      " WHERE case_id = ? AND person_id = ?", &stmt, err))) {
			json_t *consents = json_array();
			db_bind_int64(stmt, 1, cid);
			db_bind_int64(stmt, 2, person_id);
			while (db_step(stmt) == DB_ROW)
				json_array_append_new(consents,
					json_pack("{ss ss}", nkeys[0],
						  (const char *)db_column_text(stmt, 0), nkeys[1],
						  (const char *)db_column_text(stmt, 1)));
			db_finalize(stmt);
			json_object_set_new(c, "consents", consents);
		}
	}
	json_t *behaviour = NULL, *extra = json_object();
	static const char *const akeys[] = {"reference", "service", "offered_on", "referred_on",
					    "taken_up_on", "declined_on", NULL};
	static const char *const nkeys2[] = {"reference", "need", "detail", "arranged_on", NULL};
	s = put_rows(st, extra, "advocacy", "SELECT c.reference, a.service, a.offered_on,"
		     " a.referred_on, a.taken_up_on, a.declined_on FROM case_advocacy a JOIN cases c"
		     " ON c.id = a.case_id WHERE a.person_id = ?1 ORDER BY a.id", person_id, akeys, s,
		     err);
	s = put_rows(st, extra, "access_needs", "SELECT c.reference, n.need, n.detail, n.arranged_on"
		     " FROM case_access_needs n JOIN cases c ON c.id = n.case_id WHERE n.person_id = ?1"
		     " ORDER BY n.id", person_id, nkeys2, s, err);
	/* The email they sent us, wherever it went: on a case, or still in the
	 * quarantine (their words are theirs whichever); matched by their
	 * recorded address, as mail receive matches a party. */
	static const char *const mailkeys[] = {"received_at", "subject", "text", "state", "reference",
					    NULL};
	s = put_rows(st, extra, "emails", "SELECT m.received_at, m.subject, m.body, m.state,"
		     " c.reference FROM received_messages m LEFT JOIN cases c ON c.id = m.case_id"
		     " JOIN people p ON p.id = ?1 AND p.org_id = m.org_id"
		     " WHERE p.email IS NOT NULL AND p.email <> ''"
		     " AND lower(m.from_address) = lower(p.email) ORDER BY m.id", person_id, mailkeys, s,
		     err);
	/* The email we sent them (issue 17 item 9): to their recorded address,
	 * what it carried (a letter's subject; an acknowledgement's words are
	 * not kept once sent) and what became of it. */
	static const char *const sentkeys[] = {"queued_at", "kind", "letter_subject", "to", "state",
					    "state_at", "reference", NULL};
	s = put_rows(st, extra, "emails_sent", "SELECT m.sent_at, m.kind, coalesce(l.subject, ''),"
		     " m.recipient, m.state, m.state_at, c.reference FROM outbound_messages m"
		     " JOIN cases c ON c.id = m.case_id LEFT JOIN letters l ON l.id = m.letter_id"
		     " JOIN people p ON p.id = ?1 AND p.org_id = m.org_id"
		     " WHERE p.email IS NOT NULL AND p.email <> ''"
		     " AND lower(m.recipient) = lower(p.email) ORDER BY m.id", person_id, sentkeys, s,
		     err);
	if (!s)
		s = store_behaviour_person(st, org_code, person_id, &behaviour, err);
	if (s) {
		json_decref(person);
		json_decref(cases);
		json_decref(behaviour);
		json_decref(extra);
		return s;
	}
	json_object_del(behaviour, "person");
	char on[DATE_ISO_LEN];
	date_format(today, on);
	*out = json_pack("{ss ss so so so s[sss]}", "generated_on", on, "organisation", org_code,
			 "subject", person, "cases", cases, "behaviour", behaviour, "withheld",
			 "other people on these cases: their names, details and roles",
			 "confidential documents, the investigating officer's confidential addendum "
			 "and what was said in mediation (001 §14.2, §15.3)",
			 "the reasons written in the cases' histories, which may speak of others");
	json_object_update(*out, extra);
	json_decref(extra);
	return FH_OK;
}
