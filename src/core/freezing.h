/*
 * freezing: deferring ("freezing") a proposed change of placement or
 * service while a complaint about it is considered (001 §11).
 *
 * The rules:
 *  - a request names the change (placement or service) and what is
 *    proposed; a case has one undecided request at a time;
 *  - the decision is the Complaints & Information Manager's and the Head
 *    of Service's together (001 §11.2): each gives a view, freeze or not;
 *  - there is a presumption in favour of freezing (001 §11.3): a view or
 *    decision against it must give the good reason (for example the risk
 *    to the child of staying where they are);
 *  - when the two agree, that is the outcome; when they disagree, the
 *    Assistant Director or Director decides (001 §11.4), and only then;
 *  - a decided freeze is reviewed (maintained or reversed) with a note.
 * Pure rules: who may act as what is passed in.
 */
#ifndef FH_FREEZING_H
#define FH_FREEZING_H

#include <stdbool.h>

#include "date.h"
#include "error.h"

extern const char *const FREEZING_CHANGES[];   /* placement, service */
extern const char *const FREEZING_VIEWS[];     /* freeze, not_freeze */
extern const char *const FREEZING_DECIDERS[];  /* complaints_manager, head_of_service */
extern const char *const FREEZING_REVIEWS[];   /* maintained, reversed */

typedef struct freezing_state {
	const char *cim_view; /* NULL: not given yet */
	const char *hos_view;
	bool escalated;       /* the two disagreed */
	const char *outcome;  /* NULL, "frozen" or "not_frozen" */
} freezing_state;

fh_status freezing_check_request(const char *change, const char *proposal, fh_date requested_on,
				 fh_date today, bool open_request, fh_error *err);

/*
 * A view given as `as` (complaints_manager or head_of_service); may_act is
 * whether the caller holds that role.  On FH_OK, *outcome is what the two
 * views now decide ("frozen", "not_frozen") or NULL (waiting for the other,
 * or escalated when *escalate).
 */
fh_status freezing_check_view(const freezing_state *st, const char *as, bool may_act,
			      const char *view, const char *reason, const char **outcome,
			      bool *escalate, fh_error *err);

/* The Assistant Director's or Director's decision after a disagreement. */
fh_status freezing_check_decision(const freezing_state *st, const char *view, const char *reason,
				  fh_error *err);

/* A review of a decided request. */
fh_status freezing_check_review(const freezing_state *st, const char *outcome, const char *note,
				fh_date reviewed_on, fh_date today, fh_error *err);

#endif
