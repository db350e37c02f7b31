/*
 * store_event.c: the audit chain: appending an event (hashed over the one
 * before it), reading its head, and verifying the whole chain.
 */
#include "store_event.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hashchain.h"
#include "store_cache.h"
#include "store_internal.h"

fh_status store_event_append(fh_store *st, int64_t org_id, int64_t case_id,
			     const char *actor, const char *action, const char *reason,
			     const char *effective_on, const char *data, fh_error *err)
{
	assert(st->depth > 0);
	if (!actor || !*actor)
		return error_set(err, FH_EINVAL, "actor", NULL, "every change names who made it");
	db_stmt *stmt;
	fh_status s = store_stmt(st,
		"SELECT h.last_id, h.last_hash,"
		" (SELECT code FROM organisations WHERE id = ?1),"
		" (SELECT reference FROM cases WHERE id = ?2),"
		" (SELECT coalesce(max(seq), 0) + 1 FROM events WHERE case_id = ?2)"
		" FROM audit_head h WHERE h.id = 1", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, org_id);
	db_bind_int64(stmt, 2, case_id);
	if (db_step(stmt) != DB_ROW) {
		s = store_fail(st, "reading the audit head", err);
		store_stmt_done(st, stmt);
		return s;
	}
	uint8_t prev[HASHCHAIN_BYTES], hash[HASHCHAIN_BYTES];
	bool has_prev = db_column_bytes(stmt, 1) == HASHCHAIN_BYTES;
	if (has_prev)
		memcpy(prev, db_column_blob(stmt, 1), HASHCHAIN_BYTES);
	char org_code[40] = "", reference[FH_REFERENCE_MAX] = "";
	if (db_column_type(stmt, 2) == DB_TEXT)
		snprintf(org_code, sizeof org_code, "%s", db_column_text(stmt, 2));
	if (db_column_type(stmt, 3) == DB_TEXT)
		snprintf(reference, sizeof reference, "%s", db_column_text(stmt, 3));
	hashchain_event ev = {
		.id = db_column_int64(stmt, 0) + 1,
		.org_code = org_code,
		.reference = reference,
		.seq = case_id ? db_column_int64(stmt, 4) : 0,
		.actor = actor,
		.action = action,
		.reason = reason ? reason : "",
		.effective_on = effective_on ? effective_on : "",
		.data = data ? data : "{}",
	};
	store_stmt_done(st, stmt);
	if ((org_id && !*org_code) || (case_id && !*reference))
		return error_set(err, FH_ENOTFOUND, NULL, NULL, "an event for a missing %s",
				 case_id && !*reference ? "case" : "organisation");
	char at[21];
	store_now(at);
	ev.at = at;
	/* version 2: the chain takes a salted digest of the content, so that
	 * retention can erase the content later (hashchain.h); a schema from
	 * before migration 018 has nowhere to keep the salt */
	if (!st->event_version)
		st->event_version = store_query_int(st, store_is_postgresql(st)
			? "SELECT count(*) FROM information_schema.tables"
			  " WHERE table_schema = current_schema() AND table_name = 'event_salts'"
			: "SELECT count(*) FROM sqlite_schema WHERE name = 'event_salts'") ? 2 : 1;
	uint8_t salt[HASHCHAIN_SALT_BYTES], digest[HASHCHAIN_BYTES];
	randombytes_buf(salt, sizeof salt);
	hashchain_content_digest(salt, ev.reason, ev.data, digest);
	ev.version = st->event_version;
	ev.content_digest = digest;
	hashchain_hash(has_prev ? prev : NULL, &ev, hash);

	s = store_stmt(st, ev.version == 2
		? "INSERT INTO events (id, org_id, case_id, seq, at, effective_on, actor, action,"
		  " reason, data, hash, hash_version, content_digest)"
		  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 2, ?)"
		: "INSERT INTO events (id, org_id, case_id, seq, at, effective_on, actor, action,"
		  " reason, data, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, ev.id);
	if (org_id)
		db_bind_int64(stmt, 2, org_id);
	if (case_id) {
		db_bind_int64(stmt, 3, case_id);
		db_bind_int64(stmt, 4, ev.seq);
	}
	db_bind_text(stmt, 5, ev.at, -1);
	db_bind_text(stmt, 6, ev.effective_on, -1);
	db_bind_text(stmt, 7, ev.actor, -1);
	db_bind_text(stmt, 8, ev.action, -1);
	db_bind_text(stmt, 9, ev.reason, -1);
	db_bind_text(stmt, 10, ev.data, -1);
	db_bind_blob(stmt, 11, hash, sizeof hash);
	if (ev.version == 2)
		db_bind_blob(stmt, 12, digest, sizeof digest);
	if (db_step(stmt) != DB_DONE)
		s = store_fail(st, "appending an event", err);
	store_stmt_done(st, stmt);
	if (!s && ev.version == 2 &&
	    !(s = store_stmt(st, "INSERT INTO event_salts (event_id, salt) VALUES (?, ?)", &stmt,
			     err))) {
		db_bind_int64(stmt, 1, ev.id);
		db_bind_blob(stmt, 2, salt, sizeof salt);
		s = store_stmt_run(st, stmt, "keeping an event's salt", err);
	}
	if (s)
		return s;

	s = store_stmt(st, "UPDATE audit_head SET event_count = event_count + 1, last_id = ?,"
			      " last_hash = ? WHERE id = 1", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, ev.id);
	db_bind_blob(stmt, 2, hash, sizeof hash);
	if (db_step(stmt) != DB_DONE)
		s = store_fail(st, "moving the audit head", err);
	store_stmt_done(st, stmt);
	return s;
}

