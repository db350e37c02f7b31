/*
 * store_mail.c: received email and what it becomes (store_mail.h).
 */
#include "store_mail.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "reference.h"
#include "store_document.h"
#include "store_event.h"
#include "store_internal.h"
#include "store_outbox.h"
#include "store_rows.h"

static const char *const STATE_NAMES[] = {
	[STORE_MAIL_FILED] = "filed",
	[STORE_MAIL_NEW_CONTACT] = "new_contact",
	[STORE_MAIL_POSSIBLY_ABOUT] = "possibly_about",
	[STORE_MAIL_QUARANTINED] = "quarantined",
	[STORE_MAIL_DUPLICATE] = "",
};

/* The received row's key: the Message-ID, or the digest of the bytes. */
static const char *message_key(const store_mail_in *in, const char *hex, char *buf, size_t size)
{
	if (in->message_id && *in->message_id && strlen(in->message_id) <= 998)
		return in->message_id;
	snprintf(buf, size, "sha256:%s", hex);
	return buf;
}

/* FH_OK with *id when the organisation kept this key already, FH_ENOTFOUND when not. */
static fh_status find_received(fh_store *st, int64_t org_id, const char *key, int64_t *id,
			       const char **state, int64_t *case_id, fh_arena *arena, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT id, state, coalesce(case_id, 0) FROM received_messages"
				 " WHERE org_id = ? AND message_id = ?", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, org_id);
	store_bind_text(stmt, 2, key);
	int rc = db_step(stmt);
	if (rc == DB_ROW) {
		*id = db_column_int64(stmt, 0);
		*state = store_column_text(stmt, 1, arena);
		*case_id = db_column_int64(stmt, 2);
	} else if (rc == DB_DONE) {
		s = FH_ENOTFOUND;
	} else {
		s = store_fail(st, "looking for the message", err);
	}
	store_stmt_done(st, stmt);
	return s;
}

/* The reference of a case by id, into out ("" when none). */
static fh_status reference_of(fh_store *st, int64_t case_id, char out[FH_REFERENCE_MAX],
			      fh_error *err)
{
	out[0] = '\0';
	if (!case_id)
		return FH_OK;
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT reference FROM cases WHERE id = ?", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, case_id);
	if (db_step(stmt) == DB_ROW)
		snprintf(out, FH_REFERENCE_MAX, "%s", (const char *)db_column_text(stmt, 0));
	store_stmt_done(st, stmt);
	return FH_OK;
}

/*
 * The case of this organisation the message names: a message Fairhearing
 * sent, in In-Reply-To or References, first; else the first of the
 * organisation's references in the subject.  0 when none.
 */
static fh_status named_case(fh_store *st, const fh_org *org, const store_mail_in *in,
			    int64_t *case_id, fh_error *err)
{
	*case_id = 0;
	for (size_t i = 0; i < in->n_references && !*case_id; i++) {
		db_stmt *stmt;
		fh_status s = store_stmt(st, "SELECT case_id FROM outbound_messages"
					 " WHERE org_id = ? AND message_id = ?", &stmt, err);
		if (s)
			return s;
		db_bind_int64(stmt, 1, org->id);
		store_bind_text(stmt, 2, in->references[i]);
		if (db_step(stmt) == DB_ROW)
			*case_id = db_column_int64(stmt, 0);
		store_stmt_done(st, stmt);
	}
	const char *p = in->subject ? in->subject : "";
	while (*p && !*case_id) {
		size_t skip = strspn(p, " \t:;,.()[]<>\"'/!?#");
		p += skip;
		size_t len = strcspn(p, " \t:;,.()[]<>\"'/!?#");
		if (!len)
			break;
		char token[FH_REFERENCE_MAX], prefix[9];
		int year;
		int64_t number;
		if (len < sizeof token) {
			memcpy(token, p, len);
			token[len] = '\0';
			if (reference_parse(token, prefix, &year, &number) &&
			    strcasecmp(prefix, org->ref_prefix) == 0) {
				int64_t id = 0, org_id = 0;
				fh_error e = {0};
				fh_status s = store_case_locate(st, token, &id, &org_id, &e);
				if (s == FH_OK && org_id == org->id)
					*case_id = id;
				else if (s != FH_OK && s != FH_ENOTFOUND)
					return error_set(err, s, NULL, NULL, "%s", e.message);
			}
		}
		p += len;
	}
	return FH_OK;
}

