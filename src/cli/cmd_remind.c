/*
 * fairhearing remind: the daily digest of deadlines, by email, for cron.
 *
 * Each officer gets the cases they are assigned to whose clocks are due in
 * the next N working days or are already past; each manager of the
 * complaints team gets every overdue case of their organisation.  What a
 * digest may say, and to whom, is store_remind.h's rule: references,
 * stages, clocks and dates only.  The message is written by mail_message
 * and goes over SMTP by mail_smtp (src/mail/); each
 * digest the mail server accepted is recorded (a row and an audit event),
 * and one already recorded for the day is not sent again, so cron can run
 * this as often as it likes.
 *
 * A mail server that wants a login gets --smtp-user, with the password from
 * FAIRHEARING_SMTP_PASSWORD or the first line of --smtp-password-file (never
 * the command line, which `ps` shows to everyone).  With a login, an smtp://
 * server must take STARTTLS before the password is sent; smtps:// is TLS from
 * the start.  --smtp-ca trusts a private relay's CA.
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "calendar.h"
#include "cli.h"
#include "mail_message.h"
#include "mail_smtp.h"
#include "store.h"
#include "store_calendar.h"
#include "store_remind.h"

static const char usage[] =
	"fairhearing remind --db PATH --smtp smtp://HOST:PORT --from ADDRESS [--days N] "
	"[--org ORG] [--dry-run] [--smtp-user USER [--smtp-password-file FILE]] "
	"[--smtp-ca FILE]";

enum { DEFAULT_DAYS = 5, MAX_DAYS = 60 };

static void help(void)
{
	printf("usage: %s\n\n"
	       "Emails the day's reminder digests; meant to run once a day from cron.\n"
	       "  - each officer: the cases they are assigned to with a deadline in the next\n"
	       "    N working days, or already past it;\n"
	       "  - each manager: every overdue case of their organisation.\n"
	       "A digest lists references, stages, clocks and due dates only: no names and\n"
	       "no summary (docs/operations.md says why). A digest is recorded (with an\n"
	       "audit event) once the mail server accepts it and is not sent again the same\n"
	       "day, so running twice is harmless. Nobody with nothing due gets mail.\n\n"
	       "  --db PATH        the database\n"
	       "  --smtp URL       the mail server: smtp://HOST:PORT (or smtps:// for TLS)\n"
	       "  --from ADDRESS   the sender, e.g. complaints@council.example\n"
	       "  --days N         how far ahead, in working days (default %d, at most %d)\n"
	       "  --org ORG        one organisation only (default: every one)\n"
	       "  --dry-run        print the digests instead of sending or recording them\n\n"
	       "A mail server that wants a login (most councils' relays):\n"
	       "  --smtp-user USER            log in as USER, with the password from:\n"
	       "  --smtp-password-file FILE   its first line; FILE must not be readable by\n"
	       "                              group or others (chmod 600); without it, the\n"
	       "                              environment variable FAIRHEARING_SMTP_PASSWORD\n"
	       "  --smtp-ca FILE              trust this CA bundle (PEM) for the server's\n"
	       "                              certificate instead of the system's\n"
	       "The password is never taken from the command line (ps shows it). With a\n"
	       "login (or --smtp-ca), an smtp:// server must offer STARTTLS or nothing is\n"
	       "sent; smtps:// is TLS from the start. The certificate is always checked.\n\n"
	       "\"Today\" is the machine's date, or FAIRHEARING_TODAY. Exit status 1 when\n"
	       "any digest could not be sent (the others are sent and recorded); when the\n"
	       "login is refused, TLS cannot be had or the certificate is not trusted, the\n"
	       "run stops at once rather than try again for each digest.\n",
	       usage, DEFAULT_DAYS, MAX_DAYS);
}

typedef struct remind_run {
	fh_store *st;
	const char *smtp, *from, *actor;
	const char *smtp_user, *smtp_ca; /* NULL: no login; the system's CAs */
	char *smtp_password;		 /* with smtp_user; wiped and freed at the end */
	bool dry_run;
	bool stopped; /* the mail server cannot be used at all: no more digests tried */
	fh_date today;
	char today_iso[DATE_ISO_LEN];
	int sent, skipped, failed;
} remind_run;

