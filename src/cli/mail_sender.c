/*
 * mail_sender.c: the outbox sent, one claimed message at a time (mail_sender.h).
 */
#include "mail_sender.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "arena.h"
#include "letter_pdf.h"
#include "mail_message.h"
#include "mail_smtp.h"
#include "orgfile.h"
#include "store_letter.h"
#include "store_orgfile.h"
#include "store_outbox.h"

/* The letter's PDF as the case keeps it (rendered from the stored model). */
static fh_status letter_pdf_of(fh_store *st, const store_outbox_message *m, fh_arena *arena,
			       pdf_bytes *pdf, fh_error *err)
{
	store_letter l;
	fh_status s = store_letter_get(st, m->reference, m->letter_id, arena, &l, err);
	if (s)
		return s;
	json_t *doc = json_loads(l.document, 0, NULL);
	if (!doc)
		return error_set(err, FH_ESTORE, "letter", NULL, "the stored letter is not readable");
	const char *org = json_string_value(json_object_get(json_object_get(doc, "letterhead"), "name"));
	const char *subject = arena_strdup(arena, l.subject);
	org = arena_strdup(arena, org ? org : "");
	json_t *pages = json_pack("[o]", doc);
	fh_status s2 = letter_pdf(pages, subject, org, pdf, err);
	json_decref(pages);
	return s2;
}

/* The organisation's relay, from its file; false (with why) when it has none. */
static bool relay_of(fh_store *st, const char *org_code, json_t **settings,
		     mail_smtp_server *server, const char **why)
{
	fh_error err = {0};
	orgfile_email e;
	*settings = NULL;
	if (store_org_settings(st, org_code, settings, &err) ||
	    !orgfile_email_policy(*settings, &e) || !e.smtp_url) {
		*why = "the organisation's file names no mail relay (policy.email.smtp)";
		return false;
	}
	*server = (mail_smtp_server){.url = e.smtp_url, .user = e.smtp_user,
				     .password = e.smtp_user ? getenv("FAIRHEARING_SMTP_PASSWORD")
							     : NULL,
				     .ca_file = e.smtp_ca_file};
	if (server->user && !server->password) {
		*why = "the relay wants a login and FAIRHEARING_SMTP_PASSWORD is not set";
		return false;
	}
	return true;
}

/* One claimed message written and sent; *permanent when retrying cannot help. */
static bool send_one(fh_store *st, const store_outbox_message *m, fh_arena *arena, char *answer,
		     size_t size, bool *permanent)
{
	*permanent = false;
	answer[0] = '\0';
	json_t *settings;
	mail_smtp_server server;
	const char *why;
	if (!relay_of(st, m->org_code, &settings, &server, &why)) {
		snprintf(answer, size, "%s", why);
		json_decref(settings);
		return false;
	}
	pdf_bytes pdf = {0};
	fh_error err = {0};
	bool ok = true;
	if (m->attach_pdf && m->letter_id && letter_pdf_of(st, m, arena, &pdf, &err)) {
		snprintf(answer, size, "the letter's PDF could not be made: %s", err.message);
		ok = false;
	}
	mail_message msg = {
		.from = m->sender, .to = m->recipient, .subject = m->subject, .body = m->body,
		.date = time(NULL), .message_id = m->message_id,
		.auto_submitted = !strcmp(m->kind, "acknowledgement"),
		.auto_replied = !strcmp(m->kind, "acknowledgement"),
		.in_reply_to = *m->in_reply_to ? m->in_reply_to : NULL,
	};
	if (pdf.data) {
		msg.attachment = pdf.data;
		msg.attachment_size = pdf.len;
		msg.attachment_type = "application/pdf";
		msg.attachment_name = arena_printf(arena, "%s-letter-%lld.pdf", m->reference,
						   (long long)m->letter_id);
	}
	char *text = NULL;
	if (ok && mail_message_compose(&msg, &text, &err)) {
		snprintf(answer, size, "%s: %s", err.field, err.message);
		*permanent = true;
		ok = false;
	}
	if (ok) {
		char detail[512], reply[256];
		mail_smtp_status st_ = mail_smtp_send_answered(&server, m->sender, m->recipient, text,
							       detail, sizeof detail, reply,
							       sizeof reply);
		if (st_ == MAIL_SMTP_SENT) {
			snprintf(answer, size, "%s", *reply ? reply : "accepted");
		} else {
			ok = false;
			*permanent = reply[0] == '5';
			snprintf(answer, size, "%s%s%s", detail, *reply ? ": " : "", reply);
		}
	}
	free(text);
	free(pdf.data);
	json_decref(settings);
	return ok;
}

fh_status mail_sender_run(fh_store *st, const char *claimer, int limit, FILE *log,
			  mail_sender_counts *counts, fh_error *err)
{
	memset(counts, 0, sizeof *counts);
	fh_status s = FH_OK;
	for (int n = 0; !limit || n < limit; n++) {
		fh_arena arena = ARENA_INIT;
		store_outbox_message m;
		s = store_outbox_claim(st, claimer, &arena, &m, err);
		if (s) {
			arena_free(&arena);
			if (s == FH_ENOTFOUND)
				s = FH_OK;
			break;
		}
		char answer[600];
		bool permanent, failed = false;
		bool sent = send_one(st, &m, &arena, answer, sizeof answer, &permanent);
		s = sent ? store_outbox_sent(st, &m, answer, err)
			 : store_outbox_not_sent(st, &m, permanent, answer, &failed, err);
		if (!s && log) {
			if (sent)
				fprintf(log, "sent %s %s to %s (%s)\n", m.reference, m.kind,
					m.recipient, answer);
			else
				fprintf(log, "%s %s %s to %s (attempt %d): %s\n",
					failed ? "failed" : "not sent, will retry", m.reference, m.kind,
					m.recipient, m.attempts, answer);
		}
		if (sent)
			counts->sent++;
		else if (failed)
			counts->failed++;
		else
			counts->retrying++;
		arena_free(&arena);
		if (s)
			break;
	}
	return s;
}

bool mail_sender_configured(fh_store *st)
{
	fh_arena arena = ARENA_INIT;
	fh_org *orgs = NULL;
	size_t n = 0;
	fh_error err = {0};
	bool any = false;
	if (!store_org_list(st, &arena, &orgs, &n, &err)) {
		for (size_t i = 0; i < n && !any; i++) {
			json_t *settings = NULL;
			orgfile_email e;
			if (!store_org_settings(st, orgs[i].code, &settings, &err) &&
			    orgfile_email_policy(settings, &e) && e.smtp_url)
				any = true;
			json_decref(settings);
		}
	}
	arena_free(&arena);
	return any;
}
