/*
 * store_export.c: a case's file, and an officer's deadlines (store_export.h).
 */
#include "store_export.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "casefile.h"
#include "store_mail.h"
#include "store_outbox.h"
#include "ical.h"
#include "store_document.h"
#include "store_internal.h"
#include "store_rows.h"
#include "store_letter.h"
#include "store_lifecycle.h"

fh_status store_case_file(fh_store *st, const char *reference, bool include_confidential,
			  const fh_actor *actor, fh_date today, fh_arena *arena, json_t **pages,
			  const char **org_name, fh_error *err)
{
	*pages = NULL;
	fh_case kase;
	letter_org org;
	json_t *life = NULL;
	fh_status s = store_case_get(st, reference, arena, &kase, err);
	if (!s)
		s = store_letter_org(st, kase.org_code, arena, &org, err);
	if (!s)
		s = store_case_lifecycle(st, reference, actor, today, !include_confidential, &life, err);
	store_letter *ls = NULL;
	size_t n_letters = 0;
	if (!s)
		s = store_letter_list(st, reference, arena, &ls, &n_letters, err);
	json_t *letters = json_array();
	for (size_t i = 0; !s && i < n_letters; i++) {
		store_letter l;
		s = store_letter_get(st, reference, ls[i].id, arena, &l, err);
		json_t *doc = s ? NULL : json_loads(l.document, 0, NULL);
		if (!s && !doc)
			s = error_set(err, FH_ESTORE, NULL, NULL, "letter %lld is not readable",
				      (long long)l.id);
		if (doc)
			json_array_append_new(letters, doc);
	}
	store_document *docs = NULL;
	size_t n_docs = 0;
	if (!s)
		s = store_document_list(st, reference, include_confidential, arena, &docs, &n_docs, err);
	json_t *documents = json_array();
	for (size_t i = 0; !s && i < n_docs; i++)
		json_array_append_new(documents,
				      json_pack("{s:s s:s s:I s:s s:s s:s s:s}", "filename", docs[i].filename,
						"content_type", docs[i].content_type, "size",
						(json_int_t)docs[i].size, "visibility", docs[i].visibility,
						"uploaded_by", docs[i].uploaded_by, "uploaded_at",
						docs[i].uploaded_at, "sha256", docs[i].sha256));
	store_mail_message *mail = NULL;
	size_t n_mail = 0;
	if (!s)
		s = store_mail_on_case(st, kase.id, arena, &mail, &n_mail, err);
	json_t *emails = json_array();
	for (size_t i = 0; !s && i < n_mail; i++)
		json_array_append_new(emails, json_pack("{s:s? s:s? s:s? s:s? s:s?}", "received_at",
							mail[i].received_at, "from_name",
							mail[i].from_name, "from_address",
							mail[i].from_address, "subject", mail[i].subject,
							"body", mail[i].body));
	store_outbound *sent = NULL;
	size_t n_sent = 0;
	if (!s)
		s = store_outbound_list(st, kase.id, arena, &sent, &n_sent, err);
	json_t *emails_sent = json_array();
	for (size_t i = 0; !s && i < n_sent; i++) {
		const char *subject = "";
		for (size_t k = 0; k < n_letters; k++)
			if (ls[k].id == sent[i].letter_id)
				subject = ls[k].subject;
		json_array_append_new(emails_sent,
				      json_pack("{s:s? s:s? s:s s:s? s:s? s:s? s:s?}", "queued_at",
						sent[i].queued_at, "kind", sent[i].kind, "subject", subject,
						"recipient", sent[i].recipient, "state", sent[i].state,
						"state_at", sent[i].state_at, "detail", sent[i].detail));
	}
	if (!s) {
		char iso[DATE_ISO_LEN];
		casefile_input in = {
			.org = &org, .kase = &kase, .state = json_object_get(life, "state"),
			.letters = letters, .documents = documents, .emails = emails,
			.emails_sent = emails_sent,
			.include_confidential = include_confidential, .prepared_by = actor->name,
			.today = date_format(today, iso),
		};
		*pages = casefile_models(&in);
		*org_name = org.name;
	}
	json_decref(letters);
	json_decref(documents);
	json_decref(emails);
	json_decref(emails_sent);
	json_decref(life);
	return s;
}

