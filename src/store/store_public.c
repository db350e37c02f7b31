/*
 * store_public.c: drafts of the online form and tracking links (store_public.h).
 */
#include "store_public.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store_document.h"
#include "store_event.h"
#include "store_internal.h"
#include "store_outbox.h"
#include "store_rows.h"

static void iso_after(time_t now, int seconds, char buf[21])
{
	store_iso_time(now + seconds, buf);
}

fh_status store_draft_create(fh_store *st, int64_t org_id,
			     const uint8_t hash[STORE_TOKEN_HASH_BYTES], const char *client_ip,
			     time_t now, int ttl_seconds, int64_t *id_out, fh_error *err)
{
	char at[21], expires[21];
	store_iso_time(now, at);
	iso_after(now, ttl_seconds, expires);
	bool opened;
	fh_status s = store_tx_begin(st, &opened, err);
	db_stmt *stmt;
	/* Abandoned drafts go as new ones come: nobody needs a cron job. */
	if (!s)
		s = store_stmt(st, "DELETE FROM web_draft_files WHERE draft_id IN"
				   " (SELECT id FROM web_drafts WHERE expires_at < ?)", &stmt, err);
	if (!s) {
		store_bind_text(stmt, 1, at);
		s = store_stmt_run(st, stmt, "removing expired drafts' files", err);
	}
	if (!s)
		s = store_stmt(st, "DELETE FROM web_drafts WHERE expires_at < ?", &stmt, err);
	if (!s) {
		store_bind_text(stmt, 1, at);
		s = store_stmt_run(st, stmt, "removing expired drafts", err);
	}
	if (!s)
		s = store_stmt(st, "INSERT INTO web_drafts (token_hash, org_id, created_at, expires_at,"
				   " client_ip) VALUES (?, ?, ?, ?, ?) RETURNING id", &stmt, err);
	if (!s) {
		db_bind_blob(stmt, 1, hash, STORE_TOKEN_HASH_BYTES);
		db_bind_int64(stmt, 2, org_id);
		store_bind_text(stmt, 3, at);
		store_bind_text(stmt, 4, expires);
		store_bind_text(stmt, 5, client_ip ? client_ip : "");
		s = store_stmt_run_id(st, stmt, "starting a draft", id_out, err);
	}
	return store_tx_end(st, opened, s, err);
}

fh_status store_draft_get(fh_store *st, int64_t org_id, const uint8_t hash[STORE_TOKEN_HASH_BYTES],
			  time_t now, fh_arena *arena, store_draft *out, fh_error *err)
{
	memset(out, 0, sizeof *out);
	char at[21];
	store_iso_time(now, at);
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT id, org_id, answers FROM web_drafts"
				     " WHERE token_hash = ? AND org_id = ? AND expires_at >= ?",
				 &stmt, err);
	if (s)
		return s;
	db_bind_blob(stmt, 1, hash, STORE_TOKEN_HASH_BYTES);
	db_bind_int64(stmt, 2, org_id);
	store_bind_text(stmt, 3, at);
	int rc = db_step(stmt);
	if (rc == DB_ROW) {
		out->id = db_column_int64(stmt, 0);
		out->org_id = db_column_int64(stmt, 1);
		out->answers = store_column_text(stmt, 2, arena);
	}
	store_stmt_done(st, stmt);
	if (rc == DB_DONE)
		return error_set(err, FH_ENOTFOUND, "draft", NULL, "no such form in progress");
	if (rc != DB_ROW)
		return store_fail(st, "reading a draft", err);
	s = store_stmt(st, "SELECT id, filename, content_type, size, count(*) OVER ()"
			   " FROM web_draft_files WHERE draft_id = ? ORDER BY id", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, out->id);
	while ((rc = db_step(stmt)) == DB_ROW) {
		if (!out->files)
			out->files = arena_array(arena, (size_t)db_column_int64(stmt, 4),
						 sizeof *out->files);
		store_draft_file *f = &out->files[out->n_files++];
		f->id = db_column_int64(stmt, 0);
		f->filename = store_column_text(stmt, 1, arena);
		f->content_type = store_column_text(stmt, 2, arena);
		f->size = (size_t)db_column_int64(stmt, 3);
	}
	store_stmt_done(st, stmt);
	return rc == DB_DONE ? FH_OK : store_fail(st, "reading a draft's files", err);
}

