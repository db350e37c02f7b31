/*
 * store_freezing: requests to freeze a decision (migration 013; rules in
 * core/freezing).  Each step is one transaction with its case event
 * ('freeze_requested', 'freeze_view', 'freeze_escalated',
 * 'freeze_decided', 'freeze_reviewed'); the events carry the views and the
 * outcome, never the reasons' text.
 */
#ifndef FH_STORE_FREEZING_H
#define FH_STORE_FREEZING_H

#include <jansson.h>

#include "freezing.h"
#include "store.h"

fh_status store_freeze_request(fh_store *st, const char *reference, const char *change,
			       const char *proposal, fh_date requested_on, const char *actor,
			       fh_date today, int64_t *id_out, fh_error *err);

/* A view as complaints_manager or head_of_service; may_act: the caller holds that role. */
fh_status store_freeze_view(fh_store *st, const char *reference, int64_t id, const char *as,
			    bool may_act, const char *view, const char *reason,
			    const char *actor, fh_date today, fh_error *err);

/* The Assistant Director's or Director's decision after a disagreement. */
fh_status store_freeze_decide(fh_store *st, const char *reference, int64_t id, const char *view,
			      const char *reason, const char *actor, fh_date today,
			      fh_error *err);

fh_status store_freeze_review(fh_store *st, const char *reference, int64_t id,
			      fh_date reviewed_on, const char *outcome, const char *note,
			      const char *actor, fh_date today, fh_error *err);

/* The case's requests, oldest first, as a new JSON array. */
fh_status store_freeze_list(fh_store *st, const char *reference, json_t **out, fh_error *err);

#endif