static fh_status audit_bad(store_audit_report *report, int64_t id, fh_error *err,
			   const char *what)
{
	report->first_bad_event = id;
	return error_set(err, FH_EINTEGRITY, NULL, NULL, "%s", what);
}

/*
 * A version 2 event's content (columns 13-16 of store_audit_verify's query):
 * kept, its text must give its stored digest under its salt; erased, it must
 * hold no text and no salt, and the stored digest stands for it.  Points
 * ev->content_digest at digest or the stored one; NULL when all is well,
 * else what is wrong.
 */
static const char *audit_content(db_stmt *stmt, hashchain_event *ev,
				 uint8_t digest[HASHCHAIN_BYTES])
{
	ev->version = db_column_int(stmt, 13);
	if (ev->version < 2)
		return NULL;
	if (db_column_bytes(stmt, 14) != HASHCHAIN_BYTES)
		return "has no content digest";
	const uint8_t *stored = db_column_blob(stmt, 14);
	bool has_salt = db_column_bytes(stmt, 16) == HASHCHAIN_SALT_BYTES;
	if (db_column_int(stmt, 15)) {
		if (*ev->reason || strcmp(ev->data, "{}") != 0 || has_salt)
			return "is marked erased but still holds content";
		memcpy(digest, stored, HASHCHAIN_BYTES);
	} else {
		if (!has_salt)
			return "lost its salt: its content cannot be checked";
		hashchain_content_digest(db_column_blob(stmt, 16), ev->reason, ev->data,
					 digest);
		if (memcmp(digest, stored, HASHCHAIN_BYTES) != 0)
			return "does not match its content digest: its reason or data was altered";
	}
	ev->content_digest = digest;
	return NULL;
}