fh_status store_draft_save(fh_store *st, int64_t draft_id, const char *answers, time_t now,
			   int ttl_seconds, fh_error *err)
{
	char expires[21];
	iso_after(now, ttl_seconds, expires);
	db_stmt *stmt;
	fh_status s = store_stmt(st, "UPDATE web_drafts SET answers = ?, expires_at = ? WHERE id = ?",
				 &stmt, err);
	if (s)
		return s;
	store_bind_text(stmt, 1, answers);
	store_bind_text(stmt, 2, expires);
	db_bind_int64(stmt, 3, draft_id);
	return store_stmt_run(st, stmt, "saving a draft", err);
}

fh_status store_draft_file_add(fh_store *st, int64_t draft_id, const char *filename,
			       const char *content_type, const void *content, size_t size,
			       fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st, "INSERT INTO web_draft_files (draft_id, filename, content_type,"
				     " size, content) VALUES (?, ?, ?, ?, ?)", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, draft_id);
	store_bind_text(stmt, 2, filename);
	store_bind_text(stmt, 3, content_type);
	db_bind_int64(stmt, 4, (int64_t)size);
	db_bind_blob(stmt, 5, content, size);
	return store_stmt_run(st, stmt, "keeping an uploaded file", err);
}

fh_status store_draft_files_bytes(fh_store *st, const char *client_ip, int64_t *total,
				  fh_error *err)
{
	db_stmt *stmt;
	fh_status s = client_ip
		? store_stmt(st, "SELECT coalesce(sum(f.size), 0) FROM web_draft_files f"
				 " JOIN web_drafts d ON d.id = f.draft_id WHERE d.client_ip = ?",
			     &stmt, err)
		: store_stmt(st, "SELECT coalesce(sum(size), 0) FROM web_draft_files", &stmt, err);
	if (s)
		return s;
	if (client_ip)
		store_bind_text(stmt, 1, client_ip);
	int rc = db_step(stmt);
	*total = rc == DB_ROW ? db_column_int64(stmt, 0) : 0;
	store_stmt_done(st, stmt);
	return rc == DB_ROW ? FH_OK : store_fail(st, "counting drafts' files", err);
}

fh_status store_draft_file_remove(fh_store *st, int64_t draft_id, int64_t file_id, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st, "DELETE FROM web_draft_files WHERE id = ? AND draft_id = ?",
				 &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, file_id);
	db_bind_int64(stmt, 2, draft_id);
	s = store_stmt_run(st, stmt, "removing an uploaded file", err);
	if (!s && db_changes(st->db) == 0)
		s = error_set(err, FH_ENOTFOUND, "file", NULL, "no such file on this form");
	return s;
}

/* Moves the draft's files onto the case, each with its document_added event. */
static fh_status move_files(fh_store *st, int64_t draft_id, const char *reference,
			    const char *actor, int *count, fh_error *err)
{
	db_stmt *stmt;
	*count = 0;
	/* A statement of its own (not the cache): store_document_add runs
	 * statements while this one is stepping. */
	fh_status s = store_prepare(st, "SELECT filename, content_type, content FROM web_draft_files"
					" WHERE draft_id = ? ORDER BY id", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, draft_id);
	int rc = DB_DONE;
	while (!s && (rc = db_step(stmt)) == DB_ROW) {
		fh_arena arena = ARENA_INIT;
		store_document doc;
		s = store_document_add(st, reference, (const char *)db_column_text(stmt, 0),
				       (const char *)db_column_text(stmt, 1), "customer",
				       db_column_blob(stmt, 2),
				       (size_t)db_column_bytes(stmt, 2), actor, &arena, &doc, err);
		arena_free(&arena);
		if (!s)
			(*count)++;
	}
	if (!s && rc != DB_DONE)
		s = store_fail(st, "reading a draft's files", err);
	db_finalize(stmt);
	return s;
}