static void when(const remind_run *r, const fh_calendar *cal, const char *due, char *buf,
		 size_t size)
{
	fh_date d;
	int n = 0;
	if (!date_parse(due, &d)) {
		snprintf(buf, size, "due %s", due);
		return;
	}
	if (d < r->today) {
		calendar_working_days_between(cal, d, r->today, &n, NULL);
		snprintf(buf, size, "OVERDUE by %d working day%s", n, n == 1 ? "" : "s");
	} else if (d == r->today) {
		snprintf(buf, size, "due today");
	} else {
		calendar_working_days_between(cal, r->today, d, &n, NULL);
		snprintf(buf, size, "due in %d working day%s", n, n == 1 ? "" : "s");
	}
}

/*
 * The digest as a message (mail_message.h), with CRLF line ends; the
 * caller frees *message.  FH_ENOMEM (or mail_message's refusal) with words.
 */
static fh_status compose(const remind_run *r, const fh_org *org, const fh_calendar *cal,
			 const store_remind_person *to, const char *kind,
			 const store_remind_item *items, size_t n, int days, char **message,
			 fh_error *err)
{
	char *body = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&body, &len);
	if (!out)
		return error_set(err, FH_ENOMEM, NULL, NULL, "out of memory");
	bool manager = strcmp(kind, "manager") == 0;
	size_t overdue = 0;
	for (size_t i = 0; i < n; i++)
		overdue += strcmp(items[i].due_on, r->today_iso) < 0;
	char subject[400];
	if (manager)
		snprintf(subject, sizeof subject, "Fairhearing: %zu overdue case deadline%s at %s "
			 "(%s)", overdue, overdue == 1 ? "" : "s", org->name, r->today_iso);
	else
		snprintf(subject, sizeof subject, "Fairhearing: your deadlines at %s, %zu overdue, "
			 "%zu due soon (%s)", org->name, overdue, n - overdue, r->today_iso);
	if (manager)
		fprintf(out, "These case deadlines at %s are past, as of %s:\n\n", org->name,
			r->today_iso);
	else
		fprintf(out, "Your cases at %s with a deadline in the next %d working day%s,\n"
			"or past it, as of %s:\n\n", org->name, days, days == 1 ? "" : "s",
			r->today_iso);
	for (size_t i = 0; i < n; i++) {
		char stage[16], state[64];
		if (items[i].stage)
			snprintf(stage, sizeof stage, "stage %d", items[i].stage);
		else
			snprintf(stage, sizeof stage, "case");
		when(r, cal, items[i].due_on, state, sizeof state);
		fprintf(out, "  %-16s %-8s %-12s due %s  %s\n", items[i].reference, stage,
			items[i].clock, items[i].due_on, state);
		if (manager)
			fprintf(out, "  %-16s assigned: %s\n", "",
				*items[i].officers ? items[i].officers : "nobody");
	}
	fputs("\nOpen each case in Fairhearing for its details: this email names no one,\n"
	      "because it travels outside the system.\n", out);
	if (fclose(out) != 0) {
		free(body);
		return error_set(err, FH_ENOMEM, NULL, NULL, "out of memory");
	}
	char id[400];
	snprintf(id, sizeof id, "fairhearing-remind-%s-%s-%s-%lld@fairhearing.invalid", org->code,
		 kind, r->today_iso, (long long)to->user_id);
	mail_message m = {
		.from = r->from,
		.to = to->email,
		.subject = subject,
		.body = body,
		.date = time(NULL),
		.message_id = id,
		.auto_submitted = true,
	};
	fh_status s = mail_message_compose(&m, message, err);
	free(body);
	return s;
}

/*
 * Why a message was not sent, in words an administrator can act on (this
 * command's options among them).  What would fail every digest the same
 * way (mail_smtp_server_unusable) stops the run.
 */
