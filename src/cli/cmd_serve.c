/*
 * fairhearing serve: the HTTP server (src/server/).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "oidc.h"
#include "mail_sender.h"
#include "mail_smtp.h"
#include "server.h"
#include "store.h"

/*
 * The sender thread: the outbox sent every `every` seconds, on a database
 * connection of its own, while the server runs, when some organisation's
 * file names a relay (docs/email.md, "Sending").  The requests never send:
 * they only write to the outbox.
 */
typedef struct mail_thread {
	const char *db;
	int every;
	bool stop;
	pthread_mutex_t lock;
	pthread_cond_t wake;
} mail_thread;

static void *mail_thread_main(void *arg)
{
	mail_thread *t = arg;
	char host[64] = "", claimer[128];
	gethostname(host, sizeof host - 1);
	snprintf(claimer, sizeof claimer, "serve:%s:%ld", host, (long)getpid());
	pthread_mutex_lock(&t->lock);
	for (;;) {
		/* first wait: the server opens (and brings up to date) the database */
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += t->every;
		while (!t->stop && pthread_cond_timedwait(&t->wake, &t->lock, &until) != ETIMEDOUT)
			;
		if (t->stop)
			break;
		pthread_mutex_unlock(&t->lock);
		fh_store *st = NULL;
		fh_error err = {0};
		if (store_open(t->db, 0, &st, &err)) {
			fprintf(stderr, "{\"mail_sender\":\"database\",\"error\":\"%s\"}\n",
				err.status == FH_ESCHEMA ? "schema" : "unavailable");
		} else if (mail_sender_configured(st)) {
			mail_sender_counts n;
			if (mail_sender_run(st, claimer, 100, NULL, &n, &err))
				fprintf(stderr, "{\"mail_sender\":\"failed\"}\n");
			else if (n.sent || n.retrying || n.failed)
				fprintf(stderr, "{\"mail_sender\":\"run\",\"sent\":%d,\"retrying\":%d,"
					"\"failed\":%d}\n", n.sent, n.retrying, n.failed);
		}
		store_close(st);
		pthread_mutex_lock(&t->lock);
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

static const char usage[] =
	"fairhearing serve --db PATH --listen HOST:PORT [--threads N] [--secure-cookies]\n"
	"                  [--no-mail-sender | --mail-every SECONDS]";

static void help(void)
{
	printf("usage: %s\n"
	       "             [--max-body BYTES] [--session-idle MINUTES] [--session-max HOURS]\n"
	       "             [--grace SECONDS] [--timeout SECONDS] [--request-timeout SECONDS]\n"
	       "             [--min-rate BYTES] [--connections-per-address N]\n"
	       "             [--uploads-per-address MB] [--drafts-per-address MB]\n"
	       "             [--sign-in-queue N] [--trusted-proxy ADDR]... [--public-url URL]\n\n"
	       "Serves the JSON API (docs/api.md), the web pages (docs/web.md: the public's\n"
	       "at /o/ORG/, staff's at /staff/), and /healthz and /metrics until SIGTERM or\n"
	       "SIGINT, then stops taking connections, lets requests in flight finish and\n"
	       "exits. Prints 'listening on http://HOST:PORT' once it accepts connections;\n"
	       "logs one JSON line per request on stderr. /metrics answers administrators\n"
	       "only (an API token from `fairhearing token create`). Changes are committed\n"
	       "in batches by one writer and answered once durable. Dead sessions and old\n"
	       "sign-in attempts are deleted at start-up and every 10 minutes.\n\n"
	       "  --db PATH             the database (fairhearing init creates it)\n"
	       "  --listen HOST:PORT    address to listen on; port 0 picks a free port\n"
	       "  --threads N           worker threads, each with its own database\n"
	       "                        connection (default 4)\n"
	       "  --secure-cookies      mark the session cookie Secure even without\n"
	       "                        X-Forwarded-Proto: https (behind a TLS proxy)\n"
	       "  --public-url URL      this server's address as staff reach it\n"
	       "                        (https://complaints.example.gov.uk): single sign-on's\n"
	       "                        redirect URI is URL/staff/sso/callback (docs/sso.md);\n"
	       "                        without it, the request's Host is used\n"
	       "  --max-body BYTES      largest request body accepted (default 1048576;\n"
	       "                        a web form with files takes up to 11534336)\n"
	       "  --session-idle MIN    sign out after this many idle minutes (default 30)\n"
	       "  --session-max HOURS   sign out this long after signing in (default 12)\n"
	       "  --grace SECONDS       how long requests in flight get at shutdown (default 20)\n"
	       "  --timeout SECONDS     close a connection idle for this long, or whose\n"
	       "                        request's headers take longer (with 2 s grace;\n"
	       "                        default 15)\n"
	       "  --request-timeout SECONDS  close a connection whose whole request (headers\n"
	       "                        and body) takes longer to arrive, or on which\n"
	       "                        nothing moves for this long (default 300)\n"
	       "  --min-rate BYTES      close a connection whose body, after its first\n"
	       "                        --timeout seconds, averages fewer bytes a second\n"
	       "                        (default 1024)\n"
	       "  --connections-per-address N  open connections one client address may hold\n"
	       "                        (default 64; a trusted proxy is not limited)\n"
	       "  --uploads-per-address MB  file uploads in flight from one client address\n"
	       "                        (default 40); past it, 429 with Retry-After\n"
	       "  --drafts-per-address MB  supporting documents one client address may keep\n"
	       "                        in unsent public forms (default 32); past it, the\n"
	       "                        form asks them to send the file later instead\n"
	       "  --sign-in-queue N     password checks queued or running at once (default\n"
	       "                        16); past it, a sign-in is answered 503 with\n"
	       "                        Retry-After at once\n"
	       "  --trusted-proxy ADDR  a reverse proxy (exact IPv4 or IPv6 address) whose\n"
	       "                        X-Forwarded-For names the client, for the sign-in\n"
	       "                        throttle, the access log and the per-address limits;\n"
	       "                        repeat for several; nobody else's is believed\n"
	       "  --mail-every SECONDS  how often the sender thread sends the outbox's due\n"
	       "                        email (default 60); it runs when an organisation's\n"
	       "                        file names a relay (policy.email.smtp)\n"
	       "  --no-mail-sender      no sender thread: `fairhearing mail send` from cron\n"
	       "                        sends the outbox instead\n",
	       usage);
}

/* A whole number in [min, max] from text, or false. */
static bool whole(const char *text, long min, long max, long *out)
{
	char *end;
	long v = strtol(text, &end, 10);
	if (!*text || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

int cmd_serve(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		help();
		return CLI_OK;
	}
	enum { O_DB = 256, O_LISTEN, O_THREADS, O_SECURE, O_MAX_BODY, O_IDLE, O_MAX, O_GRACE,
	       O_TIMEOUT, O_REQUEST_TIMEOUT, O_MIN_RATE, O_PER_ADDRESS, O_UPLOADS, O_DRAFTS,
	       O_QUEUE,
	       O_PROXY, O_PUBLIC_URL, O_NO_MAIL, O_MAIL_EVERY };
	static const struct option opts[] = {
		{"db", required_argument, NULL, O_DB},
		{"listen", required_argument, NULL, O_LISTEN},
		{"threads", required_argument, NULL, O_THREADS},
		{"secure-cookies", no_argument, NULL, O_SECURE},
		{"max-body", required_argument, NULL, O_MAX_BODY},
		{"session-idle", required_argument, NULL, O_IDLE},
		{"session-max", required_argument, NULL, O_MAX},
		{"grace", required_argument, NULL, O_GRACE},
		{"timeout", required_argument, NULL, O_TIMEOUT},
		{"request-timeout", required_argument, NULL, O_REQUEST_TIMEOUT},
		{"min-rate", required_argument, NULL, O_MIN_RATE},
		{"connections-per-address", required_argument, NULL, O_PER_ADDRESS},
		{"uploads-per-address", required_argument, NULL, O_UPLOADS},
		{"drafts-per-address", required_argument, NULL, O_DRAFTS},
		{"sign-in-queue", required_argument, NULL, O_QUEUE},
		{"trusted-proxy", required_argument, NULL, O_PROXY},
		{"public-url", required_argument, NULL, O_PUBLIC_URL},
		{"no-mail-sender", no_argument, NULL, O_NO_MAIL},
		{"mail-every", required_argument, NULL, O_MAIL_EVERY},
		{"help", no_argument, NULL, 'h'}, {0}};
	server_config cfg;
	server_config_defaults(&cfg);
	bool mail_sender = true;
	int mail_every = 60;
	int c;
	long v;
	optind = 0;
	while ((c = cli_getopt(argc, argv, opts)) != -1) {
		switch (c) {
		case O_DB: cfg.db_path = optarg; break;
		case O_LISTEN: cfg.listen = optarg; break;
		case O_SECURE: cfg.secure_cookies = true; break;
		case O_PUBLIC_URL:
			if (!oidc_url_allowed(optarg) || optarg[strlen(optarg) - 1] == '/')
				return cli_usage_error(usage, "serve: --public-url: '%s' is not an https:// "
						       "address without a trailing / (http:// only on "
						       "loopback)", optarg);
			cfg.public_url = optarg;
			break;
		case O_THREADS:
			if (!whole(optarg, 1, 256, &v))
				return cli_usage_error(usage, "serve: --threads: '%s' is not 1..256", optarg);
			cfg.threads = (int)v;
			break;
		case O_MAX_BODY:
			if (!whole(optarg, 1024, 64L << 20, &v))
				return cli_usage_error(usage, "serve: --max-body: '%s' is not 1024..67108864",
						       optarg);
			cfg.max_body = (size_t)v;
			break;
		case O_IDLE:
			if (!whole(optarg, 1, 24 * 60, &v))
				return cli_usage_error(usage, "serve: --session-idle: '%s' is not 1..1440 "
						       "minutes", optarg);
			cfg.session_idle_seconds = (int)v * 60;
			break;
		case O_MAX:
			if (!whole(optarg, 1, 24 * 30, &v))
				return cli_usage_error(usage, "serve: --session-max: '%s' is not 1..720 "
						       "hours", optarg);
			cfg.session_absolute_seconds = (int)v * 3600;
			break;
		case O_GRACE:
			if (!whole(optarg, 0, 3600, &v))
				return cli_usage_error(usage, "serve: --grace: '%s' is not 0..3600 seconds",
						       optarg);
			cfg.shutdown_grace_seconds = (int)v;
			break;
		case O_TIMEOUT:
			if (!whole(optarg, 1, 3600, &v))
				return cli_usage_error(usage, "serve: --timeout: '%s' is not 1..3600 seconds",
						       optarg);
			cfg.connection_timeout = (unsigned)v;
			break;
		case O_REQUEST_TIMEOUT:
			if (!whole(optarg, 1, 86400, &v))
				return cli_usage_error(usage, "serve: --request-timeout: '%s' is not "
						       "1..86400 seconds", optarg);
			cfg.request_timeout = (unsigned)v;
			break;
		case O_MIN_RATE:
			if (!whole(optarg, 0, 1L << 30, &v))
				return cli_usage_error(usage, "serve: --min-rate: '%s' is not 0..1073741824 "
						       "bytes a second", optarg);
			cfg.min_rate = (unsigned)v;
			break;
		case O_PER_ADDRESS:
			if (!whole(optarg, 1, 100000, &v))
				return cli_usage_error(usage, "serve: --connections-per-address: '%s' is "
						       "not 1..100000", optarg);
			cfg.per_address_connections = (unsigned)v;
			break;
		case O_UPLOADS:
			if (!whole(optarg, 1, 1L << 20, &v))
				return cli_usage_error(usage, "serve: --uploads-per-address: '%s' is not "
						       "1..1048576 MB", optarg);
			cfg.per_address_upload = (size_t)v << 20;
			break;
		case O_DRAFTS:
			if (!whole(optarg, 1, 1L << 20, &v))
				return cli_usage_error(usage, "serve: --drafts-per-address: '%s' is not "
						       "1..1048576 MB", optarg);
			cfg.per_address_drafts = (size_t)v << 20;
			break;
		case O_QUEUE:
			if (!whole(optarg, 1, 10000, &v))
				return cli_usage_error(usage, "serve: --sign-in-queue: '%s' is not "
						       "1..10000", optarg);
			cfg.sign_in_queue = (unsigned)v;
			break;
		case O_NO_MAIL: mail_sender = false; break;
		case O_MAIL_EVERY:
			if (!whole(optarg, 1, 86400, &v))
				return cli_usage_error(usage, "serve: --mail-every: '%s' is not 1..86400 "
						       "seconds", optarg);
			mail_every = (int)v;
			break;
		case O_PROXY: {
			fh_error perr = {0};
			if (server_config_trust_proxy(&cfg, optarg, &perr))
				return cli_usage_error(usage, "serve: --trusted-proxy: %s", perr.message);
			break;
		}
		case ':':
			return cli_usage_error(usage, "serve: %s needs a value", argv[optind - 1]);
		default:
			return cli_usage_error(usage, "serve: unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(usage, "serve: unexpected argument '%s'", argv[optind]);
	if (!cfg.db_path)
		return cli_usage_error(usage, "serve: --db PATH is required");
	if (!cfg.listen)
		return cli_usage_error(usage, "serve: --listen HOST:PORT is required");
	fh_error err = {0};
	mail_thread mt = {.db = cfg.db_path, .every = mail_every};
	pthread_t sender;
	bool sending = false;
	if (mail_sender && !mail_smtp_start(&err)) {
		pthread_mutex_init(&mt.lock, NULL);
		pthread_cond_init(&mt.wake, NULL);
		sending = pthread_create(&sender, NULL, mail_thread_main, &mt) == 0;
	}
	fh_status s = server_run(&cfg, &err);
	if (sending) {
		pthread_mutex_lock(&mt.lock);
		mt.stop = true;
		pthread_cond_signal(&mt.wake);
		pthread_mutex_unlock(&mt.lock);
		pthread_join(sender, NULL);
		mail_smtp_stop();
	}
	if (s)
		return cli_report(&err);
	return CLI_OK;
}