fh_status store_public_submit(fh_store *st, int64_t draft_id, const fh_case_input *in,
			      const char *actor, bool consent_to_share,
			      const uint8_t tracking_hash[STORE_TOKEN_HASH_BYTES],
			      char reference_out[FH_REFERENCE_MAX], fh_error *err)
{
	bool opened;
	fh_status s = store_tx_begin(st, &opened, err);
	if (s)
		return s;
	char reference[FH_REFERENCE_MAX], now[21];
	store_now(now);
	int64_t case_id = 0, org_id = 0;
	int documents = 0;
	s = store_case_create(st, in, actor, reference, err);
	if (!s)
		s = store_case_locate(st, reference, &case_id, &org_id, err);
	if (!s)
		s = move_files(st, draft_id, reference, actor, &documents, err);
	db_stmt *stmt;
	if (!s)
		s = store_stmt(st, "INSERT INTO case_tracking (case_id, token_hash, created_at)"
				   " VALUES (?, ?, ?)", &stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, case_id);
		db_bind_blob(stmt, 2, tracking_hash, STORE_TOKEN_HASH_BYTES);
		store_bind_text(stmt, 3, now);
		s = store_stmt_run(st, stmt, "keeping the tracking link", err);
	}
	if (!s) {
		/* 001 §7.8: partner agencies only with express consent; the answer
		 * is on the record for whoever triages. */
		char data[160];
		snprintf(data, sizeof data, "{\"consent_to_share\":%s,\"documents\":%d,"
			 "\"tracking_link\":\"issued\"}", consent_to_share ? "true" : "false", documents);
		s = store_event_append(st, org_id, case_id, actor, "online_form", NULL, NULL, data, err);
	}
	/* issue 17 item 5: an acknowledgement by email to the first party who gave an
	 * address, when the organisation's file asks for it for the online form */
	const char *email = NULL;
	for (int pass = 0; pass < 2 && !email; pass++)
		for (size_t i = 0; i < in->n_parties && !email; i++) {
			const fh_party *p = &in->parties[i];
			bool fits = pass == 0 ? p->correspond
					      : p->role && !strcmp(p->role, "complainant");
			if (fits && p->person.email && *p->person.email)
				email = p->person.email;
		}
	if (!s && email) {
		bool queued;
		const char *why;
		s = store_outbox_acknowledge(st, in->org_code, case_id, reference, "online_form", email,
					     NULL, NULL, actor, &queued, &why, err);
	}
	if (!s)
		s = store_stmt(st, "DELETE FROM web_draft_files WHERE draft_id = ?", &stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, draft_id);
		s = store_stmt_run(st, stmt, "clearing the draft's files", err);
	}
	if (!s)
		s = store_stmt(st, "DELETE FROM web_drafts WHERE id = ?", &stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, draft_id);
		s = store_stmt_run(st, stmt, "clearing the draft", err);
	}
	s = store_tx_end(st, opened, s, err);
	if (!s)
		memcpy(reference_out, reference, FH_REFERENCE_MAX);
	return s;
}

fh_status store_tracking_resolve(fh_store *st, const uint8_t hash[STORE_TOKEN_HASH_BYTES],
				 fh_arena *arena, const char **reference, int64_t *case_id,
				 int64_t *org_id, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT c.reference, c.id, c.org_id FROM case_tracking t"
				     " JOIN cases c ON c.id = t.case_id"
				     " WHERE t.token_hash = ? AND t.revoked_at IS NULL", &stmt, err);
	if (s)
		return s;
	db_bind_blob(stmt, 1, hash, STORE_TOKEN_HASH_BYTES);
	int rc = db_step(stmt);
	if (rc == DB_ROW) {
		*reference = store_column_text(stmt, 0, arena);
		*case_id = db_column_int64(stmt, 1);
		*org_id = db_column_int64(stmt, 2);
	}
	store_stmt_done(st, stmt);
	if (rc == DB_DONE)
		return error_set(err, FH_ENOTFOUND, "token", NULL, "no such tracking link");
	return rc == DB_ROW ? FH_OK : store_fail(st, "reading a tracking link", err);
}
