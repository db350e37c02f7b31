/*
 * store_outbox.c: the mail Fairhearing sends, queued with its event and
 * claimed by one sender at a time (store_outbox.h).
 */
#include "store_outbox.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "letter.h"
#include "orgfile.h"
#include "store_auth.h"
#include "store_event.h"
#include "store_internal.h"
#include "store_orgfile.h"
#include "store_rows.h"

const int STORE_OUTBOX_BACKOFF[STORE_OUTBOX_RETRIES] = {60, 5 * 60, 30 * 60, 2 * 3600, 12 * 3600};

/* store_now's form of the time seconds from now (negative: ago). */
static void time_from_now(long seconds, char out[21])
{
	time_t t = time(NULL) + seconds;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

fh_status store_outbox_queue(fh_store *st, const store_outbox_new *m, const char *now,
			     char message_id[STORE_MESSAGE_ID_MAX], fh_error *err)
{
	const char *domain = m->sender ? strchr(m->sender, '@') : NULL;
	if (!domain || !domain[1])
		return error_set(err, FH_EINVAL, "from", NULL,
				 "'%s' is not an address mail can be sent from",
				 m->sender ? m->sender : "");
	unsigned char r[16];
	char hex[sizeof r * 2 + 1];
	randombytes_buf(r, sizeof r);
	sodium_bin2hex(hex, sizeof hex, r, sizeof r);
	snprintf(message_id, STORE_MESSAGE_ID_MAX, "fh-%s@%.*s", hex,
		 (int)(STORE_MESSAGE_ID_MAX - 40), domain + 1);

	db_stmt *stmt;
	int64_t outbound_id = 0;
	fh_status s = store_stmt(st, "INSERT INTO outbound_messages (org_id, case_id, message_id,"
				 " sent_at, kind, letter_id, recipient, state, state_at)"
				 " VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?) RETURNING id", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, m->org_id);
	db_bind_int64(stmt, 2, m->case_id);
	store_bind_text(stmt, 3, message_id);
	store_bind_text(stmt, 4, now);
	store_bind_text(stmt, 5, m->kind);
	if (m->letter_id)
		db_bind_int64(stmt, 6, m->letter_id);
	else
		db_bind_null(stmt, 6);
	store_bind_text(stmt, 7, m->recipient);
	store_bind_text(stmt, 8, now);
	s = store_stmt_run_id(st, stmt, "recording the message to send", &outbound_id, err);
	if (s)
		return s;
	s = store_stmt(st, "INSERT INTO outbox (outbound_id, case_id, sender, recipient, subject,"
		       " body, in_reply_to, attach_pdf, next_attempt_at)"
		       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, outbound_id);
	db_bind_int64(stmt, 2, m->case_id);
	store_bind_text(stmt, 3, m->sender);
	store_bind_text(stmt, 4, m->recipient);
	store_bind_text(stmt, 5, m->subject);
	store_bind_text(stmt, 6, m->body);
	store_bind_text(stmt, 7, m->in_reply_to ? m->in_reply_to : "");
	db_bind_int(stmt, 8, m->attach_pdf);
	store_bind_text(stmt, 9, now);
	return store_stmt_run(st, stmt, "writing the message to the outbox", err);
}

/* The acknowledge clock's due date of the case, and its source; "" when none runs. */
static fh_status ack_due(fh_store *st, int64_t case_id, fh_arena *arena, const char **due,
			 const char **source, fh_error *err)
{
	*due = *source = "";
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT due_on, source FROM case_deadlines WHERE case_id = ?"
				 " AND clock = 'acknowledge' AND due_on IS NOT NULL"
				 " ORDER BY stage LIMIT 1", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, case_id);
	int rc = db_step(stmt);
	if (rc == DB_ROW) {
		*due = store_column_text(stmt, 0, arena);
		*source = store_column_text(stmt, 1, arena);
	} else if (rc != DB_DONE) {
		s = store_fail(st, "reading the acknowledgement clock", err);
	}
	store_stmt_done(st, stmt);
	return s;
}