/* Whether address is the email of a party of the case (letters go to it). */
static fh_status sender_is_party(fh_store *st, int64_t case_id, const char *address, bool *yes,
				 fh_error *err)
{
	*yes = false;
	if (!address || !*address)
		return FH_OK;
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT count(*) FROM case_parties cp JOIN people p"
				 " ON p.id = cp.person_id WHERE cp.case_id = ?"
				 " AND lower(p.email) = lower(?)", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, case_id);
	store_bind_text(stmt, 2, address);
	if (db_step(stmt) == DB_ROW)
		*yes = db_column_int64(stmt, 0) > 0;
	else
		s = store_fail(st, "checking the sender", err);
	store_stmt_done(st, stmt);
	return s;
}

/* The row itself, whole message included; *id gets its id. */
static fh_status insert_row(fh_store *st, int64_t org_id, const store_mail_in *in, const char *key,
			    const char *hex, const char *now, const char *state, int64_t case_id,
			    int64_t about_id, int64_t *id, fh_error *err)
{
	db_stmt *stmt;
	/* not a cached statement: its bindings hold the whole message */
	fh_status s = store_prepare(st, "INSERT INTO received_messages (org_id, message_id, raw, size,"
				    " sha256, from_name, from_address, subject, body, received_at,"
				    " state, why, case_id, about_case_id, refused) VALUES"
				    " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
				    &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, org_id);
	store_bind_text(stmt, 2, key);
	db_bind_blob(stmt, 3, in->raw, in->size);
	db_bind_int64(stmt, 4, (int64_t)in->size);
	store_bind_text(stmt, 5, hex);
	store_bind_text(stmt, 6, in->from_name ? in->from_name : "");
	store_bind_text(stmt, 7, in->from_address ? in->from_address : "");
	store_bind_text(stmt, 8, in->subject ? in->subject : "");
	store_bind_text(stmt, 9, in->body ? in->body : "");
	store_bind_text(stmt, 10, now);
	store_bind_text(stmt, 11, state);
	store_bind_text(stmt, 12, in->why ? in->why : "");
	if (case_id)
		db_bind_int64(stmt, 13, case_id);
	else
		db_bind_null(stmt, 13);
	if (about_id)
		db_bind_int64(stmt, 14, about_id);
	else
		db_bind_null(stmt, 14);
	store_bind_text(stmt, 15, in->refused && *in->refused ? in->refused : "[]");
	int rc = db_step(stmt);
	if (rc == DB_ROW)
		*id = db_column_int64(stmt, 0);
	else
		s = store_fail(st, "keeping the message", err);
	db_finalize(stmt);
	return s;
}

/* The documents the caller accepted, on the case. */
static fh_status add_documents(fh_store *st, const char *reference, const store_mail_in *in,
			       const char *actor, fh_error *err)
{
	fh_arena arena = ARENA_INIT;
	fh_status s = FH_OK;
	for (size_t i = 0; i < in->n_documents && !s; i++) {
		const store_mail_document *d = &in->documents[i];
		store_document out;
		s = store_document_add(st, reference, d->filename, d->content_type, "staff", d->data,
				       d->size, actor, &arena, &out, err);
	}
	arena_free(&arena);
	return s;
}

