/*
 * server.c: the libmicrohttpd daemon, a request's life, and shutdown.
 *
 * libmicrohttpd calls on_request several times for one request: first with
 * the headers (no body yet), then once per chunk of body, then once more
 * with nothing left to read, when the request is answered.  on_completed
 * runs after the response has been sent (or the client went away); it
 * writes the access line, counts the request and frees it.
 */
#include "server.h"

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/tcp.h> /* struct tcp_info's byte counts, which glibc's header lacks */
#include <microhttpd.h>

#include "authz.h"
#include "casecache.h"
#include "metrics.h"
#include "readlog.h"
#include "routes.h"
#include "slowpool.h"
#include "web.h"
#include "writeq.h"

/* Password checks allowed at once: 2 x 64 MiB at most. */
#define PASSWORD_SLOTS 2

/*
 * One open connection, as the slow-client sweep sees it (sweep()).  A
 * request is "waiting" from the moment the connection can send one (it was
 * accepted, or its last answer went out) until its headers are in; then
 * "body" until the body is in; then "busy" until its answer has gone.
 */
enum { CONN_WAITING, CONN_BODY, CONN_BUSY };
typedef struct conn_track {
	struct conn_track *prev, *next;
	int fd;
	char peer[SERVER_ADDRESS_MAX];   /* who connected */
	char client[SERVER_ADDRESS_MAX]; /* who is asking (the proxy's word, if trusted) */
	bool proxy;                      /* the peer is a trusted proxy */
	int phase;
	struct timespec since;           /* the request's start (see above) */
	uint64_t in_seen;                /* bytes received from the client, as last seen */
	struct timespec in_since;        /* when that count last changed (or an answer went out) */
	struct timespec body_since;      /* when its headers were in */
	size_t received;                 /* body bytes so far */
	size_t upload;                   /* bytes it counts against its address's upload cap */
	bool closing;                    /* shut down by the sweep */
} conn_track;

struct server {
	server_config cfg;
	struct MHD_Daemon *daemon;
	pthread_mutex_t write_lock;
	readlog *reads;
	writeq *writes;
	metrics m;
	sem_t password_slots;
	slowpool *slow;
	atomic_bool stopping;
	pthread_mutex_t track_lock;
	conn_track *tracks;
};

enum { LOG_NONE, LOG_PENDING, LOG_WRITTEN, LOG_FAILED };
enum { SLOW_NONE, SLOW_PENDING, SLOW_DONE };
enum { WRITE_NONE, WRITE_PENDING, WRITE_COMMITTED, WRITE_FAILED };

/* How often dead sessions and old sign-in attempts are deleted. */
#define PRUNE_SECONDS 600

/* Changes a batch may hold: enough to share one flush among every
 * connection a busy server has, small enough to keep a batch short. */
#define WRITE_BATCH_MAX 256

typedef struct request_state {
	http_request req; /* first, so a handler's req leads back to its state */
	fh_arena arena;
	store_access_entry *read;  /* a read to log before answering, or NULL */
	atomic_int log_state;
	route_handler deferred;    /* a change to make on the writer, or NULL */
	atomic_int write_state;
	void (*slow_fn)(http_request *req, void *ctx); /* to run on the pool, or NULL */
	void *slow_ctx;
	bool slow_reserved;        /* holds a place in the pool's queue */
	atomic_int slow_state;
	struct timespec start;
	conn_track *track;         /* this connection's (NULL: none) */
	char *body;
	size_t len, cap;
	int upload_fd;             /* an upload's body goes here, not to memory; -1: none */
	void *mapped;              /* the upload's body, mapped to read; len + 1 bytes */
	bool too_large;
	bool answered;             /* respond() has queued the answer */
	size_t max_body; /* the server's limit, or an upload route's */
	char user[128];
} request_state;

void server_config_defaults(server_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->threads = 4;
	cfg->max_body = 1u << 20;          /* a case with 100 long points fits */
	cfg->max_headers = 64;
	cfg->connection_memory = 64u << 10;
	cfg->connection_timeout = 15;
	cfg->request_timeout = 300;        /* 11 MB of files at 40 kB/s */
	cfg->min_rate = 1024;
	cfg->max_connections = 1000;
	cfg->per_address_connections = 64;
	cfg->per_address_upload = 40u << 20; /* three full forms' files at once */
	cfg->per_address_drafts = 32u << 20; /* two full forms' files, waiting */
	cfg->sign_in_queue = 16;
	cfg->session_idle_seconds = 30 * 60;       /* a desk left unattended */
	cfg->session_absolute_seconds = 12 * 3600; /* one working day */
	cfg->shutdown_grace_seconds = 20;
	cfg->login = STORE_LOGIN_POLICY_DEFAULT;
}

fh_status server_config_trust_proxy(server_config *cfg, const char *address, fh_error *err)
{
	unsigned char raw[sizeof(struct in6_addr)];
	int family = strchr(address, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(family, address, raw) != 1)
		return error_set(err, FH_EINVAL, "trusted-proxy", NULL,
				 "'%s' is not an IPv4 or IPv6 address", address);
	if (cfg->n_trusted_proxies == SERVER_MAX_PROXIES)
		return error_set(err, FH_EINVAL, "trusted-proxy", NULL, "at most %d proxies",
				 SERVER_MAX_PROXIES);
	/* Kept as inet_ntop writes it, the form client addresses are compared in. */
	inet_ntop(family, raw, cfg->trusted_proxies[cfg->n_trusted_proxies++], SERVER_ADDRESS_MAX);
	return FH_OK;
}

static bool is_trusted_proxy(const server_config *cfg, const char *address)
{
	for (size_t i = 0; i < cfg->n_trusted_proxies; i++)
		if (strcmp(cfg->trusted_proxies[i], address) == 0)
			return true;
	return false;
}