/* Whether the address had an acknowledgement from the organisation in the last day. */
static fh_status acknowledged_lately(fh_store *st, int64_t org_id, const char *recipient,
				     bool *yes, fh_error *err)
{
	char since[21];
	time_from_now(-24L * 3600, since);
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT count(*) FROM outbound_messages WHERE org_id = ?"
				 " AND kind = 'acknowledgement' AND lower(recipient) = lower(?)"
				 " AND sent_at > ?", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, org_id);
	store_bind_text(stmt, 2, recipient);
	store_bind_text(stmt, 3, since);
	if (db_step(stmt) == DB_ROW)
		*yes = db_column_int64(stmt, 0) > 0;
	else
		s = store_fail(st, "looking for an earlier acknowledgement", err);
	store_stmt_done(st, stmt);
	return s;
}

fh_status store_outbox_acknowledge(fh_store *st, const char *org_code, int64_t case_id,
				   const char *reference, const char *channel,
				   const char *recipient, const char *in_reply_to,
				   const char *token, const char *actor, bool *queued,
				   const char **why, fh_error *err)
{
	*queued = false;
	*why = NULL;
	json_t *settings = NULL;
	orgfile_email policy;
	fh_status s = store_org_settings(st, org_code, &settings, err);
	if (s)
		return s;
	fh_arena arena = ARENA_INIT;
	int64_t org_id = 0;
	bool wanted = orgfile_email_policy(settings, &policy) &&
		      (!strcmp(channel, "email") ? policy.acknowledge_email
						 : policy.acknowledge_online_form);
	bool lately = false;
	if (!wanted)
		*why = "the organisation does not acknowledge these contacts by email";
	else if (!recipient || !*recipient)
		*why = "no email address";
	if (!*why)
		s = store_org_id(st, org_code, &org_id, err);
	if (!s && !*why)
		s = acknowledged_lately(st, org_id, recipient, &lately, err);
	if (!s && !*why && lately)
		*why = "the same address had an acknowledgement in the last 24 hours";
	const char *due = "", *source = "";
	if (!s && !*why)
		s = ack_due(st, case_id, &arena, &due, &source, err);
	if (s || *why)
		goto done;

	char made[STORE_TOKEN_TEXT_MAX], now[21];
	store_now(now);
	if (!token) {
		uint8_t hash[STORE_TOKEN_HASH_BYTES];
		store_token_new("fhl_", made, hash);
		db_stmt *stmt;
		s = store_stmt(st, "INSERT INTO case_tracking (case_id, token_hash, created_at)"
			       " VALUES (?, ?, ?)", &stmt, err);
		if (s)
			goto done;
		db_bind_int64(stmt, 1, case_id);
		db_bind_blob(stmt, 2, hash, STORE_TOKEN_HASH_BYTES);
		store_bind_text(stmt, 3, now);
		s = store_stmt_run(st, stmt, "keeping the tracking link", err);
		if (s)
			goto done;
		token = made;
	}
	const char *name = "";
	db_stmt *stmt;
	s = store_stmt(st, "SELECT name FROM organisations WHERE id = ?", &stmt, err);
	if (s)
		goto done;
	db_bind_int64(stmt, 1, org_id);
	if (db_step(stmt) == DB_ROW)
		name = store_column_text(stmt, 0, &arena);
	store_stmt_done(st, stmt);
	size_t base_len = strlen(policy.public_url);
	while (base_len && policy.public_url[base_len - 1] == '/')
		base_len--;
	char when[64];
	const char *by = *due ? arena_printf(&arena, "We will contact you by %s to tell you what "
					     "happens next.\n\n", letter_long_date(due, when,
										   sizeof when))
			      : "";
	const char *body = arena_printf(
		&arena,
		"Thank you for contacting %s.\n\n"
		"We have recorded your message under the reference %s.\n"
		"Please quote it if you write to us again.\n\n"
		"%s"
		"You can follow its progress at this private link. Keep it safe: anyone\n"
		"with the link can see the progress.\n\n%.*s/o/%s/track/%s\n\n"
		"This message was sent automatically. If you reply, your reply is added\n"
		"to your case.\n",
		name, reference, by, (int)base_len, policy.public_url, org_code, token);
	store_outbox_new m = {
		.org_id = org_id, .case_id = case_id, .kind = "acknowledgement",
		.sender = policy.from, .recipient = recipient,
		.subject = arena_printf(&arena, "We have received your message: %s", reference),
		.body = body, .in_reply_to = in_reply_to,
	};
	char message_id[STORE_MESSAGE_ID_MAX];
	s = store_outbox_queue(st, &m, now, message_id, err);
	if (!s) {
		json_t *data = json_pack("{ss ss ss ss}", "message_id", message_id, "channel", channel,
					 "due", due, "source", source);
		s = store_event_append_json(st, org_id, case_id, actor, "acknowledgement_queued",
					    "automatic acknowledgement queued to send by email",
					    NULL, data, err);
	}
	*queued = !s;
done:
	arena_free(&arena);
	json_decref(settings);
	return s;
}

