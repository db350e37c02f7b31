/*
 * cli_mail: what the mail commands share (cmd_mail.c: receive and the
 * dispatcher; cmd_mail_fetch.c: fetch).  Their exit statuses are
 * sysexits.h's, because a mail server or cron's mail reads them.
 */
#ifndef FH_CLI_MAIL_H
#define FH_CLI_MAIL_H

#include <stddef.h>

#include "arena.h"
#include "date.h"
#include "model.h"
#include "store.h"

/* The largest message taken: well above a mail server's usual limit (Postfix's is 10 MB). */
#define MAIL_RECEIVE_MAX ((size_t)64 << 20)

/*
 * The database and the organisation a mail command works on, or the exit
 * status after saying why: EX_CONFIG for the installation's mistake (no
 * such organisation, a database this binary cannot use), else EX_TEMPFAIL.
 */
int cli_mail_open(const char *db, const char *org_code, fh_arena *arena, fh_store **st,
		  fh_org *org);

/*
 * One received message kept: parsed, made a contact or a reply or kept in
 * quarantine, in one transaction with its audit event (by actor, naming
 * source when not NULL); what it became printed after prefix.  EX_OK, or
 * EX_TEMPFAIL after saying why (the database refused or failed).  Between
 * mail_inbound_start and mail_inbound_stop, called once for the process.
 */
int cli_mail_keep(fh_store *st, const fh_org *org, fh_date today, const unsigned char *raw,
		  size_t size, const char *actor, const char *source, const char *prefix);

/* fairhearing mail fetch (argv[0] "fetch"). */
int cmd_mail_fetch(int argc, char **argv);

#endif