const server_config *server_config_of(const server *srv)
{
	return &srv->cfg;
}

struct metrics *server_metrics(server *srv)
{
	return &srv->m;
}

void server_write_counts(server *srv)
{
	uint64_t batches, changes;
	writeq_counts(srv->writes, &batches, &changes);
	atomic_store(&srv->m.write_batches, batches);
	atomic_store(&srv->m.write_changes, changes);
}

void server_write_begin(server *srv)
{
	pthread_mutex_lock(&srv->write_lock);
}

void server_write_end(server *srv)
{
	pthread_mutex_unlock(&srv->write_lock);
}

void server_password_begin(server *srv)
{
	while (sem_wait(&srv->password_slots) != 0 && errno == EINTR)
		;
}

void server_password_end(server *srv)
{
	sem_post(&srv->password_slots);
}

/* ---- one database connection per worker thread ---------------------------- */

static pthread_key_t store_key;
static pthread_once_t store_key_once = PTHREAD_ONCE_INIT;

static void close_thread_store(void *st)
{
	store_access_thread_release();
	casecache_release();
	store_close(st);
}

static void make_store_key(void)
{
	pthread_key_create(&store_key, close_thread_store);
}

/* This thread's connection, opened on first use and closed when the thread ends. */
static fh_store *thread_store(server *srv, fh_error *err)
{
	fh_store *st = pthread_getspecific(store_key);
	if (!st && store_open(srv->cfg.db_path, 0, &st, err) == FH_OK) {
		pthread_setspecific(store_key, st);
		store_access_thread_cache(st);
	}
	return st;
}

/* ---- the access log ----------------------------------------------------------- */

/*
 * The entry is only noted here; once the handler has built its answer the
 * connection is suspended, the entry submitted, and the answer sent when the
 * writer says it is durable (on_logged, then on_request again).
 */
bool server_log_read(http_request *req, int64_t case_id, const char *what, const char *detail)
{
	request_state *rs = (request_state *)(void *)req;
	store_access_entry *e = arena_alloc(req->arena, sizeof *e);
	store_iso_time(time(NULL), e->at);
	e->user_id = req->who ? req->who->user.user_id : 0;
	snprintf(e->actor, sizeof e->actor, "%s", req->who ? req->who->user.email : "anonymous");
	e->case_id = case_id;
	snprintf(e->what, sizeof e->what, "%s", what);
	snprintf(e->detail, sizeof e->detail, "%s", detail ? detail : "");
	snprintf(e->client_ip, sizeof e->client_ip, "%s", req->client_ip);
	rs->read = e;
	return true;
}

static void refuse_unlogged(http_request *req)
{
	/* Whatever was rendered (a cached case is text) must not go out. */
	free(req->text_out);
	req->text_out = NULL;
	http_error(req, 503, "unavailable", NULL,
		   "the read could not be recorded in the access log, so it was refused; "
		   "try again shortly");
}

/* On the writer thread: the read is settled; wake the connection. */
static void on_logged(void *ctx, bool written)
{
	request_state *rs = ctx;
	atomic_store(&rs->log_state, written ? LOG_WRITTEN : LOG_FAILED);
	MHD_resume_connection(rs->req.conn);
}

/* ---- changes, committed in batches -------------------------------------------------- */

bool server_write_defer(http_request *req, void (*handler)(http_request *req))
{
	request_state *rs = (request_state *)(void *)req;
	if (!req->srv->writes)
		return false;
	rs->deferred = handler;
	return true;
}

/* On the writer thread, inside the batch's transaction: the handler runs
 * against the writer's connection; an answer of 400 or more undoes its
 * changes (writeq.h). */
static bool run_change(void *ctx, fh_store *st)
{
	request_state *rs = ctx;
	http_request *req = &rs->req;
	fh_store *own = req->st;
	req->st = st;
	rs->deferred(req);
	req->st = own;
	return req->status > 0 && req->status < 400;
}

/* On the writer thread: the batch is durable (or was not saved); wake the connection. */
static void on_changed(void *ctx, bool committed)
{
	request_state *rs = ctx;
	atomic_store(&rs->write_state, committed ? WRITE_COMMITTED : WRITE_FAILED);
	MHD_resume_connection(rs->req.conn);
}

/* When the writer has stopped (shutting down): the change on this worker,
 * in its own transaction, under the write lock. */
static void change_inline(server *srv, request_state *rs)
{
	pthread_mutex_lock(&srv->write_lock);
	rs->deferred(&rs->req);
	pthread_mutex_unlock(&srv->write_lock);
}

static void refuse_unsaved(http_request *req)
{
	req->location = NULL;
	req->set_cookie = NULL;
	http_error(req, 503, "unavailable", NULL,
		   "the change could not be saved, so nothing of it was kept; try again shortly");
}

/* ---- a request ------------------------------------------------------------------- */

static fh_date today(void)
{
	fh_date d;
	const char *fixed = getenv("FAIRHEARING_TODAY");
	if (fixed && *fixed && date_parse(fixed, &d))
		return d;
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* A socket address as text ("unknown" for anything but IPv4 and IPv6). */
static void address_text(const struct sockaddr *sa, char buf[SERVER_ADDRESS_MAX])
{
	snprintf(buf, SERVER_ADDRESS_MAX, "unknown");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf,
			  SERVER_ADDRESS_MAX);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf,
			  SERVER_ADDRESS_MAX);
}

/* Gathers every X-Forwarded-For line, in order, into one list. */
static enum MHD_Result gather_forwarded(void *cls, enum MHD_ValueKind kind, const char *key,
					const char *value)
{
	(void)kind;
	char *all = cls;
	if (strcasecmp(key, "X-Forwarded-For") == 0 && value) {
		size_t used = strlen(all);
		snprintf(all + used, 1024 - used, "%s%s", used ? "," : "", value);
	}
	return MHD_YES;
}