static void explain(remind_run *r, mail_smtp_status status, const char *detail, char *why,
		    size_t size)
{
	switch (status) {
	case MAIL_SMTP_LOGIN_DENIED:
		snprintf(why, size, "the mail server refused the login as '%s' (%s): check "
			 "--smtp-user and the password", r->smtp_user ? r->smtp_user : "",
			 detail);
		break;
	case MAIL_SMTP_NO_STARTTLS:
		snprintf(why, size, "the mail server does not offer STARTTLS, so %s "
			 "(%s); if it takes TLS from the start, use smtps://",
			 r->smtp_user ? "the password was not sent" : "nothing was sent", detail);
		break;
	case MAIL_SMTP_UNTRUSTED:
		snprintf(why, size, "the mail server's certificate is not trusted (%s); for a "
			 "private CA, give its certificate with --smtp-ca FILE", detail);
		break;
	case MAIL_SMTP_BAD_CA_FILE:
		snprintf(why, size, "--smtp-ca %s cannot be used as a CA bundle (%s)",
			 r->smtp_ca ? r->smtp_ca : "", detail);
		break;
	case MAIL_SMTP_TLS_FAILED:
		snprintf(why, size, "TLS with the mail server failed (%s)", detail);
		break;
	case MAIL_SMTP_SENT:
	case MAIL_SMTP_NOT_SENT:
		snprintf(why, size, "%s", detail);
		break;
	}
	if (mail_smtp_server_unusable(status))
		r->stopped = true;
}

/* One digest: composed, then printed (dry run) or sent and recorded. */
static void digest(remind_run *r, const fh_org *org, const fh_calendar *cal,
		   const store_remind_person *to, const char *kind, const store_remind_item *items,
		   size_t n, int days)
{
	fh_error err = {0};
	bool sent = false;
	if (!r->dry_run && store_remind_was_sent(r->st, org->id, to->email, kind, r->today_iso,
						 &sent, &err) != FH_OK) {
		cli_report(&err);
		r->failed++;
		return;
	}
	if (sent) {
		printf("already sent today: %s digest to %s (%s)\n", kind, to->email, org->code);
		r->skipped++;
		return;
	}
	if (!mail_address_plain(to->email)) {
		fprintf(stderr, "fairhearing: remind: %s: not an address mail can be sent to; "
			"skipped\n", to->email);
		r->failed++;
		return;
	}
	char *message = NULL;
	if (compose(r, org, cal, to, kind, items, n, days, &message, &err)) {
		fprintf(stderr, "fairhearing: remind: %s\n", err.message);
		r->failed++;
		return;
	}
	if (r->dry_run) {
		printf("---- %s digest to %s (%s): %zu case deadline%s ----\n", kind, to->email,
		       org->code, n, n == 1 ? "" : "s");
		for (const char *p = message; *p; p++)
			if (*p != '\r')
				putchar(*p);
		r->sent++;
		free(message);
		return;
	}
	mail_smtp_server server = {.url = r->smtp, .user = r->smtp_user,
				   .password = r->smtp_password, .ca_file = r->smtp_ca};
	char detail[256], why[sizeof detail + 400];
	mail_smtp_status sent_status =
		mail_smtp_send(&server, r->from, to->email, message, detail, sizeof detail);
	if (sent_status != MAIL_SMTP_SENT) {
		explain(r, sent_status, detail, why, sizeof why);
		fprintf(stderr, "fairhearing: remind: %s digest to %s (%s) not sent: %s\n", kind,
			to->email, org->code, why);
		r->failed++;
		free(message);
		return;
	}
	free(message);
	const char **refs = calloc(n ? n : 1, sizeof *refs);
	size_t distinct = 0;
	for (size_t i = 0; refs && i < n; i++) { /* each case once, in the digest's order */
		size_t j = 0;
		while (j < distinct && strcmp(refs[j], items[i].reference) != 0)
			j++;
		if (j == distinct)
			refs[distinct++] = items[i].reference;
	}
	if (!refs || store_remind_record(r->st, org->id, to->email, kind, r->today_iso, refs,
					 distinct, r->actor, &err) != FH_OK) {
		if (refs)
			cli_report(&err);
		fprintf(stderr, "fairhearing: remind: %s digest to %s was sent but not recorded: it "
			"may be sent again\n", kind, to->email);
		r->failed++;
	} else {
		printf("sent %s digest to %s (%s): %zu case deadline%s\n", kind, to->email, org->code,
		       n, n == 1 ? "" : "s");
		r->sent++;
	}
	free(refs);
}

