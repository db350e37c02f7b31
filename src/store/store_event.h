/*
 * store_event: the audit chain.
 *
 * Every change to anything appends one event, in the change's own
 * transaction, hashed over the event before it (core/hashchain.h), so that
 * altering, inserting or removing any event breaks the chain where it
 * happened.  The head row (audit_head) holds the newest event's id and hash.
 */
#ifndef FH_STORE_EVENT_H
#define FH_STORE_EVENT_H

#include <stdint.h>

#include "store.h"

/*
 * Appends one event to the audit chain inside the caller's transaction
 * (store_begin must be open).  case_id and org_id may be 0 for none.
 * data is a JSON object as text (NULL: "{}").  effective_on NULL: "".
 */
fh_status store_event_append(fh_store *st, int64_t org_id, int64_t case_id,
			     const char *actor, const char *action, const char *reason,
			     const char *effective_on, const char *data, fh_error *err);

/*
 * store_event_append with the data as a jansson object, which it takes
 * (and frees); FH_ENOMEM when data is NULL.
 */
struct json_t;
fh_status store_event_append_json(fh_store *st, int64_t org_id, int64_t case_id,
				  const char *actor, const char *action, const char *reason,
				  const char *effective_on, struct json_t *data, fh_error *err);

/*
 * The id of the newest event in the audit chain.  Every change to anything
 * appends an event, so while this number stands still nothing has
 * changed: the server's cache of rendered cases is checked against it.
 */
fh_status store_audit_head(fh_store *st, int64_t *last_event, fh_error *err);

typedef struct store_audit_report {
	int64_t events_checked;
	int64_t first_bad_event; /* 0 when the chain verifies */
} store_audit_report;

/*
 * Recomputes the hash of every event in order and compares it with the
 * stored one, the chain's links, each case's sequence numbers and the
 * recorded head.  FH_EINTEGRITY with the first bad event when anything was
 * altered, inserted or removed.
 */
fh_status store_audit_verify(fh_store *st, store_audit_report *report, fh_error *err);

#endif