/*
 * Who is asking.  The peer, unless the peer is a trusted proxy: then the
 * nearest address in X-Forwarded-For that is not itself a trusted proxy
 * (each proxy appends the address it was reached from, so the entries to
 * the left of the last untrusted one are the client's to write, and not to
 * be believed).  A header that does not hold an address there is ignored:
 * the peer it is.  Nobody else's X-Forwarded-For is read at all.
 */
static const char *client_ip(server *srv, struct MHD_Connection *conn, fh_arena *arena)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char peer[SERVER_ADDRESS_MAX];
	address_text(info ? info->client_addr : NULL, peer);
	if (!is_trusted_proxy(&srv->cfg, peer))
		return arena_strdup(arena, peer);
	char all[1024] = "";
	MHD_get_connection_values(conn, MHD_HEADER_KIND, gather_forwarded, all);
	char *entry = all + strlen(all);
	while (entry > all) {
		char *comma = entry;
		while (comma > all && comma[-1] != ',')
			comma--;
		char *start = comma, *end = entry;
		while (start < end && (*start == ' ' || *start == '\t'))
			start++;
		while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		*end = '\0';
		unsigned char raw[sizeof(struct in6_addr)];
		char text[SERVER_ADDRESS_MAX];
		int family = strchr(start, ':') ? AF_INET6 : AF_INET;
		if (inet_pton(family, start, raw) != 1)
			break;
		inet_ntop(family, raw, text, sizeof text);
		if (!is_trusted_proxy(&srv->cfg, text))
			return arena_strdup(arena, text);
		entry = comma > all ? comma - 1 : all;
	}
	return arena_strdup(arena, peer);
}

static void add_header(struct MHD_Response *r, const char *name, const char *value)
{
	if (value)
		MHD_add_response_header(r, name, value);
}

/* Sends what the handler (or an early refusal) put in req. */
static enum MHD_Result respond(server *srv, request_state *rs)
{
	http_request *req = &rs->req;
	if (!req->status)
		http_error(req, 500, "internal", NULL, "the request was not answered");
	/* A page's failure is a page (a refusal before dispatch included). */
	web_failure_page(req);
	char *body = NULL;
	size_t len = 0;
	const char *type = "application/json";
	const char *disposition = NULL; /* only with the body it describes */
	if (req->text_out) {
		body = req->text_out;
		req->text_out = NULL;
		type = req->content_type ? req->content_type : "text/plain; charset=utf-8";
		len = req->text_len;
		disposition = req->content_disposition;
	} else if (req->out) {
		body = json_dumps(req->out, JSON_COMPACT);
		if (!body)
			return MHD_NO;
	}
	if (body && !len)
		len = strlen(body);
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body ? body : (void *)"",
		body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	if (body)
		add_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	/* Personal data must not linger in caches between a user and the server;
	 * only a handler that serves nothing personal (the stylesheet) says otherwise. */
	add_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
		   req->cache_control ? req->cache_control : "no-store");
	add_header(r, "X-Content-Type-Options", "nosniff");
	if (body && strncmp(type, "text/html", 9) == 0) {
		add_header(r, "Content-Security-Policy", WEB_CSP);
		add_header(r, "Referrer-Policy", "no-referrer");
		add_header(r, "X-Frame-Options", "DENY");
	}
	add_header(r, MHD_HTTP_HEADER_LOCATION, req->location);
	add_header(r, MHD_HTTP_HEADER_CONTENT_DISPOSITION, disposition);
	add_header(r, MHD_HTTP_HEADER_SET_COOKIE, req->set_cookie);
	for (size_t i = 0; i < sizeof req->more_cookies / sizeof req->more_cookies[0]; i++)
		add_header(r, MHD_HTTP_HEADER_SET_COOKIE, req->more_cookies[i]);
	add_header(r, MHD_HTTP_HEADER_ALLOW, req->allow);
	if (req->www_authenticate)
		add_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"fairhearing\"");
	if (req->retry_after > 0) {
		char seconds[16];
		snprintf(seconds, sizeof seconds, "%d", req->retry_after);
		add_header(r, MHD_HTTP_HEADER_RETRY_AFTER, seconds);
	}
	if (atomic_load(&srv->stopping))
		add_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	rs->answered = true;
	enum MHD_Result ok = MHD_queue_response(req->conn, (unsigned)req->status, r);
	MHD_destroy_response(r);
	return ok;
}

static void handle(server *srv, request_state *rs)
{
	http_request *req = &rs->req;
	fh_error err = {0};
	req->st = thread_store(srv, &err);
	if (!req->st) {
		fprintf(stderr, "fairhearing: serve: cannot open the database: %s\n", err.message);
		if (strcmp(req->path, "/healthz") == 0) /* its own documented answer */
			http_json(req, 503, json_pack("{ss ss}", "status", "unavailable", "reason",
						      "the database does not answer"));
		else
			http_error(req, 503, "unavailable", NULL, "the database is not available");
		return;
	}
	req->today = today();
	routes_dispatch(req, &srv->write_lock, srv->cfg.session_idle_seconds);
	if (req->who)
		snprintf(rs->user, sizeof rs->user, "%s", req->who->user.email);
}

/* ---- slow clients ------------------------------------------------------------------ */

static double seconds_since(const struct timespec *then, const struct timespec *now)
{
	return (double)(now->tv_sec - then->tv_sec) + (double)(now->tv_nsec - then->tv_nsec) / 1e9;
}

/* Bytes received on the connection so far (0 if the kernel does not say). */
static uint64_t bytes_in(int fd)
{
	struct tcp_info info;
	socklen_t len = sizeof info;
	memset(&info, 0, sizeof info);
	if (fd < 0 || getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) != 0)
		return 0;
	return info.tcpi_bytes_received;
}

static conn_track *track_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return info ? info->socket_context : NULL;
}

