/*
 * fairhearing mail receive: one email on standard input, from a mail
 * server's pipe transport (Postfix, Exim) or fetchmail, kept whole and made
 * a contact, a reply on its case, or kept in quarantine (docs/email.md).
 *
 * The exit status is sysexits.h's, not the command line's usual 0/1/2,
 * because the mail server reads it to decide between delivered, try again
 * later and return to sender:
 *   0  EX_OK        kept (a contact, a reply filed, quarantined, or received before)
 *   64 EX_USAGE     the command line is wrong (a wrong pipe line bounces
 *                   rather than queue every message for days)
 *   69 EX_UNAVAILABLE the message is larger than MAIL_RECEIVE_MAX: returned to
 *                   the sender, who learns it did not arrive
 *   75 EX_TEMPFAIL  the database is busy, unreachable or failed: the mail
 *                   server keeps the message and tries again
 *   78 EX_CONFIG    no such organisation, or a database this binary cannot
 *                   use: the mail server keeps the message until the
 *                   installation is put right
 * A message that cannot be read never bounces (65 EX_DATAERR is never
 * used): it is kept whole in quarantine for the complaints team.
 *
 * What is kept and what it becomes is the store's rule (store_mail.h);
 * this file reads the message (mail_inbound.h), makes the contact a new
 * message would be, and decides which attachments may be documents: the
 * types and the size a document uploaded by hand may have
 * (store_document_check, WEB_UPLOAD_FILE_MAX); executables and every other
 * type are refused and listed, with the reason, on the message.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

#include <jansson.h>

#include "arena.h"
#include "cli.h"
#include "cli_mail.h"
#include "mail_inbound.h"
#include "mail_report.h"
#include "mail_sender.h"
#include "mail_smtp.h"
#include "model.h"
#include "store.h"
#include "store_document.h"
#include "store_mail.h"
#include "web.h"

static const char usage[] = "fairhearing mail receive --db PATH --org ORG";

static void help(void)
{
	printf("usage: %s\n\n"
	       "Reads one email (RFC 5322) on standard input, as a mail server's pipe\n"
	       "transport or fetchmail gives it, and keeps it whole in the database, in one\n"
	       "transaction with what it becomes (docs/email.md):\n"
	       "  - a reply filed on its case, when the subject holds the case's reference\n"
	       "    (\"Re: BCT-2026-00073\") or In-Reply-To/References name a message\n"
	       "    Fairhearing sent, and the sender's address is a party's on that case;\n"
	       "  - otherwise a new contact on the team's dashboard (channel email, kind\n"
	       "    complaint to confirm at triage, received the day the mail server took\n"
	       "    it), marked \"possibly about REF\" when it named a case; its\n"
	       "    attachments become the case's documents where a document may be of\n"
	       "    their type and size (PDF, PNG, JPEG, plain text, Word .docx, up to\n"
	       "    5 MB), the rest are refused and listed on the case;\n"
	       "  - kept in quarantine, for the complaints team to file by hand or set\n"
	       "    aside, when it cannot be read or a machine wrote it (an out-of-office\n"
	       "    reply, a bounce) and it is no party's reply.\n"
	       "A message with a Message-ID received before for ORG is not kept twice.\n\n"
	       "  --db PATH   the database\n"
	       "  --org ORG   the organisation whose mailbox this is\n\n"
	       "Exit status (sysexits.h, which mail servers read):\n"
	       "  0   kept (including quarantined, and a message received before)\n"
	       "  64  bad command line\n"
	       "  69  the message is over %zu MiB: returned to the sender\n"
	       "  75  the database is busy or unreachable: the mail server tries again\n"
	       "  78  no such organisation, or a database this binary cannot use\n"
	       "A message that cannot be read is never refused: it goes to quarantine.\n\n"
	       "A new contact is acknowledged by email when the organisation's file asks\n"
	       "(policy.email), unless a machine or a list wrote the message or the sender\n"
	       "had one in the last 24 hours; a delivery report about a message Fairhearing\n"
	       "sent is filed on its case and marks that message bounced or delivered.\n"
	       "`fairhearing mail send --help`: sending what waits in the outbox.\n",
	       usage, MAIL_RECEIVE_MAX >> 20);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	char reason[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	cli_usage_error(usage, "%s", reason);
	return EX_USAGE;
}

/*
 * The exit status a store failure deserves, after saying why on stderr:
 * EX_CONFIG for the installation's mistake (config), EX_TEMPFAIL for the
 * rest (busy, unreachable, failed), both of which the mail server retries.
 */
