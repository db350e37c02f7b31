/*
 * mail_imap: takes messages out of an IMAP mailbox with libcurl, for
 * `fairhearing mail fetch` (docs/email.md).
 *
 * A session lists the mailbox's messages by UID, fetches each whole, and
 * moves each to a folder once the caller has kept it, so a message leaves
 * the mailbox only after it is safe in the database.  Listing takes every
 * message not marked deleted, read or not: a message someone opened in their
 * mail program, or one fetched just before a crash, is still taken.
 *
 * The connection is one, kept for the session.  An imaps:// server speaks
 * TLS from the start; an imap:// one must take STARTTLS before the login,
 * except on the loopback address (a mail server on the same machine, and
 * the tests').  The server's certificate is always checked.  The login is a
 * password or an OAuth2 bearer token (SASL XOAUTH2 or OAUTHBEARER, as the
 * server offers: Exchange Online and Google Workspace take these).
 */
#ifndef FH_MAIL_IMAP_H
#define FH_MAIL_IMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct mail_imap_account {
	const char *url;      /* imaps://HOST[:PORT]/MAILBOX or imap://..., MAILBOX URL-encoded; none: INBOX */
	const char *user;
	const char *password; /* one of password and bearer; the caller keeps and wipes it */
	const char *bearer;   /* an OAuth2 access token */
	const char *ca_file;  /* a PEM bundle to trust instead of the system's; NULL: the system's */
} mail_imap_account;

typedef enum mail_imap_status {
	MAIL_IMAP_OK = 0,
	MAIL_IMAP_UNREACHABLE,   /* no answer, a dropped connection, a timeout: try again later */
	MAIL_IMAP_LOGIN_DENIED,
	MAIL_IMAP_NO_STARTTLS,   /* an imap:// server that will not take STARTTLS */
	MAIL_IMAP_UNTRUSTED,     /* the server's certificate is not trusted, or TLS failed */
	MAIL_IMAP_REFUSED,       /* the server said NO or BAD (no such mailbox, ...) */
	MAIL_IMAP_TOO_BIG,       /* a message larger than the caller takes */
	MAIL_IMAP_CHANGED,       /* the mailbox's UIDVALIDITY changed: list again */
} mail_imap_status;

typedef struct mail_imap mail_imap;

/*
 * Checks the account's URL and makes a session, or NULL with the reason in
 * why; nothing is sent until the first call below.  Call after
 * mail_smtp_start (which starts libcurl for the process).
 */
mail_imap *mail_imap_open(const mail_imap_account *account, char *why, size_t size);
void mail_imap_close(mail_imap *im);

/* The mailbox's name as the URL gives it, decoded ("INBOX"). */
const char *mail_imap_mailbox(const mail_imap *im);

/*
 * The UIDs of the mailbox's messages not marked deleted, lowest first
 * (*uids malloc'd, the caller frees), and the mailbox's UIDVALIDITY, which
 * the fetches and moves that follow check.
 */
mail_imap_status mail_imap_list(mail_imap *im, uint32_t *uidvalidity, uint32_t **uids,
				size_t *count, char *detail, size_t size);

/* One message whole (*raw malloc'd); MAIL_IMAP_TOO_BIG past max bytes. */
mail_imap_status mail_imap_fetch(mail_imap *im, uint32_t uid, size_t max, unsigned char **raw,
				 size_t *raw_size, char *detail, size_t size);

/*
 * Moves the message to folder (plain ASCII), made the first time it is
 * needed.  With a server that has no MOVE (RFC 6851), a copy and the
 * original marked deleted and expunged by UID where the server can
 * (UIDPLUS), else left marked deleted, which the listing skips.
 */
mail_imap_status mail_imap_move(mail_imap *im, uint32_t uid, const char *folder, char *detail,
				size_t size);

/* True when the status is about the server or the account, not one message. */
bool mail_imap_session_unusable(mail_imap_status s);

#endif