/* Opened and closed connections, so that sweep() can see them all. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	server *srv = cls;
	conn_track *t = *socket_context;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		t = calloc(1, sizeof *t);
		if (!t)
			return;
		const union MHD_ConnectionInfo *fd =
			MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		const union MHD_ConnectionInfo *addr =
			MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		t->fd = fd ? fd->connect_fd : -1;
		address_text(addr ? addr->client_addr : NULL, t->peer);
		memcpy(t->client, t->peer, sizeof t->client);
		t->proxy = is_trusted_proxy(&srv->cfg, t->peer);
		t->phase = CONN_WAITING;
		clock_gettime(CLOCK_MONOTONIC, &t->since);
		t->in_since = t->since;
		t->in_seen = bytes_in(t->fd);
		pthread_mutex_lock(&srv->track_lock);
		t->next = srv->tracks;
		if (t->next)
			t->next->prev = t;
		srv->tracks = t;
		pthread_mutex_unlock(&srv->track_lock);
		*socket_context = t;
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED && t) {
		/* libmicrohttpd closes the socket after this returns: while t is in
		 * the list (under the lock) its fd is the connection's own. */
		pthread_mutex_lock(&srv->track_lock);
		if (t->prev)
			t->prev->next = t->next;
		else
			srv->tracks = t->next;
		if (t->next)
			t->next->prev = t->prev;
		pthread_mutex_unlock(&srv->track_lock);
		free(t);
		*socket_context = NULL;
	}
}

/*
 * Refuses a connection from an address that already holds its share (a
 * trusted proxy speaks for many clients and has no share).  The count may
 * run one or two over when connections arrive on several workers at once.
 */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t len)
{
	(void)len;
	server *srv = cls;
	char peer[SERVER_ADDRESS_MAX];
	address_text(addr, peer);
	if (is_trusted_proxy(&srv->cfg, peer))
		return MHD_YES;
	unsigned open = 0;
	pthread_mutex_lock(&srv->track_lock);
	for (const conn_track *t = srv->tracks; t; t = t->next)
		open += strcmp(t->peer, peer) == 0;
	pthread_mutex_unlock(&srv->track_lock);
	return open < srv->cfg.per_address_connections ? MHD_YES : MHD_NO;
}

/*
 * Every second, on the main thread: closes each connection that is idle,
 * or whose request is arriving too slowly.  A connection from which
 * nothing has come for the connection timeout (since it opened, its last
 * byte, or its last answer) is closed quietly, a kept-alive connection no
 * longer used among them; a request's headers must be in within the
 * connection timeout of its start
 * (and two seconds), the whole request within the request timeout, and
 * after its first connection-timeout seconds the body must average at
 * least min_rate bytes a second: one byte every few seconds must not hold
 * a connection for ever.  shutdown() from this thread makes the
 * connection's worker see the end of it and close it in the ordinary way.
 *
 * A connection with bytes waiting that no worker has read yet is left
 * alone: the server is then behind (its workers busy, or starved of the
 * CPU), not the client, and closing it would reset a connection on which a
 * request is being sent.  That is also why libmicrohttpd's own timeout,
 * which on waking closes such a connection unread, is only the request
 * timeout (server_run()): for a connection that moves nothing at all.
 *
 * One race is left, and it is every HTTP/1.1 server's: a client may send
 * its next request on a kept-alive connection just as the idle close goes
 * out (before it has seen the server's FIN), and then gets a reset or an
 * empty answer.  The server has read nothing of that request and done
 * nothing for it; RFC 9112 §9.3.1 leaves it to the client to send it again
 * on a new connection, as browsers do by themselves (the browser tests' API
 * requests ask for it: tests/browser/harness.js, maxRetries).  Node's
 * http.Agent (version 20) ignores a Keep-Alive: timeout hint, so none is sent.
 */
static void sweep(server *srv)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	const server_config *c = &srv->cfg;
	pthread_mutex_lock(&srv->track_lock);
	for (conn_track *t = srv->tracks; t; t = t->next) {
		if (t->closing || t->fd < 0 || t->phase == CONN_BUSY)
			continue;
		double total = seconds_since(&t->since, &now);
		uint64_t in = bytes_in(t->fd);
		if (in != t->in_seen) {
			t->in_seen = in;
			t->in_since = now;
		}
		/* Nothing received for the timeout: closed quietly. */
		bool idle = seconds_since(&t->in_since, &now) > c->connection_timeout;
		const char *why = NULL;
		/* Two seconds' grace past the timeout: what is left has been trickling. */
		if (t->phase == CONN_WAITING && total > c->connection_timeout + 2)
			why = "its headers took too long";
		else if (t->phase == CONN_BODY && total > c->request_timeout)
			why = "its request took too long";
		else if (t->phase == CONN_BODY) {
			double body = seconds_since(&t->body_since, &now);
			if (body > c->connection_timeout && (double)t->received < body * c->min_rate)
				why = "its body is arriving too slowly";
		}
		/* Bytes no worker has read yet: looked at again in a second. */
		int unread = 0;
		if ((!why && !idle) || (ioctl(t->fd, FIONREAD, &unread) == 0 && unread > 0))
			continue;
		t->closing = true;
		shutdown(t->fd, SHUT_RDWR);
		if (why && !idle)
			fprintf(stderr, "fairhearing: serve: closed a connection from %s: %s\n",
				t->client, why);
	}
	pthread_mutex_unlock(&srv->track_lock);
}

/*
 * Whether an upload of bytes more from this connection's client stays
 * within its address's cap; counts them when it does.
 */