fh_status store_outbox_letter_address(fh_store *st, int64_t case_id, const char *role,
				      fh_arena *arena, const char **to, fh_error *err)
{
	*to = "";
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT p.email FROM case_parties cp JOIN people p"
				 " ON p.id = cp.person_id WHERE cp.case_id = ? AND cp.role = ?"
				 " AND coalesce(p.email, '') <> '' ORDER BY cp.id LIMIT 1", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, case_id);
	store_bind_text(stmt, 2, role);
	int rc = db_step(stmt);
	if (rc == DB_ROW)
		*to = store_column_text(stmt, 0, arena);
	else if (rc != DB_DONE)
		s = store_fail(st, "reading the recipient's address", err);
	store_stmt_done(st, stmt);
	return s;
}

/*
 * store_outbox_letter's work; again: the message it is sent again for (its
 * Message-ID and what became of it), NULL for a letter just issued.
 */
static fh_status queue_letter(fh_store *st, int64_t org_id, int64_t case_id,
			      const char *reference, int64_t letter_id, const char *role,
			      const char *subject, const char *actor, const store_outbound *again,
			      fh_arena *arena, const char **to, char message_id[STORE_MESSAGE_ID_MAX],
			      fh_error *err)
{
	*to = NULL;
	db_stmt *stmt;
	const char *code = NULL, *name = "";
	fh_status s = store_stmt(st, "SELECT code, name FROM organisations WHERE id = ?", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, org_id);
	if (db_step(stmt) == DB_ROW) {
		code = store_column_text(stmt, 0, arena);
		name = store_column_text(stmt, 1, arena);
	}
	store_stmt_done(st, stmt);
	if (!code)
		return store_fail(st, "reading the organisation", err);
	json_t *settings = NULL;
	orgfile_email policy;
	s = store_org_settings(st, code, &settings, err);
	if (s)
		return s;
	const char *address = "";
	if (!orgfile_email_policy(settings, &policy))
		s = error_set(err, FH_EINVAL, "send_email", NULL, "%s sends no email: its file has "
			      "no policy.email (docs/email.md)", code);
	if (!s)
		s = store_outbox_letter_address(st, case_id, role, arena, &address, err);
	if (!s && !*address)
		s = error_set(err, FH_EINVAL, "send_email", NULL, "the %s has no email address "
			      "recorded on %s", role, reference);
	char now[21];
	store_now(now);
	const char *body = NULL;
	if (!s && policy.letters_attach) {
		body = arena_printf(arena, "Please find attached our letter about your case %s:\n"
				    "%s.\n\nIf you write to us, please quote %s.\n\n%s\n",
				    reference, subject, reference, name);
	} else if (!s) {
		char token[STORE_TOKEN_TEXT_MAX];
		uint8_t hash[STORE_TOKEN_HASH_BYTES];
		store_token_new("fhl_", token, hash);
		s = store_stmt(st, "INSERT INTO case_tracking (case_id, token_hash, created_at)"
			       " VALUES (?, ?, ?)", &stmt, err);
		if (!s) {
			db_bind_int64(stmt, 1, case_id);
			db_bind_blob(stmt, 2, hash, STORE_TOKEN_HASH_BYTES);
			store_bind_text(stmt, 3, now);
			s = store_stmt_run(st, stmt, "keeping the tracking link", err);
		}
		size_t base = strlen(policy.public_url);
		while (base && policy.public_url[base - 1] == '/')
			base--;
		body = arena_printf(arena, "We have written to you about your case %s:\n%s.\n\n"
				    "You can read and download the letter at this private link. "
				    "Keep it\nsafe: anyone with the link can see your case.\n\n"
				    "%.*s/o/%s/track/%s/letters/%lld\n\nIf you write to us, please "
				    "quote %s.\n\n%s\n", reference, subject, (int)base,
				    policy.public_url, code, token, (long long)letter_id, reference,
				    name);
	}
	if (!s) {
		store_outbox_new m = {
			.org_id = org_id, .case_id = case_id, .letter_id = letter_id, .kind = "letter",
			.sender = policy.from, .recipient = address,
			.subject = arena_printf(arena, "%s (%s)", subject, reference), .body = body,
			.attach_pdf = policy.letters_attach,
		};
		s = store_outbox_queue(st, &m, now, message_id, err);
	}
	if (!s && !again)
		s = store_event_append_json(st, org_id, case_id, actor, "letter_email_queued",
					    policy.letters_attach
						    ? "letter queued to send by email, its PDF attached"
						    : "letter queued to send by email, as a link",
					    NULL, json_pack("{sI ss ss}", "letter", (json_int_t)letter_id,
							    "message_id", message_id, "how",
							    policy.letters_attach ? "attachment" : "link"),
					    err);
	else if (!s)
		s = store_event_append_json(
			st, org_id, case_id, actor, "letter_email_resent",
			!strcmp(again->state, "bounced")
				? "letter queued to send by email again: its last email bounced"
				: "letter queued to send by email again: its last email failed",
			NULL,
			json_pack("{sI ss ss ss ss ss ss}", "letter", (json_int_t)letter_id,
				  "message_id", message_id, "how",
				  policy.letters_attach ? "attachment" : "link", "to", address,
				  "again_of", again->message_id, "again_of_state", again->state,
				  "again_of_recipient", again->recipient),
			err);
	if (!s)
		*to = address;
	json_decref(settings);
	return s;
}