static int store_exit(const fh_error *err, bool config)
{
	fprintf(stderr, "fairhearing: mail: %s%s%s\n", err->field[0] ? err->field : "",
		err->field[0] ? ": " : "", err->message);
	return config ? EX_CONFIG : EX_TEMPFAIL;
}

/* Standard input, whole; NULL (and *too_big) past MAIL_RECEIVE_MAX. */
static unsigned char *read_stdin(size_t *size, bool *too_big)
{
	size_t cap = 64 << 10, n = 0;
	unsigned char *buf = malloc(cap);
	*too_big = false;
	while (buf) {
		if (n == cap) {
			if (cap >= MAIL_RECEIVE_MAX + 1) {
				*too_big = true;
				free(buf);
				return NULL;
			}
			size_t grown = cap * 2 > MAIL_RECEIVE_MAX + 1 ? MAIL_RECEIVE_MAX + 1 : cap * 2;
			unsigned char *bigger = realloc(buf, grown);
			if (!bigger) {
				free(buf);
				return NULL;
			}
			buf = bigger, cap = grown;
		}
		size_t got = fread(buf + n, 1, cap - n, stdin);
		n += got;
		if (got == 0)
			break;
	}
	if (buf && n > MAIL_RECEIVE_MAX) {
		*too_big = true;
		free(buf);
		return NULL;
	}
	*size = n;
	return buf;
}

/* ---- attachments ------------------------------------------------------------------ */

static const char *extension(const char *filename)
{
	const char *dot = strrchr(filename, '.');
	return dot ? dot + 1 : "";
}

/* Executables and scripts, by name or by their first bytes (MZ, ELF, #!). */
static bool executable(const mail_attachment *a)
{
	static const char *const exts[] = {"exe", "com", "bat", "cmd", "scr", "pif", "msi", "dll",
					   "js", "jse", "vbs", "vbe", "wsf", "hta", "ps1", "jar",
					   "sh", "lnk", "cpl", "app", "apk", "elf", NULL};
	const char *ext = extension(a->filename);
	for (size_t i = 0; exts[i]; i++)
		if (!strcasecmp(ext, exts[i]))
			return true;
	if (strstr(a->content_type, "msdownload") || strstr(a->content_type, "executable") ||
	    strstr(a->content_type, "x-sh") || strstr(a->content_type, "javascript"))
		return true;
	return (a->size >= 2 && !memcmp(a->data, "MZ", 2)) ||
	       (a->size >= 4 && !memcmp(a->data, "\x7f" "ELF", 4)) ||
	       (a->size >= 2 && !memcmp(a->data, "#!", 2));
}

