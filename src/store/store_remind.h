/*
 * store_remind: what `fairhearing remind` reads and records.
 *
 * Need to know (DOMAIN §8): an officer's digest lists only the cases they
 * are assigned to now (an open assignment) in an organisation where they
 * still hold a role, and only while their account is enabled: exactly the
 * cases the server would show them.  A manager's digest lists every
 * overdue case of their organisation, which the manager role may see.
 * Each line is the reference, the stage, the clock and its due date: no
 * names, no summary, nothing about the child (a summary can name one).
 */
#ifndef FH_STORE_REMIND_H
#define FH_STORE_REMIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "error.h"
#include "store.h"

typedef struct store_remind_item {
	const char *reference;
	const char *kind;      /* complaint, comment, ... */
	int stage;             /* 0: the case's own clock (acknowledgement) */
	const char *clock;     /* "response", "acknowledge", ... */
	const char *due_on;    /* YYYY-MM-DD */
	const char *officers;  /* the emails assigned, comma-separated ("" none) */
} store_remind_item;

typedef struct store_remind_person {
	int64_t user_id;
	const char *email;
	const char *name;
} store_remind_person;

/*
 * The people who get a digest in org: kind "officer" (an enabled user with
 * an open assignment on one of its cases and a role in it) or "manager"
 * (an enabled user with the manager role in it).  By email.
 */
fh_status store_remind_people(fh_store *st, int64_t org_id, const char *kind, fh_arena *arena,
			      store_remind_person **people, size_t *count, fh_error *err);

/*
 * Running clocks (not stopped, with a due date) of org's cases due on or
 * before until, by due date: for user_id's open assignments, or every case
 * of the organisation when user_id is 0.
 */
fh_status store_remind_due(fh_store *st, int64_t org_id, int64_t user_id, const char *until,
			   fh_arena *arena, store_remind_item **items, size_t *count,
			   fh_error *err);

/* Whether this digest was already sent for that day. */
fh_status store_remind_was_sent(fh_store *st, int64_t org_id, const char *recipient,
				const char *kind, const char *on, bool *sent, fh_error *err);

/*
 * Records a digest the mail server accepted: its row and a 'reminder_sent'
 * event (recipient, kind, day, the references it listed) in one
 * transaction.  FH_ECONFLICT when it was already recorded for that day.
 */
fh_status store_remind_record(fh_store *st, int64_t org_id, const char *recipient,
			      const char *kind, const char *on, const char *const *references,
			      size_t count, const char *actor, fh_error *err);

#endif