static bool upload_fits(server *srv, conn_track *track, size_t bytes)
{
	if (!track)
		return true;
	pthread_mutex_lock(&srv->track_lock);
	size_t held = 0;
	for (const conn_track *t = srv->tracks; t; t = t->next)
		if (strcmp(t->client, track->client) == 0)
			held += t->upload;
	bool fits = held + bytes <= srv->cfg.per_address_upload;
	if (fits)
		track->upload += bytes;
	pthread_mutex_unlock(&srv->track_lock);
	return fits;
}

static void track_phase(server *srv, conn_track *t, int phase)
{
	if (!t)
		return;
	pthread_mutex_lock(&srv->track_lock);
	t->phase = phase;
	if (phase == CONN_BODY) {
		clock_gettime(CLOCK_MONOTONIC, &t->body_since);
		t->received = 0;
	} else if (phase == CONN_WAITING) {
		clock_gettime(CLOCK_MONOTONIC, &t->since);
		t->in_since = t->since;
		t->in_seen = bytes_in(t->fd);
		t->received = 0;
		t->upload = 0;
	}
	pthread_mutex_unlock(&srv->track_lock);
}

/* An upload's body to a file nobody else can open (unlinked at once). */
static int upload_file(void)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	char path[4096];
	snprintf(path, sizeof path, "%s/fairhearing-upload-XXXXXX", dir);
	int fd = mkstemp(path);
	if (fd >= 0)
		unlink(path);
	return fd;
}

static bool write_all(int fd, const char *data, size_t n)
{
	while (n) {
		ssize_t w = write(fd, data, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		data += w;
		n -= (size_t)w;
	}
	return true;
}

/*
 * The upload's body for the handlers: the file mapped to read (pages the
 * kernel can drop), with a NUL after it as every body has.
 */
static bool map_upload(request_state *rs)
{
	if (!write_all(rs->upload_fd, "", 1))
		return false;
	void *m = mmap(NULL, rs->len + 1, PROT_READ, MAP_PRIVATE, rs->upload_fd, 0);
	if (m == MAP_FAILED)
		return false;
	rs->mapped = m;
	rs->body = NULL;
	return true;
}

/*
 * HTTP/1.1 (RFC 9112 §6.3): a body's length is told once.  Two
 * Content-Length headers, or one with Transfer-Encoding, are how a request
 * is smuggled past a proxy that reads the other one; such a request is
 * refused, not guessed at.
 */
static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind, const char *key,
				     const char *value)
{
	(void)kind;
	(void)value;
	int *n = cls;
	if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0)
		n[0]++;
	else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0)
		n[1]++;
	return MHD_YES;
}

static request_state *begin(server *srv, struct MHD_Connection *conn, const char *url,
			    const char *method)
{
	request_state *rs = calloc(1, sizeof *rs);
	if (!rs)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &rs->start);
	atomic_init(&rs->log_state, LOG_NONE);
	http_request *req = &rs->req;
	req->arena = &rs->arena;
	req->conn = conn;
	req->srv = srv;
	req->method = arena_strdup(&rs->arena, method);
	req->path = arena_strdup(&rs->arena, url);
	req->log_path = routes_log_path(url, &rs->arena);
	req->body = "";
	req->client_ip = client_ip(srv, conn, &rs->arena);
	rs->upload_fd = -1;
	atomic_init(&rs->slow_state, SLOW_NONE);
	const char *proto = http_header(req, "X-Forwarded-Proto");
	req->secure = srv->cfg.secure_cookies || (proto && strcmp(proto, "https") == 0);
	atomic_fetch_add(&srv->m.in_flight, 1);
	return rs;
}

static enum MHD_Result finish(server *srv, request_state *rs, struct MHD_Connection *conn);

bool server_offload_begin(http_request *req)
{
	request_state *rs = (request_state *)(void *)req;
	/* No pool once shutdown has drained the requests in flight: a late
	 * request on a kept-alive connection is told to come back. */
	if (rs->slow_reserved || (req->srv->slow && slowpool_reserve(req->srv->slow))) {
		rs->slow_reserved = true;
		return true;
	}
	req->retry_after = 5;
	http_error(req, 503, "busy", NULL,
		   "too many sign-ins are being checked at the moment; try again in a few seconds");
	return false;
}

void server_offload(http_request *req, void (*fn)(http_request *req, void *ctx), void *ctx)
{
	request_state *rs = (request_state *)(void *)req;
	assert(rs->slow_reserved);
	rs->slow_fn = fn;
	rs->slow_ctx = ctx;
}

