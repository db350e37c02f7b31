/*
 * server: Fairhearing over HTTP (libmicrohttpd).
 *
 * Shape: libmicrohttpd runs a pool of worker threads, each with its own
 * epoll loop and its own database connection (opened on first use; fh_store
 * is single-threaded).  A request gets an arena that lives until its
 * response has been sent.  Slow or malformed clients cannot hold a worker:
 * workers are event-driven, a connection idle for the timeout is closed,
 * one whose headers, body or whole request arrive too slowly is closed by
 * a sweep once a second (docs/security.md), connections and uploads in
 * flight are capped per client address, headers must fit a fixed
 * per-connection memory budget, a body larger than the limit is refused
 * (413) without being read, an upload's body goes to a temporary file, not
 * to memory, and a request whose length is told twice (two Content-Length,
 * or Content-Length with Transfer-Encoding) is refused (400).  Password
 * checks, the one slow thing a request may ask for without signing in, run
 * on a small pool of their own (server_offload), never on a worker.
 *
 * The client's address is the connection's peer, or, from a proxy named in
 * trusted_proxies only, the address X-Forwarded-For gives.
 *
 * Writes inside this process are serialised by one mutex (the store is
 * SQLite: one writer at a time), so a writer waits on a lock rather than
 * sleeping in SQLite's busy handler.  A route that changes data
 * (ROUTE_WRITES) does not run on its worker at all: its handler runs on the
 * group-commit writer (writeq.h), with other requests' changes in one
 * transaction, and the request is answered once that transaction is
 * committed; the worker serves other connections meanwhile.
 *
 * Shutdown: SIGTERM or SIGINT stops accepting connections, lets requests in
 * flight finish (up to a grace period), flushes the access log and closes.
 *
 * Each request ends with one JSON line on stderr: time, method, path (never
 * the query string, which may hold a name being searched for), status,
 * duration in ms, and the signed-in user.  Passwords, tokens and cookies are
 * never logged.
 */
#ifndef FH_SERVER_H
#define FH_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "http.h"
#include "store.h"
#include "store_auth.h"

enum { SERVER_MAX_PROXIES = 16, SERVER_ADDRESS_MAX = 46 /* INET6_ADDRSTRLEN */ };

typedef struct server_config {
	const char *db_path;
	const char *listen;          /* HOST:PORT; port 0 picks a free one */
	int threads;                 /* worker threads (>= 1) */
	size_t max_body;             /* bytes; larger bodies get 413 */
	unsigned max_headers;        /* more header lines than this get 431 */
	size_t connection_memory;    /* per-connection buffer for headers and reads */
	unsigned connection_timeout; /* seconds a connection may sit idle, and the most
				      * its request's headers may take to arrive */
	unsigned request_timeout;    /* seconds a whole request may take to arrive */
	unsigned min_rate;           /* bytes a second a body must average, after its
				      * first connection_timeout seconds */
	unsigned max_connections;
	unsigned per_address_connections; /* open connections from one client address */
	size_t per_address_upload;   /* upload bytes in flight from one client address */
	size_t per_address_drafts;   /* bytes of files one client address may keep
				      * waiting in drafts of the public form */
	unsigned sign_in_queue;      /* password checks queued or running at most */
	/* Proxies (exact addresses) whose X-Forwarded-For names the client;
	 * nobody else's is believed. */
	char trusted_proxies[SERVER_MAX_PROXIES][SERVER_ADDRESS_MAX];
	size_t n_trusted_proxies;
	int session_idle_seconds;
	int session_absolute_seconds;
	bool secure_cookies;         /* always mark the session cookie Secure */
	const char *public_url;      /* the address staff reach this server at, no trailing /
				      * (single sign-on's redirect URI); NULL: the request's Host */
	int shutdown_grace_seconds;  /* how long requests in flight get to finish */
	store_login_policy login;
} server_config;

/* Sensible defaults for everything but db_path and listen. */
void server_config_defaults(server_config *cfg);

/*
 * Adds a trusted proxy's address (IPv4 or IPv6, written any way inet_pton
 * takes); FH_EINVAL naming "trusted-proxy" when it is not an address or
 * there are too many.
 */
fh_status server_config_trust_proxy(server_config *cfg, const char *address, fh_error *err);

/*
 * Serves until SIGTERM or SIGINT.  Prints "listening on http://HOST:PORT"
 * on stdout once it accepts connections (with the real port when 0 was
 * asked for).  FH_OK after a clean shutdown.
 */
fh_status server_run(const server_config *cfg, fh_error *err);

/* ---- for handlers ---- */

const server_config *server_config_of(const server *srv);

/*
 * Logs a read of personal data by the caller and waits until it is durable.
 * False (and a 503 answer) when it could not be written: the data must not
 * be sent then.
 */
bool server_log_read(http_request *req, int64_t case_id, const char *what, const char *detail);

/*
 * For routes_dispatch: the handler of a route that changes data is to run
 * on the writer thread, its change committed with others in one batch
 * (writeq.h), and the request answered once that batch is durable.  False
 * when the server has no writer: the caller then runs the handler itself,
 * under the write lock.
 */
bool server_write_defer(http_request *req, void (*handler)(http_request *req));

/* The request counters, for /metrics. */
struct metrics;
struct metrics *server_metrics(server *srv);

/* Copies the writer's batch counts into server_metrics(srv). */
void server_write_counts(server *srv);

/* The write lock, for a handler that writes only part of the time (sign-in). */
void server_write_begin(server *srv);
void server_write_end(server *srv);

/*
 * Password checks cost ~64 MiB and a tenth of a second each (argon2id);
 * at most a few run at once, so a burst of password changes cannot exhaust
 * memory.  (Sign-ins do not wait here: server_offload.)
 */
void server_password_begin(server *srv);
void server_password_end(server *srv);

/*
 * Slow work off the worker (a sign-in's password check).  A handler first
 * calls server_offload_begin: false when the queue is full, req then
 * answered 503 with Retry-After.  Then, having done its quick part, it
 * hands fn(req, ctx) to server_offload and returns: the connection is
 * suspended, fn runs on a pool thread (req->st then that thread's own
 * connection) and must answer req; the answer is sent from the worker.  A
 * place taken and not used is given back when the handler returns.
 */
bool server_offload_begin(http_request *req);
void server_offload(http_request *req, void (*fn)(http_request *req, void *ctx), void *ctx);

#endif