fh_status store_outbox_letter(fh_store *st, int64_t org_id, int64_t case_id,
			      const char *reference, int64_t letter_id, const char *role,
			      const char *subject, const char *actor, fh_arena *arena,
			      const char **to, fh_error *err)
{
	char message_id[STORE_MESSAGE_ID_MAX];
	return queue_letter(st, org_id, case_id, reference, letter_id, role, subject, actor, NULL,
			    arena, to, message_id, err);
}

fh_status store_outbox_resend(fh_store *st, const char *reference, int64_t letter_id,
			      const char *actor, fh_arena *arena, store_outbox_resent *out,
			      fh_error *err)
{
	*out = (store_outbox_resent){.message_id = "", .to = "", .again_of = "",
				     .again_of_state = ""};
	bool opened;
	int64_t case_id, org_id;
	fh_status s = store_tx_begin_case(st, reference, &opened, &case_id, &org_id, err);
	if (s)
		return s;
	db_stmt *stmt;
	const char *role = NULL, *subject = NULL;
	s = store_stmt(st, "SELECT recipient, subject FROM letters WHERE id = ? AND case_id = ?",
		       &stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, letter_id);
		db_bind_int64(stmt, 2, case_id);
		int rc = db_step(stmt);
		if (rc == DB_ROW) {
			role = store_column_text(stmt, 0, arena);
			subject = store_column_text(stmt, 1, arena);
		} else if (rc != DB_DONE) {
			s = store_fail(st, "reading the letter", err);
		}
		store_stmt_done(st, stmt);
	}
	if (!s && !role)
		s = error_set(err, FH_ENOTFOUND, "letter", NULL, "there is no letter %lld on %s",
			      (long long)letter_id, reference);
	/* the letter's newest message: only that one, and only when it never arrived */
	store_outbound last = {.state = NULL};
	if (!s)
		s = store_stmt(st, "SELECT id, state, message_id, recipient FROM outbound_messages"
			       " WHERE letter_id = ? ORDER BY id DESC LIMIT 1", &stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, letter_id);
		int rc = db_step(stmt);
		if (rc == DB_ROW) {
			last.id = db_column_int64(stmt, 0);
			last.state = store_column_text(stmt, 1, arena);
			last.message_id = store_column_text(stmt, 2, arena);
			last.recipient = store_column_text(stmt, 3, arena);
		} else if (rc != DB_DONE) {
			s = store_fail(st, "reading the letter's email", err);
		}
		store_stmt_done(st, stmt);
	}
	if (!s && !last.state)
		s = error_set(err, FH_ECONFLICT, "letter", NULL, "letter %lld was never sent by "
			      "email: only an email that bounced or failed is sent again",
			      (long long)letter_id);
	else if (!s && strcmp(last.state, "bounced") && strcmp(last.state, "failed"))
		s = error_set(err, FH_ECONFLICT, "letter", NULL, "letter %lld's email is %s: only "
			      "an email that bounced or failed is sent again", (long long)letter_id,
			      last.state);
	char message_id[STORE_MESSAGE_ID_MAX];
	const char *to = "";
	if (!s)
		s = queue_letter(st, org_id, case_id, reference, letter_id, role, subject, actor,
				 &last, arena, &to, message_id, err);
	if (!s) {
		out->message_id = arena_strdup(arena, message_id);
		out->to = to;
		out->again_of = last.message_id;
		out->again_of_state = last.state;
	}
	return store_tx_end(st, opened, s, err);
}