/* On a pool thread: the slow part, against this thread's own connection. */
static void run_slow(void *ctx)
{
	request_state *rs = ctx;
	http_request *req = &rs->req;
	fh_store *own = req->st;
	fh_error err = {0};
	req->st = thread_store(req->srv, &err);
	if (req->st)
		rs->slow_fn(req, rs->slow_ctx);
	else
		http_error(req, 503, "unavailable", NULL, "the database is not available");
	req->st = own;
	rs->slow_fn = NULL;
	atomic_store(&rs->slow_state, SLOW_DONE);
	MHD_resume_connection(req->conn);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	(void)version;
	server *srv = cls;
	request_state *rs = *con_cls;
	if (!rs) {
		rs = begin(srv, conn, url, method);
		if (!rs)
			return MHD_NO;
		*con_cls = rs;
		http_request *req = &rs->req;
		/* Refused before any body is read: the connection then closes. */
		int headers = MHD_get_connection_values(conn, MHD_HEADER_KIND, NULL, NULL);
		if (headers > (int)srv->cfg.max_headers) {
			http_error(req, 431, "too_many_headers", NULL, "at most %u header lines",
				   srv->cfg.max_headers);
			return respond(srv, rs);
		}
		int framing[2] = {0, 0};
		MHD_get_connection_values(conn, MHD_HEADER_KIND, count_framing, framing);
		if (framing[0] > 1 || (framing[0] && framing[1])) {
			http_error(req, 400, "bad_request", NULL, framing[0] > 1
				   ? "more than one Content-Length header"
				   : "both Content-Length and Transfer-Encoding");
			return respond(srv, rs);
		}
		rs->track = track_of(conn);
		if (rs->track) {
			pthread_mutex_lock(&srv->track_lock);
			snprintf(rs->track->client, sizeof rs->track->client, "%s", req->client_ip);
			pthread_mutex_unlock(&srv->track_lock);
		}
		track_phase(srv, rs->track, CONN_BODY);
		rs->max_body = routes_body_limit(req, srv->cfg.max_body);
		const char *length = http_header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);
		unsigned long long declared = length ? strtoull(length, NULL, 10) : 0;
		if (length && declared > rs->max_body) {
			rs->too_large = true;
			http_error(req, 413, "payload_too_large", NULL,
				   "the body is larger than %zu bytes", rs->max_body);
			return respond(srv, rs);
		}
		if (routes_is_upload(req)) {
			/* Counted as declared, up front; a chunked one as it comes. */
			if (!upload_fits(srv, rs->track, (size_t)declared)) {
				req->retry_after = 30;
				http_error(req, 429, "too_many_uploads", NULL,
					   "too many uploads at once from this address; try again "
					   "shortly");
				return respond(srv, rs);
			}
			rs->upload_fd = upload_file();
			if (rs->upload_fd < 0) {
				http_error(req, 503, "unavailable", NULL,
					   "the server cannot take files at the moment");
				return respond(srv, rs);
			}
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		if (rs->track) {
			pthread_mutex_lock(&srv->track_lock);
			rs->track->received += n;
			pthread_mutex_unlock(&srv->track_lock);
		}
		if (rs->too_large || rs->req.status)
			return MHD_YES;
		if (rs->len + n > rs->max_body) {
			/* A chunked body has no length up front: stop keeping it. */
			rs->too_large = true;
			free(rs->body);
			rs->body = NULL;
			rs->len = rs->cap = 0;
			return MHD_YES;
		}
		if (rs->upload_fd >= 0) {
			const char *length = http_header(&rs->req, MHD_HTTP_HEADER_CONTENT_LENGTH);
			if (!length && !upload_fits(srv, rs->track, n)) {
				rs->req.retry_after = 30;
				http_error(&rs->req, 429, "too_many_uploads", NULL,
					   "too many uploads at once from this address; try again "
					   "shortly");
				return MHD_YES;
			}
			if (!write_all(rs->upload_fd, upload_data, n)) {
				http_error(&rs->req, 503, "unavailable", NULL,
					   "the server cannot take files at the moment");
				return MHD_YES;
			}
			rs->len += n;
			return MHD_YES;
		}
		if (rs->len + n + 1 > rs->cap) {
			size_t cap = rs->cap ? rs->cap : 1024;
			while (cap < rs->len + n + 1)
				cap *= 2;
			char *bigger = realloc(rs->body, cap);
			if (!bigger)
				return MHD_NO;
			rs->body = bigger;
			rs->cap = cap;
		}
		memcpy(rs->body + rs->len, upload_data, n);
		rs->len += n;
		rs->body[rs->len] = '\0';
		return MHD_YES;
	}
	if (atomic_load(&rs->slow_state) == SLOW_DONE) {
		/* Resumed: the slow part ran on the pool and answered. */
		atomic_store(&rs->slow_state, SLOW_NONE);
		return finish(srv, rs, conn);
	}
	int written = atomic_load(&rs->write_state);
	if (written == WRITE_COMMITTED || written == WRITE_FAILED) {
		/* Resumed: the change's batch is durable (or nothing of it was kept). */
		atomic_store(&rs->write_state, WRITE_NONE);
		rs->deferred = NULL;
		if (written == WRITE_FAILED && (!rs->req.status || rs->req.status < 400))
			refuse_unsaved(&rs->req);
		return finish(srv, rs, conn);
	}
	int logged = atomic_load(&rs->log_state);
	if (logged == LOG_WRITTEN || logged == LOG_FAILED) {
		/* Resumed: the read is on record (or could not be put there). */
		atomic_store(&rs->log_state, LOG_NONE);
		if (logged == LOG_FAILED)
			refuse_unlogged(&rs->req);
		return respond(srv, rs);
	}
	if (rs->answered)
		return MHD_YES; /* already answered (an early refusal) */
	track_phase(srv, rs->track, CONN_BUSY);
	if (rs->req.status) /* refused while the body came (an upload) */
		return respond(srv, rs);
	if (rs->too_large) {
		http_error(&rs->req, 413, "payload_too_large", NULL,
			   "the body is larger than %zu bytes", rs->max_body);
		return respond(srv, rs);
	}
	if (rs->upload_fd >= 0 && rs->len && !map_upload(rs)) {
		http_error(&rs->req, 503, "unavailable", NULL,
			   "the server cannot take files at the moment");
		return respond(srv, rs);
	}
	if (rs->mapped) {
		rs->req.body = rs->mapped;
		rs->req.body_len = rs->len;
	} else if (rs->body) {
		rs->req.body = rs->body;
		rs->req.body_len = rs->len;
	}
	handle(srv, rs);
	if (rs->slow_fn) {
		/* Answered once the pool has run it: run_slow, then here again. */
		atomic_store(&rs->slow_state, SLOW_PENDING);
		rs->slow_reserved = false;
		MHD_suspend_connection(conn);
		slowpool_submit(srv->slow, run_slow, rs);
		return MHD_YES;
	}
	if (rs->slow_reserved) {
		slowpool_release(srv->slow);
		rs->slow_reserved = false;
	}
	if (rs->deferred) {
		/* Answered once its batch is durable: on_changed, then here again. */
		atomic_store(&rs->write_state, WRITE_PENDING);
		MHD_suspend_connection(conn);
		if (writeq_submit(srv->writes, run_change, on_changed, rs))
			return MHD_YES;
		MHD_resume_connection(conn);
		atomic_store(&rs->write_state, WRITE_NONE);
		change_inline(srv, rs);
		rs->deferred = NULL;
	}
	return finish(srv, rs, conn);
}