fh_status store_mail_receive(fh_store *st, const store_mail_in *in, const char *actor,
			     store_mail_result *out, fh_error *err)
{
	memset(out, 0, sizeof *out);
	unsigned char digest[crypto_hash_sha256_BYTES];
	char hex[2 * crypto_hash_sha256_BYTES + 1], keybuf[80];
	crypto_hash_sha256(digest, in->raw, in->size);
	sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
	const char *key = message_key(in, hex, keybuf, sizeof keybuf);

	fh_arena arena = ARENA_INIT;
	fh_org org;
	bool opened;
	fh_status s = store_tx_begin_org(st, in->org_code, &opened, &arena, &org, err);
	if (s) {
		arena_free(&arena);
		return s;
	}
	char now[21];
	store_now(now);
	int64_t seen_id = 0, seen_case = 0;
	const char *seen_state = NULL;
	s = find_received(st, org.id, key, &seen_id, &seen_state, &seen_case, &arena, err);
	if (s == FH_OK) {
		/* received before: what it became, and nothing written */
		out->outcome = STORE_MAIL_DUPLICATE;
		out->id = seen_id;
		out->state = seen_state && !strcmp(seen_state, "filed") ? "filed"
			     : seen_state && !strcmp(seen_state, "new_contact") ? "new_contact"
			     : seen_state && !strcmp(seen_state, "possibly_about") ? "possibly_about"
			     : seen_state && !strcmp(seen_state, "discarded") ? "discarded"
			     : "quarantined";
		s = reference_of(st, seen_case, out->reference, err);
		s = store_tx_end(st, opened, s, err);
		arena_free(&arena);
		return s;
	}
	if (s != FH_ENOTFOUND)
		goto done;
	s = FH_OK;

	bool readable = !in->unreadable && in->from_address && *in->from_address;
	int64_t case_id = 0, about_id = 0, report_case = 0;
	bool party = false;
	if (!in->unreadable && in->n_report_ids)
		s = store_outbox_report(st, org.id, in->report_ids, in->n_report_ids,
					in->report_action ? in->report_action : "",
					in->report_status ? in->report_status : "", actor,
					&report_case, err);
	if (!s && report_case) {
		/* a report about a message sent: filed on its case, whoever sent it */
		about_id = report_case;
		party = true;
		out->report = true;
	} else if (!s && readable) {
		s = named_case(st, &org, in, &about_id, err);
	}
	if (!s && about_id && !out->report)
		s = sender_is_party(st, about_id, in->from_address, &party, err);
	if (s)
		goto done;

	store_mail_outcome outcome;
	if (about_id && party) {
		outcome = STORE_MAIL_FILED;
		case_id = about_id;
		about_id = 0;
		s = reference_of(st, case_id, out->reference, err);
	} else if (readable && in->contact) {
		outcome = about_id ? STORE_MAIL_POSSIBLY_ABOUT : STORE_MAIL_NEW_CONTACT;
		s = store_case_create(st, in->contact, actor, out->reference, err);
		int64_t org_id;
		if (!s)
			s = store_case_locate(st, out->reference, &case_id, &org_id, err);
		if (!s && about_id)
			s = reference_of(st, about_id, out->about, err);
		if (!s && in->may_acknowledge) {
			const char *mid = in->message_id && *in->message_id &&
					  strlen(in->message_id) < 250 ? in->message_id : NULL;
			s = store_outbox_acknowledge(st, org.code, case_id, out->reference, "email",
						     in->from_address, mid, NULL, actor, &out->acknowledged,
						     &out->no_acknowledgement, err);
		} else if (!s) {
			out->no_acknowledgement = "no automatic answer may go to it";
		}
	} else {
		outcome = STORE_MAIL_QUARANTINED;
		about_id = 0;
	}
	if (!s)
		s = insert_row(st, org.id, in, key, hex, now, STATE_NAMES[outcome], case_id, about_id,
			       &out->id, err);
	if (!s && case_id)
		s = add_documents(st, out->reference, in, actor, err);
	if (!s) {
		json_t *data = json_pack("{sI ss sI sI sb}", "received_message", (json_int_t)out->id,
					 "state", STATE_NAMES[outcome], "size", (json_int_t)in->size,
					 "documents", (json_int_t)(case_id ? in->n_documents : 0),
					 "reply", outcome == STORE_MAIL_FILED);
		if (data && *out->about)
			json_object_set_new(data, "possibly_about", json_string(out->about));
		if (data && outcome == STORE_MAIL_QUARANTINED)
			json_object_set_new(data, "why", json_string(in->why ? in->why : ""));
		if (data && out->report)
			json_object_set_new(data, "delivery_report", json_true());
		if (data && in->source)
			json_object_set_new(data, "source", json_string(in->source));
		s = store_event_append_json(st, org.id, case_id, actor, "mail_received",
					    out->report ? "delivery report received by email"
					    : outcome == STORE_MAIL_FILED ? "correspondence received by email"
					    : outcome == STORE_MAIL_QUARANTINED ? "email kept in quarantine"
					    : "new contact by email", NULL, data, err);
	}
	out->outcome = outcome;
	out->state = STATE_NAMES[outcome];
done:
	s = store_tx_end(st, opened, s, err);
	arena_free(&arena);
	return s;
}

/* ---- reading -------------------------------------------------------------------- */

#define MAIL_COLUMNS \
	"m.id, m.message_id, m.from_name, m.from_address, m.subject, m.body, m.received_at," \
	" m.state, m.why, m.refused, coalesce(c.reference, ''), coalesce(a.reference, ''), m.size"
#define MAIL_FROM \
	" FROM received_messages m LEFT JOIN cases c ON c.id = m.case_id" \
	" LEFT JOIN cases a ON a.id = m.about_case_id"

