/*
 * mail_report: two readings of a received message's raw bytes that the
 * parsed message (mail_inbound.h) does not give, for the outbound side of
 * email (docs/email.md):
 *  - whether an automatic answer may answer it at all (RFC 3834 §2): not a
 *    message a machine wrote (mail_inbound's automatic: Auto-Submitted other
 *    than "no", Precedence bulk/list/junk, X-Autoreply, a delivery report),
 *    nor list mail (List-Id), nor one with an empty or MAILER-DAEMON
 *    Return-Path or a From of MAILER-DAEMON or postmaster (a bounce);
 *  - what a delivery report (RFC 3464, multipart/report) says: the
 *    Message-IDs of the message it returns (the Message-ID headers after
 *    the report's own header block: in its text/rfc822-headers or
 *    message/rfc822 part, as Postfix and Exchange return them), the first
 *    Action (failed, delayed, delivered, relayed, expanded) and Status.
 * Both read headers as RFC 5322 writes them, folded lines unfolded; neither
 * decodes a part sent in base64 (a report whose returned headers are in
 * base64 matches nothing and stays in quarantine, said so by the caller).
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