/* Claims left by a sender that stopped become failed: the message may have gone. */
static fh_status fail_stale_claims(fh_store *st, const char *now, fh_error *err)
{
	char before[21];
	time_from_now(-(long)STORE_OUTBOX_CLAIM_SECONDS, before);
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT o.id, m.org_id, o.case_id, m.message_id FROM outbox o"
				 " JOIN outbound_messages m ON m.id = o.outbound_id"
				 " WHERE m.state = 'queued' AND o.claimed_by IS NOT NULL"
				 " AND o.claimed_at < ?", &stmt, err);
	if (s)
		return s;
	store_bind_text(stmt, 1, before);
	int64_t ids[32], orgs[32], cases[32];
	char mids[32][STORE_MESSAGE_ID_MAX];
	size_t n = 0;
	while (n < 32 && db_step(stmt) == DB_ROW) {
		ids[n] = db_column_int64(stmt, 0);
		orgs[n] = db_column_int64(stmt, 1);
		cases[n] = db_column_int64(stmt, 2);
		snprintf(mids[n], sizeof mids[n], "%s", (const char *)db_column_text(stmt, 3));
		n++;
	}
	store_stmt_done(st, stmt);
	for (size_t i = 0; i < n && !s; i++) {
		s = store_stmt(st, "UPDATE outbound_messages SET state = 'failed', state_at = ?,"
			       " detail = 'its sender stopped while sending it: it may have gone;"
			       " not sent again' WHERE id = (SELECT outbound_id FROM outbox"
			       " WHERE id = ?) AND state = 'queued'", &stmt, err);
		if (!s) {
			store_bind_text(stmt, 1, now);
			db_bind_int64(stmt, 2, ids[i]);
			s = store_stmt_run(st, stmt, "giving up a stale claim", err);
		}
		if (!s)
			s = store_event_append_json(st, orgs[i], cases[i], "system:outbox",
						    "mail_failed", "its sender stopped while sending it",
						    NULL, json_pack("{ss}", "message_id", mids[i]), err);
	}
	return s;
}

#define CLAIM_COLUMNS \
	"o.id, o.outbound_id, m.org_id, o.case_id, coalesce(m.letter_id, 0), g.code," \
	" c.reference, m.kind, m.message_id, o.sender, o.recipient, o.subject, o.body," \
	" o.in_reply_to, o.attach_pdf, o.attempts"

/* Whether anything is due or a claim has gone stale, read without a write
 * transaction: a sender polling an empty outbox never queues behind the writer. */
static fh_status outbox_busy(fh_store *st, bool *busy, fh_error *err)
{
	char now[21], before[21];
	store_now(now);
	time_from_now(-(long)STORE_OUTBOX_CLAIM_SECONDS, before);
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT count(*) FROM outbox o JOIN outbound_messages m"
				 " ON m.id = o.outbound_id WHERE m.state = 'queued'"
				 " AND ((o.claimed_by IS NULL AND o.next_attempt_at <= ?)"
				 " OR (o.claimed_by IS NOT NULL AND o.claimed_at < ?))", &stmt, err);
	if (s)
		return s;
	store_bind_text(stmt, 1, now);
	store_bind_text(stmt, 2, before);
	if (db_step(stmt) == DB_ROW)
		*busy = db_column_int64(stmt, 0) > 0;
	else
		s = store_fail(st, "looking at the outbox", err);
	store_stmt_done(st, stmt);
	return s;
}