fh_status store_officer_deadlines(fh_store *st, int64_t user_id, fh_arena *arena,
				  store_deadline_row **rows, size_t *count, fh_error *err)
{
	*rows = NULL;
	*count = 0;
	db_stmt *stmt;
	/* Only the organisations the user holds a role in: an
	 * assignment to another organisation's case, however it came to be,
	 * shows nothing.  Each stage's name is read from the lifecycle state's JSON, whose
	 * functions the two engines spell differently. */
#define DEADLINES_SELECT \
		"SELECT c.reference, o.name, d.stage, coalesce(cs.name, ''), d.clock, d.due_on," \
		" d.stopped, d.source FROM case_deadlines d" \
		" JOIN cases c ON c.id = d.case_id JOIN organisations o ON o.id = c.org_id"
#define DEADLINES_WHERE \
		"  ON cs.case_id = d.case_id AND cs.number = d.stage" \
		" WHERE d.due_on IS NOT NULL AND d.case_id IN (SELECT case_id FROM case_assignments" \
		"  WHERE user_id = ?1 AND ended_at IS NULL)" \
		" AND c.org_id IN (SELECT org_id FROM user_roles WHERE user_id = ?1)" \
		" ORDER BY d.due_on, c.reference, d.stage, d.clock"
	fh_status s = store_stmt(st, store_is_postgresql(st)
		? DEADLINES_SELECT
		  " LEFT JOIN (SELECT l.case_id, CAST(s.value->>'number' AS BIGINT) AS number,"
		  "  s.value->>'name' AS name"
		  "  FROM case_lifecycle l, jsonb_array_elements(CAST(l.state AS jsonb)->'stages') s) cs"
		  DEADLINES_WHERE
		: DEADLINES_SELECT
		  " LEFT JOIN (SELECT l.case_id, json_extract(s.value, '$.number') AS number,"
		  "  json_extract(s.value, '$.name') AS name"
		  "  FROM case_lifecycle l, json_each(l.state, '$.stages') s) cs"
		  DEADLINES_WHERE, &stmt, err);
#undef DEADLINES_SELECT
#undef DEADLINES_WHERE
	if (s)
		return s;
	db_bind_int64(stmt, 1, user_id);
	size_t room = 0;
	int rc;
	while ((rc = db_step(stmt)) == DB_ROW) {
		*rows = store_array_room(arena, *rows, *count, &room, 32, sizeof **rows);
		store_deadline_row *r = &(*rows)[(*count)++];
		r->reference = store_column_text(stmt, 0, arena);
		r->org_name = store_column_text(stmt, 1, arena);
		r->stage = db_column_int(stmt, 2);
		r->stage_name = store_column_text(stmt, 3, arena);
		r->clock = store_column_text(stmt, 4, arena);
		r->due_on = store_column_text(stmt, 5, arena);
		r->stopped = db_column_int(stmt, 6);
		r->source = store_column_text(stmt, 7, arena);
	}
	if (rc != DB_DONE)
		s = store_fail(st, "reading an officer's deadlines", err);
	store_stmt_done(st, stmt);
	return s;
}

fh_status store_user_by_email(fh_store *st, const char *email, int64_t *id, fh_error *err)
{
	return store_user_id(st, email, "user", id, err);
}

void store_deadlines_ics(const char *who, const store_deadline_row *rows, size_t n,
			 time_t made_at, html_buf *b)
{
	char dtstamp[32];
	struct tm tm;
	gmtime_r(&made_at, &tm);
	strftime(dtstamp, sizeof dtstamp, "%Y%m%dT%H%M%SZ", &tm);
	char name[200];
	snprintf(name, sizeof name, "Fairhearing deadlines: %s", who);
	ical_begin(b, name);
	for (size_t i = 0; i < n; i++) {
		fh_date due;
		if (!date_parse(rows[i].due_on, &due))
			continue;
		char uid[200], summary[300], desc[600];
		snprintf(uid, sizeof uid, "%s-%d-%s@fairhearing", rows[i].reference, rows[i].stage,
			 rows[i].clock);
		snprintf(summary, sizeof summary, "%s: %s due%s", rows[i].reference, rows[i].clock,
			 rows[i].stopped ? " (clock stopped)" : "");
		snprintf(desc, sizeof desc, "%s, stage %d%s%s: the %s clock (%s)", rows[i].org_name,
			 rows[i].stage, *rows[i].stage_name ? ", " : "", rows[i].stage_name,
			 rows[i].clock, rows[i].source);
		ical_event(b, uid, dtstamp, due, summary, desc);
	}
	ical_end(b);
}
