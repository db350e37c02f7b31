/*
 * store_advocacy: advocacy and access needs on a case (migration 016;
 * rules in core/advocacy).  Each change is one transaction with its case
 * event ('advocacy', 'access_need'); a referral that extends the Stage 1
 * clock runs the lifecycle's 'extend' action in the same transaction, so
 * either both are recorded or neither.
 */
#ifndef FH_STORE_ADVOCACY_H
#define FH_STORE_ADVOCACY_H

#include <jansson.h>

#include "advocacy.h"
#include "store.h"

/*
 * Records a step of advocacy for a person on the case.  service NULL: the
 * organisation's advocacy service.  extend_to > 0 with step "referred":
 * also extend the current stage's response clock to that many units
 * because an advocate is to be appointed (the procedure decides whether
 * it may).
 */
fh_status store_advocacy_step(fh_store *st, const char *reference, int64_t person_id,
			      const char *step, fh_date on, const char *service, int extend_to,
			      const fh_actor *actor, fh_date today, fh_error *err);

fh_status store_access_need_add(fh_store *st, const char *reference, int64_t person_id,
				const char *need, const char *detail, bool arranged,
				fh_date arranged_on, const char *actor, fh_date today,
				fh_error *err);

/* {advocacy: [...], access_needs: [...]} for the case, as a new object. */
fh_status store_advocacy_get(fh_store *st, const char *reference, json_t **out, fh_error *err);

/*
 * For reports: on an organisation's cases received from..to (inclusive ISO
 * dates, NULL: open), advocacy by service (how many offered, referred,
 * taken up, declined, and referrals that extended a clock) and access needs
 * by kind, as a new object {advocacy: [...], access_needs: [...]}.
 */
fh_status store_advocacy_counts(fh_store *st, const char *org_code, const char *from,
				const char *to, json_t **out, fh_error *err);

#endif