/* The document type an attachment is, by its label or else by its name; NULL: none. */
static const char *document_type(const mail_attachment *a)
{
	static const struct {
		const char *ext, *type;
	} by_ext[] = {
		{"pdf", "application/pdf"}, {"png", "image/png"}, {"jpg", "image/jpeg"},
		{"jpeg", "image/jpeg"}, {"txt", "text/plain"},
		{"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	};
	for (size_t i = 0; STORE_DOCUMENT_TYPES[i]; i++)
		if (!strcmp(a->content_type, STORE_DOCUMENT_TYPES[i]))
			return STORE_DOCUMENT_TYPES[i];
	if (strcmp(a->content_type, "application/octet-stream") != 0 &&
	    strcmp(a->content_type, "application/x-download") != 0)
		return NULL;
	const char *ext = extension(a->filename);
	for (size_t i = 0; i < sizeof by_ext / sizeof by_ext[0]; i++)
		if (!strcasecmp(ext, by_ext[i].ext))
			return by_ext[i].type;
	return NULL;
}

/* A plain file name for a document: what the sender called it, made safe, or attachment-N. */
static const char *document_name(const mail_attachment *a, size_t n, fh_arena *arena)
{
	if (!*a->filename)
		return arena_printf(arena, "attachment-%zu", n);
	char *name = arena_strndup(arena, a->filename, STORE_DOCUMENT_FILENAME_MAX);
	for (char *p = name; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == '/' || *p == '\\' || *p == '"' || *p == 0x7f)
			*p = '_';
	/* a cut in the middle of a UTF-8 sequence goes */
	size_t len = strlen(name);
	while (len && ((unsigned char)name[len - 1] & 0xc0) == 0x80)
		len--;
	if (len && ((unsigned char)name[len - 1] & 0xc0) == 0xc0)
		len--;
	if (len < strlen(name))
		name[len] = '\0';
	return name;
}

/*
 * Splits the attachments into the documents a case may keep and the
 * refused, each refusal with its reason, into the JSON *refused.
 */
static void sort_attachments(const mail_inbound *m, fh_arena *arena, store_mail_document **docs,
			     size_t *n_docs, char **refused)
{
	*docs = arena_array(arena, m->n_attachments + 1, sizeof **docs);
	*n_docs = 0;
	json_t *list = json_array();
	for (size_t i = 0; i < m->n_attachments; i++) {
		const mail_attachment *a = &m->attachments[i];
		const char *name = document_name(a, i + 1, arena);
		const char *type = document_type(a);
		const char *reason = NULL;
		fh_error err = {0};
		if (executable(a))
			reason = "an executable file or script: never kept";
		else if (!type)
			reason = arena_printf(arena, "of type %s: a case keeps only PDF, PNG, JPEG, "
					      "plain text and Word (.docx) documents", a->content_type);
		else if (a->size > WEB_UPLOAD_FILE_MAX)
			reason = arena_printf(arena, "%zu bytes: a document is at most %d MB",
					      a->size, WEB_UPLOAD_FILE_MAX >> 20);
		else if (store_document_check(name, type, "staff", a->data, a->size, &err))
			reason = arena_printf(arena, "%s %s", err.field, err.message);
		if (reason) {
			json_array_append_new(list, json_pack("{ss ss sI ss}", "filename", name,
							      "content_type", a->content_type, "size",
							      (json_int_t)a->size, "reason", reason));
			continue;
		}
		(*docs)[(*n_docs)++] = (store_mail_document){
			.filename = name, .content_type = type, .data = a->data, .size = a->size};
	}
	char *text = json_dumps(list, JSON_COMPACT);
	*refused = arena_strdup(arena, text ? text : "[]");
	free(text);
	json_decref(list);
}

/* ---- the contact --------------------------------------------------------------- */

/* At most max bytes of s, not cutting a UTF-8 sequence. */
static const char *cut(const char *s, size_t max, fh_arena *arena)
{
	size_t len = strlen(s);
	if (len <= max)
		return s;
	len = max;
	while (len && ((unsigned char)s[len] & 0xc0) == 0x80)
		len--;
	return arena_strndup(arena, s, len);
}

/*
 * The new contact a message makes: a complaint by email, received on the
 * day given (the mail server's, or today),
 * from its sender (their name as the From header gives it, else their
 * address), the subject as its summary and the text as its details.  The
 * kind is the model's "complaint" because a case must have one; the case
 * page marks it "kind to confirm at triage" (store_mail.h keeps the link).
 */
static fh_case_input *contact_of(const mail_inbound *m, const fh_org *org, const char *today,
				 fh_arena *arena)
{
	fh_case_input *in = arena_alloc(arena, sizeof *in);
	fh_party *party = arena_alloc(arena, sizeof *party);
	const char *name = *m->from_name ? m->from_name : m->from_address;
	const char *given = "", *family = cut(name, MODEL_SHORT_MAX, arena);
	const char *space = strrchr(family, ' ');
	if (*m->from_name && space && space != family && space[1]) {
		given = arena_strndup(arena, family, (size_t)(space - family));
		family = space + 1;
	}
	party->person = (fh_person){.given_name = given, .family_name = family,
				    .email = cut(m->from_address, MODEL_SHORT_MAX, arena),
				    .preferred_contact = "email"};
	party->role = "complainant";
	party->relationship = "self";
	const char *summary = *m->subject ? m->subject
			      : arena_printf(arena, "Email from %s (no subject)", m->from_address);
	*in = (fh_case_input){
		.org_code = org->code, .kind = "complaint", .channel = "email",
		.received_on = today, .summary = cut(summary, MODEL_SHORT_MAX, arena),
		.details = *m->text ? cut(m->text, MODEL_TEXT_MAX, arena) : NULL,
		.n_parties = 1, .parties = party,
	};
	return in;
}

int cli_mail_keep(fh_store *st, const fh_org *org, fh_date today, const unsigned char *raw,
		  size_t size, const char *actor, const char *source, const char *prefix)
{
	char today_iso[DATE_ISO_LEN];
	date_format(today, today_iso);
	fh_arena arena = ARENA_INIT;
	mail_inbound m;
	const char *no_reply = NULL; /* why no automatic answer may go to it */
	store_mail_in in = {.org_code = org->code, .raw = raw, .size = size, .refused = "[]",
			    .source = source};
	fh_error why = {0};
	if (mail_inbound_parse(raw, size, &arena, &m, &why)) {
		/* what could be read of it helps the team find it in quarantine */
		in.unreadable = true;
		in.why = arena_printf(&arena, "the message %s", why.message);
		in.message_id = m.message_id;
		in.from_name = m.from_name;
		in.from_address = m.from_address;
		in.subject = m.subject;
	} else {
		in.message_id = m.message_id;
		in.from_name = m.from_name;
		in.from_address = m.from_address;
		in.subject = m.subject;
		in.body = m.text;
		in.references = m.references;
		in.n_references = m.n_references;
		in.may_acknowledge = mail_may_autoreply(raw, size, &m, &no_reply);
		if (m.bounce) {
			mail_report report;
			mail_report_read(raw, size, &arena, &report);
			in.report_ids = report.original_ids;
			in.n_report_ids = report.n_original_ids;
			in.report_action = report.action;
			in.report_status = report.status;
		}
		store_mail_document *docs;
		char *refused;
		sort_attachments(&m, &arena, &docs, &in.n_documents, &refused);
		in.documents = docs;
		in.refused = refused;
		/* received when the organisation's mail server took it, if it says so
		 * (a message kept there while the database was down), never later
		 * than today nor earlier than the server keeps mail (a week) */
		fh_date server_day;
		const char *received = today_iso;
		if (date_parse(m.received_on, &server_day) && server_day <= today &&
		    server_day >= today - 7)
			received = m.received_on;
		fh_case_input *contact = contact_of(&m, org, received, &arena);
		if (m.automatic)
			in.why = arena_printf(&arena, "written by a machine (%s%s), not a "
					      "party's reply", m.automatic_why,
					      m.bounce ? ": a delivery report" : "");
		else if (case_input_validate(contact, today, &why))
			in.why = arena_printf(&arena, "it cannot make a contact: %s: %s",
					      why.field, why.message);
		else
			in.contact = contact;
	}

	store_mail_result res;
	fh_error err = {0};
	fh_status s = store_mail_receive(st, &in, actor, &res, &err);
	if (s == FH_EINVAL || s == FH_ERULE || s == FH_ECONFLICT) {
		/* the contact was refused by a rule the model does not check: kept all the same */
		in.why = arena_printf(&arena, "it cannot make a contact: %s", err.message);
		in.contact = NULL;
		s = store_mail_receive(st, &in, actor, &res, &err);
	}
	int rc = s ? store_exit(&err, false) : EX_OK;
	if (!rc) {
		switch (res.outcome) {
		case STORE_MAIL_FILED:
			printf("%sfiled on %s (message %lld)\n", prefix, res.reference,
			       (long long)res.id);
			break;
		case STORE_MAIL_NEW_CONTACT:
			printf("%snew contact %s (message %lld)\n", prefix, res.reference,
			       (long long)res.id);
			break;
		case STORE_MAIL_POSSIBLY_ABOUT:
			printf("%snew contact %s, possibly about %s (message %lld)\n", prefix,
			       res.reference, res.about, (long long)res.id);
			break;
		case STORE_MAIL_QUARANTINED:
			printf("%squarantined (message %lld): %s\n", prefix, (long long)res.id, in.why);
			break;
		case STORE_MAIL_DUPLICATE:
			printf("%sreceived before (message %lld, %s%s%s): not kept again\n", prefix,
			       (long long)res.id, res.state, *res.reference ? " " : "",
			       res.reference);
			break;
		}
		if (res.report)
			printf("%sa delivery report (%s%s%s) about a message sent on %s\n", prefix,
			       in.report_action && *in.report_action ? in.report_action : "no action",
			       in.report_status && *in.report_status ? " " : "",
			       in.report_status ? in.report_status : "", res.reference);
		if (res.acknowledged)
			printf("%sacknowledgement queued to %s\n", prefix, in.from_address);
		else if (!in.may_acknowledge && no_reply && (res.outcome == STORE_MAIL_NEW_CONTACT ||
							     res.outcome == STORE_MAIL_POSSIBLY_ABOUT))
			printf("%snot acknowledged: %s\n", prefix, no_reply);
		else if (res.no_acknowledgement && strstr(res.no_acknowledgement, "24 hours"))
			printf("%snot acknowledged: %s\n", prefix, res.no_acknowledgement);
	}
	arena_free(&arena);
	return rc;
}

int cli_mail_open(const char *db, const char *org_code, fh_arena *arena, fh_store **st,
		  fh_org *org)
{
	fh_error err = {0};
	*st = NULL;
	if (store_open(db, 0, st, &err))
		return store_exit(&err, err.status == FH_ESCHEMA);
	if (store_org_get(*st, org_code, arena, org, &err)) {
		store_close(*st);
		*st = NULL;
		return store_exit(&err, err.status == FH_ENOTFOUND);
	}
	return EX_OK;
}

static int receive(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'}, {"org", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'}, {0}};
	const char *db = NULL, *org_code = NULL;
	int c;
	while ((c = cli_getopt(argc, argv, opts)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'o': org_code = optarg; break;
		case ':': return usage_error("mail receive: %s needs a value", argv[optind - 1]);
		default: return usage_error("mail receive: unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("mail receive: unexpected argument '%s' (the message is read "
				   "from standard input)", argv[optind]);
	if (!db)
		return usage_error("mail receive: %s is required", "--db");
	if (!org_code)
		return usage_error("mail receive: %s is required", "--org");
	fh_date today;
	if (!cli_today(&today))
		return usage_error("mail receive: %s is not a date (YYYY-MM-DD)", "FAIRHEARING_TODAY");

	size_t size = 0;
	bool too_big;
	unsigned char *raw = read_stdin(&size, &too_big);
	if (!raw) {
		fprintf(stderr, "fairhearing: mail receive: %s\n",
			too_big ? "the message is larger than the 64 MiB Fairhearing takes"
				: "out of memory reading the message");
		return too_big ? EX_UNAVAILABLE : EX_TEMPFAIL;
	}
	fh_arena arena = ARENA_INIT;
	fh_store *st;
	fh_org org;
	int rc = cli_mail_open(db, org_code, &arena, &st, &org);
	if (!rc) {
		mail_inbound_start();
		rc = cli_mail_keep(st, &org, today, raw, size, "system:mail-receive", NULL, "");
		mail_inbound_stop();
	}
	store_close(st);
	arena_free(&arena);
	free(raw);
	return rc;
}

/* ---- sending ---------------------------------------------------------------------- */

static const char send_usage[] = "fairhearing mail send --db PATH [--limit N]";

static void send_help(void)
{
	printf("usage: %s\n\n"
	       "Sends the email waiting in the outbox (docs/email.md, \"Sending\"): the\n"
	       "automatic acknowledgements of new contacts and the letters issued to be sent\n"
	       "by email. For cron, every few minutes; `serve` does the same in a thread of\n"
	       "its own unless started with --no-mail-sender.\n\n"
	       "Each message is claimed before it is sent, so two senders never send one\n"
	       "message twice. The mail server's answer is kept: accepted (sent), refused\n"
	       "for now (4xx, or no answer: tried again after 1, 5 and 30 minutes, 2 and 12\n"
	       "hours, then failed) or refused for good (5xx: failed). The relay is the\n"
	       "organisation's (policy.email.smtp in its file); a login's password comes\n"
	       "from FAIRHEARING_SMTP_PASSWORD. Every message sent or failed is an audit\n"
	       "event on its case.\n\n"
	       "  --db PATH   the database\n"
	       "  --limit N   send at most N messages this run (default: all that are due)\n\n"
	       "Exit status: 0 when every due message was sent or will be retried, 1 when\n"
	       "one failed for good, 2 for a bad command line or an unusable database.\n",
	       send_usage);
}

static int send_outbox(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'}, {"limit", required_argument, NULL, 'l'},
		{"help", no_argument, NULL, 'h'}, {0}};
	const char *db = NULL;
	int limit = 0, c;
	while ((c = cli_getopt(argc, argv, opts)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'l': {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end || end == optarg || v < 1 || v > 1000000)
				return cli_usage_error(send_usage, "mail send: --limit must be a "
						       "number from 1 to 1000000, not '%s'", optarg);
			limit = (int)v;
			break;
		}
		case ':': return cli_usage_error(send_usage, "mail send: %s needs a value",
						 argv[optind - 1]);
		default: return cli_usage_error(send_usage, "mail send: unknown option '%s'",
						argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(send_usage, "mail send: unexpected argument '%s'", argv[optind]);
	if (!db)
		return cli_usage_error(send_usage, "mail send: %s is required", "--db");
	fh_error err = {0};
	fh_store *st = NULL;
	if (store_open(db, 0, &st, &err)) {
		fprintf(stderr, "fairhearing: mail send: %s\n", err.message);
		return 2;
	}
	if (mail_smtp_start(&err)) {
		fprintf(stderr, "fairhearing: mail send: %s\n", err.message);
		store_close(st);
		return 2;
	}
	char host[64] = "";
	gethostname(host, sizeof host - 1);
	char claimer[128];
	snprintf(claimer, sizeof claimer, "mail-send:%s:%ld", host, (long)getpid());
	mail_sender_counts n;
	fh_status s = mail_sender_run(st, claimer, limit, stdout, &n, &err);
	mail_smtp_stop();
	store_close(st);
	if (s) {
		fprintf(stderr, "fairhearing: mail send: %s\n", err.message);
		return 2;
	}
	printf("%d sent, %d to retry, %d failed\n", n.sent, n.retrying, n.failed);
	return n.failed ? 1 : 0;
}

int cmd_mail(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		printf("usage: %s\n       fairhearing mail fetch --db PATH --org ORG --imap URL "
		       "--user USER ...\n\n"
		       "  receive  one email on standard input, from a mail server's pipe transport\n"
		       "  fetch    every email in an IMAP mailbox, for cron\n"
		       "Each says more with --help (docs/email.md).\n", usage);
		return argc < 2 ? EX_USAGE : EX_OK;
	}
	if (!strcmp(argv[1], "receive")) {
		if (cli_wants_help(argc - 1, argv + 1)) {
			help();
			return EX_OK;
		}
		return receive(argc - 1, argv + 1);
	}
	if (!strcmp(argv[1], "fetch"))
		return cmd_mail_fetch(argc - 1, argv + 1);
	if (!strcmp(argv[1], "send")) {
		if (cli_wants_help(argc - 1, argv + 1)) {
			send_help();
			return 0;
		}
		return send_outbox(argc - 1, argv + 1);
	}
	return usage_error("mail: no subcommand '%s' (mail receive, mail fetch, mail send)", argv[1]);
}
