/*
 * mail_smtp: hands a composed message (mail_message.h) to a mail server
 * over SMTP, with libcurl, for any command that sends mail.
 *
 * One connection per message: the program sends a handful of messages a
 * day, and a connection that failed for one must not be reused for the
 * next.  With a login, or with a CA file to check the server by, an
 * smtp:// server must take STARTTLS before anything is sent (a password
 * never goes over a plain line); smtps:// is TLS from the start.  The
 * server's certificate is always checked.
 *
 * A refusal comes back as a value saying what went wrong, with the
 * library's words for the detail; the caller words it for its own users
 * (a command's options are the command's).  Some refusals are about the
 * message (a recipient refused) and the next message may go; others are
 * about the server (mail_smtp_server_unusable) and would fail every
 * message the same way: a caller stops rather than try again, since a
 * refused login tried once per message can lock the account.
 */
#ifndef FH_MAIL_SMTP_H
#define FH_MAIL_SMTP_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

typedef struct mail_smtp_server {
	const char *url;      /* smtp://HOST:PORT or smtps://HOST:PORT, no user or password in it */
	const char *user;     /* NULL: no login */
	const char *password; /* with user; the caller keeps and wipes it */
	const char *ca_file;  /* a PEM bundle to trust instead of the system's; NULL: the system's */
} mail_smtp_server;

typedef enum mail_smtp_status {
	MAIL_SMTP_SENT = 0,
	MAIL_SMTP_NOT_SENT,      /* this message was not taken (refused, unreachable, timed out) */
	MAIL_SMTP_LOGIN_DENIED,  /* the server refused the login */
	MAIL_SMTP_NO_STARTTLS,   /* TLS was needed and the smtp:// server does not offer it */
	MAIL_SMTP_UNTRUSTED,     /* the server's certificate is not trusted */
	MAIL_SMTP_BAD_CA_FILE,   /* ca_file cannot be used as a CA bundle */
	MAIL_SMTP_TLS_FAILED,    /* the TLS handshake failed */
} mail_smtp_status;

/*
 * Starts and stops the library for the process: call mail_smtp_start once
 * before the first mail_smtp_send, from one thread, and mail_smtp_stop
 * after the last.  FH_ESTORE with words when libcurl cannot start.
 */
fh_status mail_smtp_start(fh_error *err);
void mail_smtp_stop(void);

/*
 * Sends message (CRLF lines, as mail_message_compose writes it) from the
 * envelope sender from to the one recipient to, both plain addresses.
 * Anything but MAIL_SMTP_SENT leaves the library's words for it in detail
 * (size bytes, at least 256 to hold them whole).
 */
mail_smtp_status mail_smtp_send(const mail_smtp_server *server, const char *from, const char *to,
				const char *message, char *detail, size_t size);

/*
 * mail_smtp_send, and the mail server's last answer into reply (reply_size
 * bytes): after MAIL_SMTP_SENT its acceptance ("250 2.0.0 Ok: queued as
 * 4Xb2"), after a refusal the refusal ("451 4.3.0 try again later", or
 * "550 5.1.1 no such user"), whose first digit says whether trying again
 * may help (4) or not (5); "" when the server said nothing.
 */
mail_smtp_status mail_smtp_send_answered(const mail_smtp_server *server, const char *from,
					 const char *to, const char *message, char *detail,
					 size_t size, char *reply, size_t reply_size);

/* True when the status is about the server, not the message: every other
 * message would fail the same way. */
bool mail_smtp_server_unusable(mail_smtp_status s);

#endif
