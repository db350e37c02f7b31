/*
 * fairhearing mail fetch: every message in an IMAP mailbox taken in as
 * `mail receive` takes one, for cron (docs/email.md).
 *
 * A message is moved out of the mailbox only after it is kept in the
 * database, and the database keeps a Message-ID (or, without one, the
 * message's bytes) once: a crash between the two leaves the message in the
 * mailbox, and the next run finds it received before and only moves it.
 * So nothing is lost and nothing is recorded twice, whenever the run stops.
 * Which mailbox and UID a message came from goes into its audit event.
 *
 * Exit status (sysexits.h, like mail receive):
 *   0  EX_OK          every message taken (or none there)
 *   64 EX_USAGE       the command line is wrong
 *   69 EX_UNAVAILABLE a message larger than 64 MiB was left in the mailbox
 *   75 EX_TEMPFAIL    the mail server or the database could not be reached or
 *                     failed: what was taken is kept, the rest waits for the
 *                     next run
 *   77 EX_NOPERM      the mail server refused the login
 *   78 EX_CONFIG      no such organisation or mailbox, a database this binary
 *                     cannot use, or a server that cannot be reached safely
 *                     (no STARTTLS, a certificate not trusted)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <sodium.h>

#include "cli.h"
#include "cli_mail.h"
#include "mail_imap.h"
#include "mail_inbound.h"
#include "mail_smtp.h"

static const char usage[] =
	"fairhearing mail fetch --db PATH --org ORG --imap imaps://HOST/MAILBOX --user USER "
	"[--password-file FILE | --oauth2-token-file FILE] [--processed FOLDER] [--ca-file FILE]";

static void help(void)
{
	printf("usage: %s\n\n"
	       "Takes every message in an IMAP mailbox (read or not, unless marked deleted)\n"
	       "into ORG as `mail receive` takes one (a contact, a reply filed on its case,\n"
	       "or quarantine), and only once it is kept moves it to FOLDER, made the first\n"
	       "time it is needed.  Run it from cron; a run that stops half way loses and\n"
	       "doubles nothing (docs/email.md).\n\n"
	       "  --db PATH                 the database\n"
	       "  --org ORG                 the organisation whose mailbox it is\n"
	       "  --imap URL                imaps://HOST[:PORT]/MAILBOX (TLS), or imap://... which\n"
	       "                            must take STARTTLS unless HOST is this machine\n"
	       "                            (127.0.0.1, ::1, localhost); MAILBOX defaults to INBOX\n"
	       "  --user USER               the mailbox's login\n"
	       "  --password-file FILE      the password: FILE's first line (FILE must be readable\n"
	       "                            by its owner alone), or else the environment\n"
	       "                            variable FAIRHEARING_IMAP_PASSWORD\n"
	       "  --oauth2-token-file FILE  an OAuth2 access token instead (SASL XOAUTH2 or\n"
	       "                            OAUTHBEARER: Exchange Online, Google Workspace)\n"
	       "  --processed FOLDER        where taken messages go (default Processed; plain\n"
	       "                            ASCII, no quotes or wildcards)\n"
	       "  --ca-file FILE            a PEM bundle to trust instead of the system's\n\n"
	       "Exit status (sysexits.h):\n"
	       "  0   every message taken      64  bad command line\n"
	       "  69  a message over %zu MiB was left in the mailbox\n"
	       "  75  the mail server or database failed: the rest waits for the next run\n"
	       "  77  the login was refused    78  no such organisation or mailbox, or no safe\n"
	       "                                   connection (STARTTLS, certificate)\n",
	       usage, MAIL_RECEIVE_MAX >> 20);
}

static int fetch_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fetch_usage(const char *fmt, ...)
{
	char reason[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	cli_usage_error(usage, "mail fetch: %s", reason);
	return EX_USAGE;
}

/* A folder name that needs no quoting or encoding in IMAP and matches only itself in LIST. */
static bool plain_folder(const char *f)
{
	if (!*f || strlen(f) > 200)
		return false;
	for (const char *p = f; *p; p++)
		if (*p < 0x20 || *p > 0x7e || *p == '"' || *p == '\\' || *p == '*' || *p == '%')
			return false;
	return true;
}

/* The exit status a mail server's failure deserves, after saying why. */
static int imap_exit(const char *url, mail_imap_status s, const char *detail)
{
	fprintf(stderr, "fairhearing: mail fetch: %s: %s\n", url, detail);
	switch (s) {
	case MAIL_IMAP_LOGIN_DENIED:
		return EX_NOPERM;
	case MAIL_IMAP_NO_STARTTLS:
	case MAIL_IMAP_UNTRUSTED:
	case MAIL_IMAP_REFUSED:
		return EX_CONFIG;
	default:
		return EX_TEMPFAIL;
	}
}

typedef struct fetch_run {
	fh_store *st;
	const fh_org *org;
	fh_date today;
	mail_imap *im;
	const char *url, *folder;
	size_t taken, too_big;
} fetch_run;