static void read_mail(db_stmt *stmt, fh_arena *arena, store_mail_message *m)
{
	memset(m, 0, sizeof *m);
	m->id = db_column_int64(stmt, 0);
	m->message_id = store_column_text(stmt, 1, arena);
	m->from_name = store_column_text(stmt, 2, arena);
	m->from_address = store_column_text(stmt, 3, arena);
	m->subject = store_column_text(stmt, 4, arena);
	m->body = store_column_text(stmt, 5, arena);
	m->received_at = store_column_text(stmt, 6, arena);
	m->state = store_column_text(stmt, 7, arena);
	m->why = store_column_text(stmt, 8, arena);
	m->refused = store_column_text(stmt, 9, arena);
	m->reference = store_column_text(stmt, 10, arena);
	m->about = store_column_text(stmt, 11, arena);
	m->size = db_column_int64(stmt, 12);
}

static fh_status list_rows(fh_store *st, db_stmt *stmt, fh_arena *arena, store_mail_message **out,
			   size_t *count, fh_error *err)
{
	size_t room = 0;
	int rc;
	fh_status s = FH_OK;
	while ((rc = db_step(stmt)) == DB_ROW) {
		*out = store_array_room(arena, *out, *count, &room, 8, sizeof **out);
		read_mail(stmt, arena, &(*out)[(*count)++]);
	}
	if (rc != DB_DONE)
		s = store_fail(st, "listing received mail", err);
	store_stmt_done(st, stmt);
	return s;
}

fh_status store_mail_list(fh_store *st, const char *org_code, const char *state,
			  fh_arena *arena, store_mail_message **out, size_t *count, fh_error *err)
{
	*out = NULL;
	*count = 0;
	int64_t org_id;
	fh_status s = store_org_id(st, org_code, &org_id, err);
	db_stmt *stmt;
	if (!s)
		s = store_stmt(st, "SELECT " MAIL_COLUMNS MAIL_FROM " WHERE m.org_id = ?"
			       " AND m.state = ? ORDER BY m.id DESC LIMIT 500", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, org_id);
	store_bind_text(stmt, 2, state);
	return list_rows(st, stmt, arena, out, count, err);
}

fh_status store_mail_on_case(fh_store *st, int64_t case_id, fh_arena *arena,
			     store_mail_message **out, size_t *count, fh_error *err)
{
	*out = NULL;
	*count = 0;
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT " MAIL_COLUMNS MAIL_FROM " WHERE m.case_id = ?"
				 " ORDER BY m.id", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, case_id);
	return list_rows(st, stmt, arena, out, count, err);
}

fh_status store_mail_get(fh_store *st, const char *org_code, int64_t id, bool raw,
			 fh_arena *arena, store_mail_message *out, fh_error *err)
{
	int64_t org_id;
	fh_status s = store_org_id(st, org_code, &org_id, err);
	db_stmt *stmt;
	if (!s)
		s = store_prepare(st, "SELECT " MAIL_COLUMNS ", m.raw" MAIL_FROM
				  " WHERE m.id = ? AND m.org_id = ?", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, id);
	db_bind_int64(stmt, 2, org_id);
	int rc = db_step(stmt);
	if (rc == DB_ROW) {
		read_mail(stmt, arena, out);
		if (raw) {
			size_t n = (size_t)db_column_bytes(stmt, 13);
			void *copy = arena_alloc(arena, n + 1);
			if (n)
				memcpy(copy, db_column_blob(stmt, 13), n);
			out->raw = copy;
			out->size = (int64_t)n;
		}
	} else if (rc == DB_DONE) {
		s = error_set(err, FH_ENOTFOUND, "id", NULL, "no received message %lld",
			      (long long)id);
	} else {
		s = store_fail(st, "reading a received message", err);
	}
	db_finalize(stmt);
	return s;
}

fh_status store_mail_quarantine_count(fh_store *st, int64_t org_id, int64_t *count,
				      fh_error *err)
{
	db_stmt *stmt;
	*count = 0;
	fh_status s = store_stmt(st, "SELECT count(*) FROM received_messages WHERE org_id = ?"
				 " AND state = 'quarantined'", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, org_id);
	if (db_step(stmt) == DB_ROW)
		*count = db_column_int64(stmt, 0);
	else
		s = store_fail(st, "counting quarantined mail", err);
	store_stmt_done(st, stmt);
	return s;
}

/* ---- the complaints team's hand -------------------------------------------------- */