fh_status store_outbox_claim(fh_store *st, const char *claimer, fh_arena *arena,
			     store_outbox_message *out, fh_error *err)
{
	memset(out, 0, sizeof *out);
	char now[21];
	bool opened, busy = false;
	fh_status s = outbox_busy(st, &busy, err);
	if (s)
		return s;
	if (!busy)
		return FH_ENOTFOUND;
	s = store_tx_begin_at(st, &opened, now, err);
	if (s)
		return s;
	s = fail_stale_claims(st, now, err);
	int64_t id = 0;
	/* Of two senders, the second's UPDATE finds claimed_by set and takes nothing
	 * (PostgreSQL re-reads the row after the first commits; SQLite has one
	 * writer): it looks again, a few times, for the next due message. */
	for (int tries = 0; !s && !id && tries < 8; tries++) {
		db_stmt *stmt;
		int64_t due = 0;
		s = store_stmt(st, "SELECT o.id FROM outbox o JOIN outbound_messages m"
			       " ON m.id = o.outbound_id WHERE m.state = 'queued'"
			       " AND o.claimed_by IS NULL AND o.next_attempt_at <= ?"
			       " ORDER BY o.next_attempt_at, o.id LIMIT 1", &stmt, err);
		if (s)
			break;
		store_bind_text(stmt, 1, now);
		int rc = db_step(stmt);
		if (rc == DB_ROW)
			due = db_column_int64(stmt, 0);
		else if (rc != DB_DONE)
			s = store_fail(st, "looking for mail to send", err);
		store_stmt_done(st, stmt);
		if (s || !due)
			break;
		s = store_stmt(st, "UPDATE outbox SET claimed_by = ?, claimed_at = ?,"
			       " attempts = attempts + 1 WHERE id = ? AND claimed_by IS NULL"
			       " RETURNING id", &stmt, err);
		if (s)
			break;
		store_bind_text(stmt, 1, claimer);
		store_bind_text(stmt, 2, now);
		db_bind_int64(stmt, 3, due);
		s = store_stmt_run_id(st, stmt, "claiming mail to send", &id, err);
	}
	if (!s && !id)
		s = FH_ENOTFOUND;
	db_stmt *stmt;
	if (!s)
		s = store_stmt(st, "SELECT " CLAIM_COLUMNS " FROM outbox o JOIN outbound_messages m"
			       " ON m.id = o.outbound_id JOIN cases c ON c.id = o.case_id"
			       " JOIN organisations g ON g.id = m.org_id WHERE o.id = ?", &stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, id);
		if (db_step(stmt) == DB_ROW) {
			out->id = db_column_int64(stmt, 0);
			out->outbound_id = db_column_int64(stmt, 1);
			out->org_id = db_column_int64(stmt, 2);
			out->case_id = db_column_int64(stmt, 3);
			out->letter_id = db_column_int64(stmt, 4);
			out->org_code = store_column_text(stmt, 5, arena);
			out->reference = store_column_text(stmt, 6, arena);
			out->kind = store_column_text(stmt, 7, arena);
			out->message_id = store_column_text(stmt, 8, arena);
			out->sender = store_column_text(stmt, 9, arena);
			out->recipient = store_column_text(stmt, 10, arena);
			out->subject = store_column_text(stmt, 11, arena);
			out->body = store_column_text(stmt, 12, arena);
			out->in_reply_to = store_column_text(stmt, 13, arena);
			out->attach_pdf = db_column_int64(stmt, 14) != 0;
			out->attempts = (int)db_column_int64(stmt, 15);
		} else {
			s = store_fail(st, "reading the claimed message", err);
		}
		store_stmt_done(st, stmt);
	}
	if (s == FH_ENOTFOUND) {
		/* nothing due: the stale claims given up are still committed */
		s = store_tx_end(st, opened, FH_OK, err);
		return s ? s : FH_ENOTFOUND;
	}
	return store_tx_end(st, opened, s, err);
}