fh_status store_audit_verify(fh_store *st, store_audit_report *report, fh_error *err)
{
	memset(report, 0, sizeof *report);
	db_stmt *stmt;
	fh_status s = store_prepare(st,
		"SELECT e.id, coalesce(o.code, ''), coalesce(c.reference, ''), coalesce(e.seq, 0),"
		" e.at, e.effective_on, e.actor, e.action, e.reason, e.data, e.hash,"
		" e.org_id IS NOT NULL AND o.id IS NULL, e.case_id IS NOT NULL AND c.id IS NULL,"
		" e.hash_version, e.content_digest, e.erased_on IS NOT NULL, x.salt"
		" FROM events e LEFT JOIN organisations o ON o.id = e.org_id"
		" LEFT JOIN cases c ON c.id = e.case_id"
		" LEFT JOIN event_salts x ON x.event_id = e.id ORDER BY e.id", &stmt, err);
	if (s)
		return s;
	uint8_t prev[HASHCHAIN_BYTES], hash[HASHCHAIN_BYTES];
	bool has_prev = false;
	int64_t expected_id = 1;
	int rc;
	char msg[160];
	while ((rc = db_step(stmt)) == DB_ROW) {
		hashchain_event ev = {
			.id = db_column_int64(stmt, 0),
			.org_code = (const char *)db_column_text(stmt, 1),
			.reference = (const char *)db_column_text(stmt, 2),
			.seq = db_column_int64(stmt, 3),
			.at = (const char *)db_column_text(stmt, 4),
			.effective_on = (const char *)db_column_text(stmt, 5),
			.actor = (const char *)db_column_text(stmt, 6),
			.action = (const char *)db_column_text(stmt, 7),
			.reason = (const char *)db_column_text(stmt, 8),
			.data = (const char *)db_column_text(stmt, 9),
		};
		if (ev.id != expected_id) {
			snprintf(msg, sizeof msg, "event %lld is missing (the log jumps to %lld)",
				 (long long)expected_id, (long long)ev.id);
			s = audit_bad(report, expected_id, err, msg);
			break;
		}
		if (db_column_int(stmt, 11) || db_column_int(stmt, 12)) {
			snprintf(msg, sizeof msg, "event %lld names an organisation or case that "
				 "was removed", (long long)ev.id);
			s = audit_bad(report, ev.id, err, msg);
			break;
		}
		uint8_t digest[HASHCHAIN_BYTES];
		const char *content = audit_content(stmt, &ev, digest);
		if (content) {
			snprintf(msg, sizeof msg, "event %lld %s", (long long)ev.id, content);
			s = audit_bad(report, ev.id, err, msg);
			break;
		}
		hashchain_hash(has_prev ? prev : NULL, &ev, hash);
		if (db_column_bytes(stmt, 10) != HASHCHAIN_BYTES ||
		    memcmp(hash, db_column_blob(stmt, 10), HASHCHAIN_BYTES) != 0) {
			snprintf(msg, sizeof msg, "event %lld does not match its hash: it, or one "
				 "before it, was altered", (long long)ev.id);
			s = audit_bad(report, ev.id, err, msg);
			break;
		}
		memcpy(prev, hash, sizeof prev);
		has_prev = true;
		expected_id++;
		report->events_checked++;
	}
	if (!s && rc != DB_DONE)
		s = store_fail(st, "reading the events", err);
	db_finalize(stmt);
	if (s)
		return s;

	s = store_prepare(st, "SELECT event_count, last_id, last_hash FROM audit_head WHERE id = 1",
			  &stmt, err);
	if (s)
		return s;
	if (db_step(stmt) != DB_ROW) {
		db_finalize(stmt);
		return audit_bad(report, expected_id, err, "the audit head is missing");
	}
	bool head_ok = db_column_int64(stmt, 0) == report->events_checked &&
		       db_column_int64(stmt, 1) == expected_id - 1 &&
		       (has_prev ? db_column_bytes(stmt, 2) == HASHCHAIN_BYTES &&
					   memcmp(prev, db_column_blob(stmt, 2), HASHCHAIN_BYTES) == 0
				 : db_column_type(stmt, 2) == DB_NULL);
	int64_t head_count = db_column_int64(stmt, 0);
	db_finalize(stmt);
	if (!head_ok) {
		snprintf(msg, sizeof msg, "the log ends at event %lld but %lld events were "
			 "recorded: the newest were removed or the head was altered",
			 (long long)(expected_id - 1), (long long)head_count);
		return audit_bad(report, expected_id, err, msg);
	}

	/* Every case begins with its 'recorded' event and numbers its events
	 * 1, 2, 3...: a case row slipped in without history shows here. */
	int64_t orphan = store_query_int(st,
		"SELECT coalesce(min(c.id), 0) FROM cases c WHERE NOT EXISTS"
		" (SELECT 1 FROM events e WHERE e.case_id = c.id AND e.seq = 1"
		"  AND e.action = 'recorded')");
	int64_t gappy = store_query_int(st,
		"SELECT coalesce(min(case_id), 0) FROM (SELECT case_id FROM events"
		" WHERE case_id IS NOT NULL GROUP BY case_id HAVING count(*) != max(seq)) AS g");
	if (orphan || gappy) {
		snprintf(msg, sizeof msg, "case id %lld has no complete history of events",
			 (long long)(orphan ? orphan : gappy));
		report->first_bad_event = 0;
		return error_set(err, FH_EINTEGRITY, NULL, NULL, "%s", msg);
	}
	return FH_OK;
}

fh_status store_event_append_json(fh_store *st, int64_t org_id, int64_t case_id,
				  const char *actor, const char *action, const char *reason,
				  const char *effective_on, json_t *data, fh_error *err)
{
	char *text = data ? json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(data);
	if (!text)
		return error_set(err, FH_ENOMEM, NULL, NULL, "out of memory");
	fh_status s = store_event_append(st, org_id, case_id, actor, action, reason, effective_on,
					 text, err);
	free(text);
	return s;
}

fh_status store_audit_head(fh_store *st, int64_t *last_event, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_cache_get(st, CACHE_AUDIT_HEAD,
				      "SELECT last_id FROM audit_head WHERE id = 1", &stmt, err);
	if (s)
		return s;
	if (db_step(stmt) == DB_ROW)
		*last_event = db_column_int64(stmt, 0);
	else
		s = store_fail(st, "reading the audit head", err);
	store_cache_done(st, CACHE_AUDIT_HEAD, stmt);
	return s;
}
