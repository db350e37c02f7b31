/*
 * store_joint: contributions and liaisons for joint complaints (migration
 * 010; rules in core/joint).  Each change is one transaction with its case
 * event ('contribution_requested', 'contribution_received',
 * 'liaison_recorded').  store_case_act refuses 'issue_response' while a
 * team's contribution to the current stage is outstanding.
 */
#ifndef FH_STORE_JOINT_H
#define FH_STORE_JOINT_H

#include <jansson.h>

#include "joint.h"
#include "store.h"

/* Asks team_name (of the case's organisation) for its contribution to the current stage. */
fh_status store_contribution_request(fh_store *st, const char *reference, const char *team_name,
				     fh_date requested_on, const char *actor, fh_date today,
				     fh_error *err);

fh_status store_contribution_received(fh_store *st, const char *reference, int64_t id,
				      fh_date received_on, const char *actor, fh_date today,
				      fh_error *err);

fh_status store_liaison_add(fh_store *st, const char *reference, const char *organisation,
			    const char *responder, fh_date liaised_on, bool customer_told,
			    fh_date customer_told_on, const char *actor, fh_date today,
			    fh_error *err);

/* {contributions: [...], liaisons: [...]} for the case, as a new object. */
fh_status store_joint_get(fh_store *st, const char *reference, json_t **out, fh_error *err);

/*
 * Inside the caller's transaction: FH_ERULE (001 §13.1) when a team's
 * contribution to the case's stage is outstanding.
 */
fh_status store_joint_check_response(fh_store *st, int64_t case_id, int stage, fh_error *err);

#endif