/* The outbound row's new state, the outbox row released (or its words gone when done). */
static fh_status settle(fh_store *st, const store_outbox_message *m, const char *state,
			const char *detail, const char *now, const char *next_at, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st, "UPDATE outbound_messages SET state = ?, state_at = ?,"
				 " detail = ? WHERE id = ?", &stmt, err);
	if (s)
		return s;
	store_bind_text(stmt, 1, state);
	store_bind_text(stmt, 2, now);
	store_bind_text(stmt, 3, detail);
	db_bind_int64(stmt, 4, m->outbound_id);
	s = store_stmt_run(st, stmt, "recording what became of the message", err);
	if (s)
		return s;
	if (next_at) {
		s = store_stmt(st, "UPDATE outbox SET claimed_by = NULL, claimed_at = NULL,"
			       " next_attempt_at = ?, last_error = ? WHERE id = ?", &stmt, err);
		if (s)
			return s;
		store_bind_text(stmt, 1, next_at);
		store_bind_text(stmt, 2, detail);
		db_bind_int64(stmt, 3, m->id);
	} else {
		/* sent or given up: the row goes (what became of the message stays on
		 * outbound_messages, its attempts in its event; a letter stays on its
		 * case), so the outbox holds only what waits */
		s = store_stmt(st, "DELETE FROM outbox WHERE id = ?", &stmt, err);
		if (s)
			return s;
		db_bind_int64(stmt, 1, m->id);
	}
	return store_stmt_run(st, stmt, "updating the outbox", err);
}

fh_status store_outbox_sent(fh_store *st, const store_outbox_message *m, const char *answer,
			    fh_error *err)
{
	char now[21];
	bool opened;
	fh_status s = store_tx_begin_at(st, &opened, now, err);
	if (s)
		return s;
	s = settle(st, m, "sent", answer ? answer : "", now, NULL, err);
	if (!s) {
		json_t *data = json_pack("{ss ss ss si}", "message_id", m->message_id, "kind", m->kind,
					 "answer", answer ? answer : "", "attempts", m->attempts);
		if (data && m->letter_id)
			json_object_set_new(data, "letter", json_integer(m->letter_id));
		s = store_event_append_json(st, m->org_id, m->case_id, "system:outbox", "mail_sent",
					    m->letter_id ? "letter sent by email"
							 : "acknowledgement sent by email",
					    NULL, data, err);
	}
	return store_tx_end(st, opened, s, err);
}

fh_status store_outbox_not_sent(fh_store *st, const store_outbox_message *m, bool permanent,
				const char *why, bool *failed, fh_error *err)
{
	char now[21], next[21];
	bool opened;
	*failed = permanent || m->attempts > STORE_OUTBOX_RETRIES;
	fh_status s = store_tx_begin_at(st, &opened, now, err);
	if (s)
		return s;
	if (*failed) {
		s = settle(st, m, "failed", why, now, NULL, err);
		if (!s)
			s = store_event_append_json(
				st, m->org_id, m->case_id, "system:outbox", "mail_failed",
				permanent ? "the mail server refused the message"
					  : "the mail server did not take the message after the last retry",
				NULL, json_pack("{ss ss ss si}", "message_id", m->message_id, "kind",
						m->kind, "why", why, "attempts", m->attempts),
				err);
	} else {
		time_from_now(STORE_OUTBOX_BACKOFF[m->attempts - 1], next);
		s = settle(st, m, "queued", why, now, next, err);
	}
	return store_tx_end(st, opened, s, err);
}

fh_status store_outbox_report(fh_store *st, int64_t org_id, const char *const *ids, size_t n,
			      const char *action, const char *status, const char *actor,
			      int64_t *case_id, fh_error *err)
{
	*case_id = 0;
	const char *state = !strcmp(action, "failed") ? "bounced"
			    : !strcmp(action, "delivered") || !strcmp(action, "relayed") ? "delivered"
			    : NULL;
	fh_status s = FH_OK;
	int64_t outbound_id = 0, letter_id = 0;
	const char *mid = NULL;
	for (size_t i = 0; i < n && !outbound_id && !s; i++) {
		db_stmt *stmt;
		s = store_stmt(st, "SELECT id, case_id, coalesce(letter_id, 0) FROM outbound_messages"
			       " WHERE org_id = ? AND message_id = ?", &stmt, err);
		if (s)
			break;
		db_bind_int64(stmt, 1, org_id);
		store_bind_text(stmt, 2, ids[i]);
		if (db_step(stmt) == DB_ROW) {
			outbound_id = db_column_int64(stmt, 0);
			*case_id = db_column_int64(stmt, 1);
			letter_id = db_column_int64(stmt, 2);
			mid = ids[i];
		}
		store_stmt_done(st, stmt);
	}
	if (s || !outbound_id || !state)
		return s;
	char now[21];
	store_now(now);
	db_stmt *stmt;
	s = store_stmt(st, "UPDATE outbound_messages SET state = ?, state_at = ?, detail = ?"
		       " WHERE id = ?", &stmt, err);
	if (s)
		return s;
	store_bind_text(stmt, 1, state);
	store_bind_text(stmt, 2, now);
	store_bind_text(stmt, 3, status);
	db_bind_int64(stmt, 4, outbound_id);
	s = store_stmt_run(st, stmt, "recording the delivery report", err);
	if (s)
		return s;
	json_t *data = json_pack("{ss ss ss}", "message_id", mid, "action", action, "status", status);
	if (data && letter_id)
		json_object_set_new(data, "letter", json_integer(letter_id));
	bool bounced = !strcmp(state, "bounced");
	return store_event_append_json(st, org_id, *case_id, actor,
				       bounced ? "mail_bounced" : "mail_delivered",
				       bounced ? (letter_id ? "a letter sent by email was not delivered"
							    : "an email sent was not delivered")
					       : "an email sent was delivered",
				       NULL, data, err);
}