/* After the handler (and its change, if any): log the read, if there is one
 * and it succeeded, before the answer goes out. */
static enum MHD_Result finish(server *srv, request_state *rs, struct MHD_Connection *conn)
{
	if (rs->read && rs->req.status < 400) {
		atomic_store(&rs->log_state, LOG_PENDING);
		MHD_suspend_connection(conn);
		if (readlog_submit(srv->reads, rs->read, on_logged, rs))
			return MHD_YES;
		MHD_resume_connection(conn);
		atomic_store(&rs->log_state, LOG_NONE);
		refuse_unlogged(&rs->req);
	}
	return respond(srv, rs);
}

/* One JSON line per request on stderr, written with one write() so that
 * lines from different workers never interleave. */
static void access_line(const request_state *rs, double ms)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	struct tm tm;
	gmtime_r(&now.tv_sec, &tm);
	char at[40];
	size_t n = strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(at + n, sizeof at - n, ".%03ldZ", now.tv_nsec / 1000000);
	json_t *line = json_pack("{ss ss ss si sf ss}", "time", at, "method", rs->req.method,
				 "path", rs->req.log_path, "status", rs->req.status, "ms", ms,
				 "user", rs->user);
	char *text = line ? json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER |
					     JSON_REAL_PRECISION(5)) : NULL;
	json_decref(line);
	if (!text)
		return;
	size_t len = strlen(text);
	text[len] = '\n';
	ssize_t w = write(STDERR_FILENO, text, len + 1);
	(void)w;
	free(text);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)toe;
	server *srv = cls;
	request_state *rs = *con_cls;
	if (!rs)
		return;
	*con_cls = NULL;
	struct timespec end;
	clock_gettime(CLOCK_MONOTONIC, &end);
	double seconds = (double)(end.tv_sec - rs->start.tv_sec) +
			 (double)(end.tv_nsec - rs->start.tv_nsec) / 1e9;
	metrics_observe(&srv->m, rs->req.status, seconds);
	access_line(rs, seconds * 1000);
	json_decref(rs->req.json);
	json_decref(rs->req.out);
	free(rs->req.text_out);
	arena_free(&rs->arena);
	free(rs->body);
	if (rs->mapped)
		munmap(rs->mapped, rs->len + 1);
	if (rs->upload_fd >= 0)
		close(rs->upload_fd);
	if (rs->slow_reserved)
		slowpool_release(srv->slow);
	track_phase(srv, track_of(conn), CONN_WAITING);
	free(rs);
	atomic_fetch_sub(&srv->m.in_flight, 1);
}

static void mhd_log(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	fprintf(stderr, "fairhearing: serve: http: %s\n", msg);
}

/* ---- starting and stopping -------------------------------------------------------- */

/* HOST:PORT (or [V6]:PORT) to a socket address. */
static fh_status resolve(const char *listen, struct sockaddr_storage *addr, fh_error *err)
{
	const char *colon = listen ? strrchr(listen, ':') : NULL;
	if (!colon || colon == listen || !colon[1])
		return error_set(err, FH_EINVAL, "listen", NULL,
				 "'%s' is not HOST:PORT (for example 127.0.0.1:8080)",
				 listen ? listen : "");
	char host[256], port[16];
	const char *h = listen;
	size_t hlen = (size_t)(colon - listen);
	if (h[0] == '[' && hlen >= 2 && h[hlen - 1] == ']') {
		h++;
		hlen -= 2;
	}
	char *end;
	long p = strtol(colon + 1, &end, 10);
	if (hlen >= sizeof host || *end || p < 0 || p > 65535)
		return error_set(err, FH_EINVAL, "listen", NULL, "'%s': the port must be 0..65535",
				 listen);
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	snprintf(port, sizeof port, "%ld", p);
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				 .ai_flags = AI_PASSIVE | AI_NUMERICSERV}, *res;
	int rc = getaddrinfo(host, port, &hints, &res);
	if (rc != 0)
		return error_set(err, FH_EINVAL, "listen", NULL, "cannot listen on '%s': %s", listen,
				 gai_strerror(rc));
	memset(addr, 0, sizeof *addr);
	memcpy(addr, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	return FH_OK;
}

/* ---- pruning what would grow for ever ------------------------------------------- */

static void prune_now(server *srv, fh_store *st)
{
	int64_t sessions = 0, attempts = 0;
	fh_error err = {0};
	if (store_auth_prune(st, time(NULL), srv->cfg.session_idle_seconds, &srv->cfg.login,
			     &sessions, &attempts, &err))
		fprintf(stderr, "fairhearing: serve: pruning sessions: %s\n", err.message);
	else if (sessions || attempts)
		fprintf(stderr, "fairhearing: serve: pruned %lld dead sessions and %lld old "
			"sign-in attempts\n", (long long)sessions, (long long)attempts);
}

/* On the writer, as one more change of a batch. */
static bool prune_job(void *ctx, fh_store *st)
{
	prune_now(ctx, st);
	return true;
}

static void prune_done(void *ctx, bool committed)
{
	(void)ctx;
	(void)committed;
}

/*
 * Lets requests in flight finish, up to the grace period.  A connection
 * accepted just before the signal may not have had its request read yet,
 * so it is not counted in flight: open connections get a moment (half a
 * second at most) to become requests before the count decides.
 */
static void drain(server *srv)
{
	struct timespec step = {0, 10 * 1000 * 1000};
	for (int settle = 0; settle < 50; settle++) {
		const union MHD_DaemonInfo *info =
			MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		if (!info || info->num_connections == 0 || atomic_load(&srv->m.in_flight) > 0)
			break;
		nanosleep(&step, NULL);
	}
	for (int waited = 0; atomic_load(&srv->m.in_flight) > 0 &&
			     waited < srv->cfg.shutdown_grace_seconds * 100; waited++)
		nanosleep(&step, NULL);
}

