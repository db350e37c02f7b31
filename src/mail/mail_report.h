/*
 * mail_report: two readings of a received message's raw bytes that the
 * parsed message (mail_inbound.h) does not give, for the outbound side of
 * email (docs/email.md):
 *  - whether an automatic answer may answer it at all (RFC 3834 §2): not a
 *    message a machine wrote (mail_inbound's automatic: Auto-Submitted other
 *    than "no", Precedence bulk/list/junk, X-Autoreply, a delivery report),
 *    nor list mail (List-Id), nor one with an empty or MAILER-DAEMON
 *    Return-Path or a From of MAILER-DAEMON or postmaster (a bounce);
 *  - what a delivery report (RFC 3464, multipart/report) says, read with
 *    GMime part by part, each part's transfer encoding undone first (some
 *    Exchange and Google reports send their parts in base64): the
 *    Message-IDs of the message it returns (its text/rfc822-headers or
 *    message/rfc822 part, as Postfix and Exchange return them; RFC 6533's
 *    message/global-headers and message/global too), and from its
 *    message/delivery-status part the first Action (failed, delayed,
 *    delivered, relayed, expanded), Status and Final-Recipient.  A report's
 *    Original-Envelope-Id is not read: Fairhearing's sender sets no ENVID
 *    (libcurl's SMTP has no way to), so any envelope id in a report is
 *    someone else's.  Text outside those parts (the notice people read) is
 *    not read at all, so it cannot name a message.
 * Headers are read as RFC 5322 writes them, folded lines unfolded.
 * mail_inbound_start must have started GMime.
 */
#ifndef FH_MAIL_REPORT_H
#define FH_MAIL_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "mail_inbound.h"

/*
 * False when no automatic answer may go to this message, with *why naming
 * the header that says so (a static string); true when one may.  m is the
 * message as mail_inbound_parse read it.
 */
bool mail_may_autoreply(const void *raw, size_t size, const mail_inbound *m, const char **why);

enum { MAIL_REPORT_MAX_IDS = 8 };

typedef struct mail_report {
	const char **original_ids; /* without <>, in arena */
	size_t n_original_ids;
	const char *action;        /* lower case; "" when the report has none */
	const char *status;        /* "5.1.1"; "" */
	const char *recipient;     /* Final-Recipient's address; "" */
} mail_report;

/* What a delivery report says (everything "" or empty for any other message). */
void mail_report_read(const void *raw, size_t size, fh_arena *arena, mail_report *out);

#endif