/* Each message listed, kept then moved; stops at the first failure that is not one message's. */
static int take_all(fetch_run *r)
{
	char detail[512];
	uint32_t uidvalidity, *uids;
	size_t n;
	mail_imap_status s = mail_imap_list(r->im, &uidvalidity, &uids, &n, detail, sizeof detail);
	if (s)
		return imap_exit(r->url, s, detail);
	int rc = EX_OK;
	for (size_t i = 0; i < n && rc == EX_OK; i++) {
		unsigned char *raw = NULL;
		size_t size = 0;
		s = mail_imap_fetch(r->im, uids[i], MAIL_RECEIVE_MAX, &raw, &size, detail,
				    sizeof detail);
		if (s == MAIL_IMAP_TOO_BIG) {
			fprintf(stderr, "fairhearing: mail fetch: UID %u is larger than the %zu MiB "
				"Fairhearing takes: left in the mailbox\n", uids[i],
				MAIL_RECEIVE_MAX >> 20);
			r->too_big++;
			continue;
		}
		if (s) {
			rc = imap_exit(r->url, s, detail);
			break;
		}
		char source[1400], prefix[32];
		snprintf(source, sizeof source, "%s UIDVALIDITY %u UID %u", r->url, uidvalidity,
			 uids[i]);
		snprintf(prefix, sizeof prefix, "UID %u: ", uids[i]);
		rc = cli_mail_keep(r->st, r->org, r->today, raw, size, "system:mail-fetch", source,
				   prefix);
		sodium_memzero(raw, size);
		free(raw);
		if (rc)
			break; /* not kept: it stays in the mailbox for the next run */
		s = mail_imap_move(r->im, uids[i], r->folder, detail, sizeof detail);
		if (s) {
			rc = imap_exit(r->url, s, detail);
			break;
		}
		r->taken++;
	}
	free(uids);
	return rc;
}

int cmd_mail_fetch(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'}, {"org", required_argument, NULL, 'o'},
		{"imap", required_argument, NULL, 'i'}, {"user", required_argument, NULL, 'u'},
		{"password-file", required_argument, NULL, 'p'},
		{"oauth2-token-file", required_argument, NULL, 't'},
		{"processed", required_argument, NULL, 'f'}, {"ca-file", required_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'}, {0}};
	const char *db = NULL, *org_code = NULL, *url = NULL, *user = NULL, *password_file = NULL,
		   *token_file = NULL, *folder = "Processed", *ca_file = NULL;
	int c;
	while ((c = cli_getopt(argc, argv, opts)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'o': org_code = optarg; break;
		case 'i': url = optarg; break;
		case 'u': user = optarg; break;
		case 'p': password_file = optarg; break;
		case 't': token_file = optarg; break;
		case 'f': folder = optarg; break;
		case 'c': ca_file = optarg; break;
		case 'h': help(); return EX_OK;
		case ':': return fetch_usage("%s needs a value", argv[optind - 1]);
		default: return fetch_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return fetch_usage("unexpected argument '%s'", argv[optind]);
	const char *missing = !db ? "--db" : !org_code ? "--org" : !url ? "--imap" : !user ? "--user"
											   : NULL;
	if (missing)
		return fetch_usage("%s is required", missing);
	if (!*user || strcspn(user, "\r\n") != strlen(user))
		return fetch_usage("--user must be a user name, one line");
	if (password_file && token_file)
		return fetch_usage("--password-file and --oauth2-token-file: give one");
	if (!plain_folder(folder))
		return fetch_usage("--processed '%s' must be a folder name in plain ASCII, without "
				   "quotes, backslashes or wildcards", folder);
	fh_date today;
	if (!cli_today(&today))
		return fetch_usage("%s is not a date (YYYY-MM-DD)", "FAIRHEARING_TODAY");

	char *secret = NULL;
	const char *env = getenv("FAIRHEARING_IMAP_PASSWORD");
	if (password_file || token_file) {
		if (cli_read_secret_file(usage, password_file ? "mail fetch: --password-file"
							      : "mail fetch: --oauth2-token-file",
					 password_file ? password_file : token_file, &secret))
			return EX_USAGE;
	} else if (!env || !*env) {
		return fetch_usage("a password is needed: --password-file FILE, "
				   "FAIRHEARING_IMAP_PASSWORD, or --oauth2-token-file FILE");
	} else if (strlen(env) > CLI_SECRET_MAX || !(secret = strdup(env))) {
		return fetch_usage("FAIRHEARING_IMAP_PASSWORD is longer than %d bytes",
				   CLI_SECRET_MAX);
	}
	mail_imap_account account = {.url = url, .user = user, .ca_file = ca_file};
	if (token_file)
		account.bearer = secret;
	else
		account.password = secret;

	fh_arena arena = ARENA_INIT;
	fh_store *st = NULL;
	fh_org org;
	fh_error err = {0};
	mail_imap *im = NULL;
	char why[256];
	int rc = cli_mail_open(db, org_code, &arena, &st, &org);
	if (!rc && mail_smtp_start(&err)) {
		fprintf(stderr, "fairhearing: mail fetch: %s\n", err.message);
		rc = EX_TEMPFAIL;
	} else if (!rc && !(im = mail_imap_open(&account, why, sizeof why))) {
		rc = fetch_usage("--imap %s %s", url, why);
		mail_smtp_stop();
	}
	if (!rc) {
		fetch_run r = {.st = st, .org = &org, .today = today, .im = im, .url = url,
			       .folder = folder};
		mail_inbound_start();
		rc = take_all(&r);
		mail_inbound_stop();
		printf("%zu message%s taken from %s into %s, moved to %s\n", r.taken,
		       r.taken == 1 ? "" : "s", mail_imap_mailbox(im), org.code, folder);
		if (!rc && r.too_big)
			rc = EX_UNAVAILABLE;
		mail_imap_close(im);
		mail_smtp_stop();
	}
	if (secret)
		sodium_memzero(secret, strlen(secret));
	free(secret);
	store_close(st);
	arena_free(&arena);
	return rc;
}