fh_status server_run(const server_config *cfg, fh_error *err)
{
	if (cfg->threads < 1 || cfg->threads > 256)
		return error_set(err, FH_EINVAL, "threads", NULL, "must be 1..256");
	struct sockaddr_storage addr;
	fh_status s = resolve(cfg->listen, &addr, err);
	if (s)
		return s;
	store_threads_init();
#ifdef __GLIBC__
	/* A worker thread's malloc arena gives memory back to the kernel as soon
	 * as 128 KiB lies free at its top (glibc's default), and takes it again
	 * for the next statement: SQLite's page cache and a page's buffers cycle
	 * through that on every request, and a staff dashboard spent most of its
	 * time in the page faults and TLB flushes (docs/performance.md, "The
	 * team dashboard and malloc"). Keeping up to 4 MiB free in each arena
	 * stops it; the memory is reused, and the peak is unchanged. */
	mallopt(M_TRIM_THRESHOLD, 4 << 20);
#endif
	/* Open once here: this applies any pending migration before a worker
	 * starts, and refuses a bad file with a clear message. */
	fh_store *probe;
	if ((s = store_open(cfg->db_path, 0, &probe, err)))
		return s;

	server *srv = calloc(1, sizeof *srv);
	if (!srv) {
		store_close(probe);
		return error_set(err, FH_ENOMEM, NULL, NULL, "out of memory");
	}
	srv->cfg = *cfg;
	prune_now(srv, probe); /* then every PRUNE_SECONDS, on the writer */
	store_close(probe);
	metrics_init(&srv->m);
	pthread_mutex_init(&srv->write_lock, NULL);
	sem_init(&srv->password_slots, 0, PASSWORD_SLOTS);
	pthread_mutex_init(&srv->track_lock, NULL);
	srv->slow = slowpool_start(PASSWORD_SLOTS, cfg->sign_in_queue);
	if (!srv->slow)
		s = error_set(err, FH_ENOMEM, NULL, NULL, "cannot start the password checks' threads");
	atomic_init(&srv->stopping, false);
	pthread_once(&store_key_once, make_store_key);
	if (!s)
		s = readlog_start(cfg->db_path, &srv->write_lock, &srv->reads, err);
	if (!s)
		s = writeq_start(cfg->db_path, &srv->write_lock, WRITE_BATCH_MAX, &srv->writes, err);

	/* The signals are taken by sigwait below, so every thread (the workers
	 * inherit this mask) leaves them alone. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC |
			 MHD_USE_ERROR_LOG | MHD_USE_TURBO | MHD_ALLOW_SUSPEND_RESUME;
	if (addr.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (!s) {
		srv->daemon = MHD_start_daemon(flags, 0, on_accept, srv, on_request, srv,
			MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, /* first, to catch every message */
			MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
			MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
			MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->connection_memory,
			/* the idle close is sweep()'s, which reads first */
			MHD_OPTION_CONNECTION_TIMEOUT, cfg->request_timeout,
			MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections,
			MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
			MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv,
			MHD_OPTION_END);
		if (!srv->daemon)
			s = error_set(err, FH_ESTORE, "listen", NULL, "cannot listen on %s: %s",
				      cfg->listen, strerror(errno));
	}
	if (!s) {
		const union MHD_DaemonInfo *info =
			MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
		char host[INET6_ADDRSTRLEN] = "";
		if (addr.ss_family == AF_INET6)
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&addr)->sin6_addr, host,
				  sizeof host);
		else
			inet_ntop(AF_INET, &((struct sockaddr_in *)&addr)->sin_addr, host, sizeof host);
		printf("listening on http://%s%s%s:%u (%d worker threads)\n",
		       addr.ss_family == AF_INET6 ? "[" : "", host,
		       addr.ss_family == AF_INET6 ? "]" : "", info ? info->port : 0, cfg->threads);
		fflush(stdout);

		int sig;
		struct timespec every = {1, 0};
		for (int tick = 1; (sig = sigtimedwait(&stop, NULL, &every)) < 0; tick++) {
			if (errno != EAGAIN)
				continue;
			sweep(srv);
			if (tick % PRUNE_SECONDS == 0 &&
			    !writeq_submit(srv->writes, prune_job, prune_done, srv))
				fprintf(stderr, "fairhearing: serve: pruning sessions: the writer is "
					"not taking changes\n");
		}
		fprintf(stderr, "fairhearing: serve: %s: no new connections; finishing requests "
			"in flight\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
		atomic_store(&srv->stopping, true);
		MHD_socket listener = MHD_quiesce_daemon(srv->daemon);
		if (listener != MHD_INVALID_SOCKET)
			close(listener);
		drain(srv);
		slowpool_stop(srv->slow); /* nothing is left for it: drained */
		srv->slow = NULL;
		writeq_stop(srv->writes); /* from now on a change runs on its worker */
		int left = atomic_load(&srv->m.in_flight);
		if (left > 0)
			fprintf(stderr, "fairhearing: serve: %d requests still running after %d s; "
				"stopping anyway\n", left, cfg->shutdown_grace_seconds);
	}
	if (srv->daemon)
		MHD_stop_daemon(srv->daemon); /* joins the workers: their stores close */
	slowpool_stop(srv->slow);
	readlog_stop(srv->reads);
	writeq_free(srv->writes);
	pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
	sem_destroy(&srv->password_slots);
	pthread_mutex_destroy(&srv->track_lock);
	pthread_mutex_destroy(&srv->write_lock);
	free(srv);
	if (!s)
		fprintf(stderr, "fairhearing: serve: stopped\n");
	return s;
}