static fh_status remind_org(remind_run *r, const fh_org *org, int days, fh_error *err)
{
	fh_calendar *cal = NULL;
	fh_status s = store_calendar_for_org(r->st, org->code, &cal, err);
	fh_date horizon;
	if (!s)
		s = calendar_add_working_days(cal, r->today, days, &horizon, err);
	char until[DATE_ISO_LEN], yesterday[DATE_ISO_LEN];
	if (!s) {
		date_format(horizon, until);
		date_format(r->today - 1, yesterday);
	}
	fh_arena arena = ARENA_INIT;
	static const char *const kinds[] = {"officer", "manager"};
	for (size_t k = 0; !s && !r->stopped && k < 2; k++) {
		store_remind_person *people;
		size_t n_people;
		s = store_remind_people(r->st, org->id, kinds[k], &arena, &people, &n_people, err);
		for (size_t i = 0; !s && !r->stopped && i < n_people; i++) {
			store_remind_item *items;
			size_t n;
			/* an officer: their own cases up to the horizon; a manager: every overdue one */
			s = k == 0 ? store_remind_due(r->st, org->id, people[i].user_id, until, &arena,
						      &items, &n, err)
				   : store_remind_due(r->st, org->id, 0, yesterday, &arena, &items,
						      &n, err);
			if (!s && n > 0)
				digest(r, org, cal, &people[i], kinds[k], items, n, days);
		}
	}
	arena_free(&arena);
	calendar_free(cal);
	return s;
}

/* Where the password comes from, and that it does not come with nonsense around it. */
static int smtp_login_options(remind_run *r, const char *password_file)
{
	if (r->smtp) { /* smtp://user:password@host would show in ps */
		const char *host = strstr(r->smtp, "://");
		host = host ? host + 3 : r->smtp;
		size_t authority = strcspn(host, "/?#");
		if (memchr(host, '@', authority))
			return cli_usage_error(usage, "remind: --smtp must not hold a user or password "
					       "(the command line is visible to everyone): use "
					       "--smtp-user USER and FAIRHEARING_SMTP_PASSWORD or "
					       "--smtp-password-file FILE");
	}
	if (r->smtp_ca) {
		struct stat st;
		if (stat(r->smtp_ca, &st) != 0 || access(r->smtp_ca, R_OK) != 0)
			return cli_usage_error(usage, "remind: --smtp-ca %s: %s", r->smtp_ca,
					       strerror(errno));
		if (!S_ISREG(st.st_mode))
			return cli_usage_error(usage, "remind: --smtp-ca %s is not a file",
					       r->smtp_ca);
	}
	if (!r->smtp_user) {
		if (password_file)
			return cli_usage_error(usage, "remind: --smtp-password-file needs "
					       "--smtp-user USER");
		return CLI_OK;
	}
	if (!*r->smtp_user || strcspn(r->smtp_user, "\r\n") != strlen(r->smtp_user))
		return cli_usage_error(usage, "remind: --smtp-user must be a user name, one line");
	if (password_file)
		return cli_read_secret_file(usage, "remind: --smtp-password-file", password_file,
					    &r->smtp_password);
	const char *env = getenv("FAIRHEARING_SMTP_PASSWORD");
	if (!env)
		return cli_usage_error(usage, "remind: --smtp-user needs a password: set "
				       "FAIRHEARING_SMTP_PASSWORD or give --smtp-password-file FILE "
				       "(never on the command line)");
	if (!*env)
		return cli_usage_error(usage, "remind: --smtp-user: FAIRHEARING_SMTP_PASSWORD is "
				       "empty");
	if (strlen(env) > CLI_SECRET_MAX)
		return cli_usage_error(usage, "remind: --smtp-user: FAIRHEARING_SMTP_PASSWORD is "
				       "longer than %d bytes", CLI_SECRET_MAX);
	if (!(r->smtp_password = strdup(env)))
		return cli_usage_error(usage, "remind: out of memory");
	return CLI_OK;
}

static void forget_password(remind_run *r)
{
	if (r->smtp_password) {
		sodium_memzero(r->smtp_password, strlen(r->smtp_password));
		free(r->smtp_password);
		r->smtp_password = NULL;
	}
}

static int remind_run_all(remind_run *r, const char *db, const char *org_code, int days);

