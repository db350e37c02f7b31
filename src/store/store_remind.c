/*
 * store_remind.c: the queries behind reminder digests, and their record.
 * Who may see what is decided here, in SQL, as store_remind.h says.
 */
#include "store_remind.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "store_event.h"
#include "store_internal.h"
#include "store_rows.h"

fh_status store_remind_people(fh_store *st, int64_t org_id, const char *kind, fh_arena *arena,
			      store_remind_person **people, size_t *count, fh_error *err)
{
	*people = NULL;
	*count = 0;
	bool officer = strcmp(kind, "officer") == 0;
	if (!officer && strcmp(kind, "manager") != 0)
		return error_set(err, FH_EINVAL, "kind", NULL, "a digest is for an officer or a manager");
	db_stmt *stmt;
	fh_status s = store_prepare(st, officer
		? "SELECT u.id, u.email, u.display_name FROM users u WHERE u.disabled = 0"
		  " AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.org_id = ?1)"
		  " AND EXISTS (SELECT 1 FROM case_assignments a JOIN cases c ON c.id = a.case_id"
		  "  WHERE a.user_id = u.id AND a.ended_at IS NULL AND c.org_id = ?1)"
		  " ORDER BY u.email"
		: "SELECT u.id, u.email, u.display_name FROM users u WHERE u.disabled = 0"
		  " AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.org_id = ?1"
		  "  AND r.role = 'manager') ORDER BY u.email", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, org_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(stmt)) == DB_ROW) {
		if (*count == cap) {
			cap = cap ? 2 * cap : 16;
			store_remind_person *grown = arena_array(arena, cap, sizeof *grown);
			if (*count)
				memcpy(grown, *people, *count * sizeof *grown);
			*people = grown;
		}
		(*people)[(*count)++] = (store_remind_person){
			.user_id = db_column_int64(stmt, 0),
			.email = store_column_text(stmt, 1, arena),
			.name = store_column_text(stmt, 2, arena),
		};
	}
	if (rc != DB_DONE)
		s = store_fail(st, "reading who gets a reminder", err);
	db_finalize(stmt);
	return s;
}

fh_status store_remind_due(fh_store *st, int64_t org_id, int64_t user_id, const char *until,
			   fh_arena *arena, store_remind_item **items, size_t *count,
			   fh_error *err)
{
	*items = NULL;
	*count = 0;
	db_stmt *stmt;
	fh_status s = store_prepare(st,
		"SELECT c.reference, c.kind, d.stage, d.clock, d.due_on,"
		" coalesce((SELECT group_concat(a.user_email, ', ') FROM case_assignments a"
		"  WHERE a.case_id = c.id AND a.ended_at IS NULL), '')"
		" FROM case_deadlines d JOIN cases c ON c.id = d.case_id"
		" WHERE c.org_id = ?1 AND d.stopped = 0 AND d.due_on IS NOT NULL AND d.due_on <= ?2"
		" AND (?3 = 0 OR EXISTS (SELECT 1 FROM case_assignments a WHERE a.case_id = c.id"
		"  AND a.user_id = ?3 AND a.ended_at IS NULL))"
		" ORDER BY d.due_on, c.reference, d.stage, d.clock", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, org_id);
	db_bind_text(stmt, 2, until, -1);
	db_bind_int64(stmt, 3, user_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(stmt)) == DB_ROW) {
		if (*count == cap) {
			cap = cap ? 2 * cap : 32;
			store_remind_item *grown = arena_array(arena, cap, sizeof *grown);
			if (*count)
				memcpy(grown, *items, *count * sizeof *grown);
			*items = grown;
		}
		(*items)[(*count)++] = (store_remind_item){
			.reference = store_column_text(stmt, 0, arena),
			.kind = store_column_text(stmt, 1, arena),
			.stage = db_column_int(stmt, 2),
			.clock = store_column_text(stmt, 3, arena),
			.due_on = store_column_text(stmt, 4, arena),
			.officers = store_column_text(stmt, 5, arena),
		};
	}
	if (rc != DB_DONE)
		s = store_fail(st, "reading the deadlines", err);
	db_finalize(stmt);
	return s;
}

fh_status store_remind_was_sent(fh_store *st, int64_t org_id, const char *recipient,
				const char *kind, const char *on, bool *sent, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_prepare(st, "SELECT 1 FROM reminders_sent WHERE org_id = ? AND"
				    " recipient = ? AND kind = ? AND sent_on = ?", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, org_id);
	store_bind_text(stmt, 2, recipient);
	store_bind_text(stmt, 3, kind);
	store_bind_text(stmt, 4, on);
	int rc = db_step(stmt);
	*sent = rc == DB_ROW;
	if (rc != DB_ROW && rc != DB_DONE)
		s = store_fail(st, "checking the reminders sent", err);
	db_finalize(stmt);
	return s;
}

fh_status store_remind_record(fh_store *st, int64_t org_id, const char *recipient,
			      const char *kind, const char *on, const char *const *references,
			      size_t count, const char *actor, fh_error *err)
{
	json_t *data = json_pack("{s:s, s:s, s:s, s:[]}", "to", recipient, "kind", kind, "on", on,
				 "cases");
	if (!data)
		return error_set(err, FH_ENOMEM, NULL, NULL, "out of memory");
	json_t *refs = json_object_get(data, "cases");
	for (size_t i = 0; i < count; i++)
		json_array_append_new(refs, json_string(references[i]));
	char *text = json_dumps(data, JSON_COMPACT);
	json_decref(data);
	if (!text)
		return error_set(err, FH_ENOMEM, NULL, NULL, "out of memory");
	char now[21];
	store_now(now);
	bool opened;
	fh_status s = store_tx_begin(st, &opened, err);
	db_stmt *stmt = NULL;
	if (!s)
		s = store_prepare(st, "INSERT INTO reminders_sent (org_id, recipient, kind, sent_on,"
				  " sent_at, cases) VALUES (?, ?, ?, ?, ?, ?)", &stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, org_id);
		store_bind_text(stmt, 2, recipient);
		store_bind_text(stmt, 3, kind);
		store_bind_text(stmt, 4, on);
		store_bind_text(stmt, 5, now);
		db_bind_int64(stmt, 6, (int64_t)count);
		if (db_step(stmt) != DB_DONE)
			s = store_fail(st, "recording the reminder", err);
	}
	db_finalize(stmt);
	if (!s)
		s = store_event_append(st, org_id, 0, actor, "reminder_sent", NULL, on, text, err);
	free(text);
	return store_tx_end(st, opened, s, err);
}