/* Opens the change of one quarantined message: FH_ECONFLICT when it is not in quarantine. */
static fh_status begin_quarantined(fh_store *st, const char *org_code, int64_t id, bool *opened,
				   fh_arena *arena, fh_org *org, fh_error *err)
{
	fh_status s = store_tx_begin_org(st, org_code, opened, arena, org, err);
	if (s)
		return s;
	db_stmt *stmt;
	s = store_stmt(st, "SELECT state FROM received_messages WHERE id = ? AND org_id = ?", &stmt,
		       err);
	if (!s) {
		db_bind_int64(stmt, 1, id);
		db_bind_int64(stmt, 2, org->id);
		int rc = db_step(stmt);
		if (rc == DB_DONE)
			s = error_set(err, FH_ENOTFOUND, "id", NULL, "no received message %lld",
				      (long long)id);
		else if (rc != DB_ROW)
			s = store_fail(st, "reading a received message", err);
		else if (strcmp((const char *)db_column_text(stmt, 0), "quarantined") != 0)
			s = error_set(err, FH_ECONFLICT, "id", NULL,
				      "message %lld is not in quarantine (it is %s)", (long long)id,
				      (const char *)db_column_text(stmt, 0));
		store_stmt_done(st, stmt);
	}
	return s ? store_tx_end(st, *opened, s, err) : FH_OK;
}

fh_status store_mail_file(fh_store *st, const char *org_code, int64_t id, const char *reference,
			  const fh_case_input *contact, const char *actor,
			  char reference_out[FH_REFERENCE_MAX], fh_error *err)
{
	fh_arena arena = ARENA_INIT;
	fh_org org;
	bool opened;
	reference_out[0] = '\0';
	fh_status s = begin_quarantined(st, org_code, id, &opened, &arena, &org, err);
	if (s) {
		arena_free(&arena);
		return s;
	}
	int64_t case_id = 0, case_org = 0;
	if (reference) {
		s = store_case_locate(st, reference, &case_id, &case_org, err);
		if (!s && case_org != org.id)
			s = error_set(err, FH_ENOTFOUND, "reference", NULL, "no case %s in %s",
				      reference, org.code);
		if (!s)
			s = reference_of(st, case_id, reference_out, err);
	} else if (contact) {
		s = store_case_create(st, contact, actor, reference_out, err);
		if (!s)
			s = store_case_locate(st, reference_out, &case_id, &case_org, err);
	} else {
		s = error_set(err, FH_EINVAL, "reference", NULL, "name a case, or make a new contact");
	}
	db_stmt *stmt;
	if (!s)
		s = store_stmt(st, "UPDATE received_messages SET state = ?, case_id = ? WHERE id = ?",
			       &stmt, err);
	if (!s) {
		store_bind_text(stmt, 1, reference ? "filed" : "new_contact");
		db_bind_int64(stmt, 2, case_id);
		db_bind_int64(stmt, 3, id);
		s = store_stmt_run(st, stmt, "filing the message", err);
	}
	if (!s)
		s = store_event_append_json(st, org.id, case_id, actor, "mail_filed",
					    reference ? "email filed by hand as correspondence"
						      : "email filed by hand as a new contact",
					    NULL, json_pack("{sI ss}", "received_message",
							    (json_int_t)id, "state",
							    reference ? "filed" : "new_contact"),
					    err);
	s = store_tx_end(st, opened, s, err);
	arena_free(&arena);
	return s;
}

fh_status store_mail_discard(fh_store *st, const char *org_code, int64_t id, const char *reason,
			     const char *actor, fh_error *err)
{
	if (!reason || !*reason)
		return error_set(err, FH_EINVAL, "reason", NULL, "say why the message is set aside");
	if (strlen(reason) > MODEL_SHORT_MAX * 5)
		return error_set(err, FH_EINVAL, "reason", NULL, "is at most %d bytes",
				 MODEL_SHORT_MAX * 5);
	fh_arena arena = ARENA_INIT;
	fh_org org;
	bool opened;
	fh_status s = begin_quarantined(st, org_code, id, &opened, &arena, &org, err);
	if (s) {
		arena_free(&arena);
		return s;
	}
	db_stmt *stmt;
	s = store_stmt(st, "UPDATE received_messages SET state = 'discarded', why = ? WHERE id = ?",
		       &stmt, err);
	if (!s) {
		store_bind_text(stmt, 1, reason);
		db_bind_int64(stmt, 2, id);
		s = store_stmt_run(st, stmt, "setting the message aside", err);
	}
	if (!s)
		s = store_event_append_json(st, org.id, 0, actor, "mail_discarded", reason, NULL,
					    json_pack("{sI}", "received_message", (json_int_t)id), err);
	s = store_tx_end(st, opened, s, err);
	arena_free(&arena);
	return s;
}