fh_status store_outbound_list(fh_store *st, int64_t case_id, fh_arena *arena,
			      store_outbound **out, size_t *count, fh_error *err)
{
	*out = NULL;
	*count = 0;
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT id, coalesce(letter_id, 0), kind, recipient, state,"
				 " state_at, detail, sent_at, message_id FROM outbound_messages"
				 " WHERE case_id = ? ORDER BY id", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, case_id);
	size_t room = 0;
	int rc;
	while ((rc = db_step(stmt)) == DB_ROW) {
		*out = store_array_room(arena, *out, *count, &room, 8, sizeof **out);
		store_outbound *o = &(*out)[(*count)++];
		o->id = db_column_int64(stmt, 0);
		o->letter_id = db_column_int64(stmt, 1);
		o->kind = store_column_text(stmt, 2, arena);
		o->recipient = store_column_text(stmt, 3, arena);
		o->state = store_column_text(stmt, 4, arena);
		o->state_at = store_column_text(stmt, 5, arena);
		o->detail = store_column_text(stmt, 6, arena);
		o->queued_at = store_column_text(stmt, 7, arena);
		o->message_id = store_column_text(stmt, 8, arena);
	}
	if (rc != DB_DONE)
		s = store_fail(st, "listing the case's email", err);
	store_stmt_done(st, stmt);
	return s;
}

fh_status store_outbound_bounced_for(fh_store *st, const char *user_email, fh_arena *arena,
				     store_bounced_letter **out, size_t *count, fh_error *err)
{
	*out = NULL;
	*count = 0;
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT c.reference, m.recipient, m.state_at, m.detail,"
				 " l.subject, l.id FROM outbound_messages m"
				 /* from the bounces (outbound_messages_bounced), not
				  * from every case: CROSS JOIN keeps SQLite's order */
				 " CROSS JOIN cases c JOIN letters l ON l.id = m.letter_id"
				 " WHERE c.id = m.case_id AND m.state = 'bounced' AND m.state_at > ?"
				 " AND NOT EXISTS (SELECT 1 FROM outbound_messages n"
				 " WHERE n.letter_id = m.letter_id AND n.id > m.id)"
				 " AND EXISTS (SELECT 1 FROM case_assignments a WHERE a.case_id = c.id"
				 " AND a.ended_at IS NULL AND lower(a.user_email) = lower(?))"
				 " ORDER BY m.state_at DESC, m.id DESC LIMIT 50", &stmt, err);
	if (s)
		return s;
	char since[21];
	time_from_now(-30L * 24 * 3600, since);
	store_bind_text(stmt, 1, since);
	store_bind_text(stmt, 2, user_email);
	size_t room = 0;
	int rc;
	while ((rc = db_step(stmt)) == DB_ROW) {
		*out = store_array_room(arena, *out, *count, &room, 8, sizeof **out);
		store_bounced_letter *b = &(*out)[(*count)++];
		b->reference = store_column_text(stmt, 0, arena);
		b->recipient = store_column_text(stmt, 1, arena);
		b->state_at = store_column_text(stmt, 2, arena);
		b->detail = store_column_text(stmt, 3, arena);
		b->subject = store_column_text(stmt, 4, arena);
		b->letter_id = db_column_int64(stmt, 5);
	}
	if (rc != DB_DONE)
		s = store_fail(st, "listing bounced letters", err);
	store_stmt_done(st, stmt);
	return s;
}
