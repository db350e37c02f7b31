/*
 * mail_sender: sends what waits in the outbox (store_outbox.h), for
 * `fairhearing mail send` (cron) and serve's sender thread.
 *
 * One message at a time: claimed in a transaction of its own, written
 * (mail_message: an acknowledgement marked Auto-Submitted: auto-replied
 * and threaded onto the message it answers; a letter with its PDF,
 * rendered from the stored letter, attached when the organisation says
 * so), sent over SMTP with no transaction open, and recorded: sent with
 * the server's answer, or queued again with backoff after a temporary
 * refusal (4xx, no answer), or failed after a permanent one (5xx) or the
 * last retry.  The relay is the organisation's (policy.email.smtp in its
 * file); the password, when it logs in, is FAIRHEARING_SMTP_PASSWORD.
 */
#ifndef FH_MAIL_SENDER_H
#define FH_MAIL_SENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "store.h"

typedef struct mail_sender_counts {
	int sent, retrying, failed, errors;
} mail_sender_counts;

/*
 * Sends every message due now (at most limit; 0: no limit) as claimer
 * (e.g. "mail-send:HOST:PID"), saying what happened to each on log (NULL:
 * nothing).  FH_OK unless the database failed (then err says why); a
 * message that could not be sent is counted, not an error.
 */
fh_status mail_sender_run(fh_store *st, const char *claimer, int limit, FILE *log,
			  mail_sender_counts *counts, fh_error *err);

/* True when some organisation of the database has a relay in its file. */
bool mail_sender_configured(fh_store *st);

#endif