int cmd_remind(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		help();
		return CLI_OK;
	}
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'}, {"smtp", required_argument, NULL, 's'},
		{"from", required_argument, NULL, 'f'}, {"days", required_argument, NULL, 'n'},
		{"org", required_argument, NULL, 'o'}, {"dry-run", no_argument, NULL, 'D'},
		{"smtp-user", required_argument, NULL, 'u'},
		{"smtp-password-file", required_argument, NULL, 'p'},
		{"smtp-ca", required_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'}, {0}};
	remind_run r = {0};
	const char *db = NULL, *org_code = NULL, *password_file = NULL;
	int days = DEFAULT_DAYS, c;
	while ((c = cli_getopt(argc, argv, opts)) != -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 's':
			r.smtp = optarg;
			break;
		case 'f':
			r.from = optarg;
			break;
		case 'o':
			org_code = optarg;
			break;
		case 'D':
			r.dry_run = true;
			break;
		case 'u':
			r.smtp_user = optarg;
			break;
		case 'p':
			password_file = optarg;
			break;
		case 'c':
			r.smtp_ca = optarg;
			break;
		case 'n': {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (!*optarg || *end || v < 1 || v > MAX_DAYS)
				return cli_usage_error(usage, "remind: --days must be a whole number "
						       "from 1 to %d, not '%s'", MAX_DAYS, optarg);
			days = (int)v;
			break;
		}
		case ':':
			return cli_usage_error(usage, "remind: %s needs a value", argv[optind - 1]);
		default:
			return cli_usage_error(usage, "remind: unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(usage, "remind: unexpected argument '%s'", argv[optind]);
	if (!db)
		return cli_usage_error(usage, "remind: --db PATH is required");
	if (!r.from)
		return cli_usage_error(usage, "remind: --from ADDRESS is required");
	if (!mail_address_plain(r.from))
		return cli_usage_error(usage, "remind: --from '%s' is not an email address", r.from);
	if (!r.smtp && !r.dry_run)
		return cli_usage_error(usage, "remind: --smtp URL is required (or --dry-run)");
	if (r.smtp && strncmp(r.smtp, "smtp://", 7) != 0 && strncmp(r.smtp, "smtps://", 8) != 0)
		return cli_usage_error(usage, "remind: --smtp must be smtp://HOST:PORT or "
				       "smtps://HOST:PORT, not '%s'",
				       strchr(r.smtp, '@') ? "(not shown: it holds an '@')" : r.smtp);
	if (!cli_today(&r.today))
		return cli_usage_error(usage, "remind: FAIRHEARING_TODAY is not a date (YYYY-MM-DD)");
	date_format(r.today, r.today_iso);
	r.actor = cli_actor(NULL);
	int rc = smtp_login_options(&r, password_file);
	if (rc == CLI_OK)
		rc = remind_run_all(&r, db, org_code, days);
	forget_password(&r);
	return rc;
}

/* The run itself, once the command line is known to be sound. */
static int remind_run_all(remind_run *r, const char *db, const char *org_code, int days)
{
	fh_error err = {0};
	if (store_open(db, 0, &r->st, &err))
		return cli_report(&err);
	fh_arena arena = ARENA_INIT;
	fh_org *orgs = NULL;
	size_t n_orgs = 0;
	fh_status s;
	if (org_code) {
		orgs = arena_alloc(&arena, sizeof *orgs);
		s = store_org_get(r->st, org_code, &arena, orgs, &err);
		n_orgs = 1;
	} else {
		s = store_org_list(r->st, &arena, &orgs, &n_orgs, &err);
	}
	bool started = false;
	if (!s) {
		s = mail_smtp_start(&err);
		started = !s;
	}
	for (size_t i = 0; !s && !r->stopped && i < n_orgs; i++)
		s = remind_org(r, &orgs[i], days, &err);
	if (started)
		mail_smtp_stop();
	arena_free(&arena);
	store_close(r->st);
	if (s)
		return cli_report(&err);
	printf("remind %s: %d %s, %d already sent today, %d failed\n", r->today_iso, r->sent,
	       r->dry_run ? "shown (dry run: nothing sent or recorded)" : "sent", r->skipped,
	       r->failed);
	if (r->stopped)
		fprintf(stderr, "fairhearing: remind: stopped at the first digest the mail server "
			"could not take; the rest were not tried and go on the next run\n");
	return r->failed ? CLI_FAILED : CLI_OK;
}
