/*
 * store_behaviour: warnings, restrictions, their reviews and appeals, on a
 * person (migration 012; rules in core/behaviour).
 *
 * Every change is one transaction with an organisation-level audit event
 * ('behaviour_warning', 'behaviour_restriction', 'behaviour_review',
 * 'behaviour_appeal', 'behaviour_appeal_answered') naming the person and
 * restriction but never the evidence or grounds; the decision on whether a
 * restriction applies to a case is an event of that case
 * ('restriction_decision').
 */
#ifndef FH_STORE_BEHAVIOUR_H
#define FH_STORE_BEHAVIOUR_H

#include <jansson.h>

#include "behaviour.h"
#include "store.h"

fh_status store_behaviour_warn(fh_store *st, const char *org_code, int64_t person_id,
			       fh_date issued_on, const char *evidence, const char *change,
			       const char *actor, fh_date today, int64_t *id_out, fh_error *err);

/* r->warned is the store's to fill in (a warning issued on or before r->starts_on). */
fh_status store_behaviour_restrict(fh_store *st, const char *org_code, int64_t person_id,
				   const behaviour_restriction *r, const char *actor,
				   fh_date today, int64_t *id_out, fh_error *err);

/*
 * Records a review of the restriction (the earliest one still due): continue,
 * lift (from reviewed_on), or extend to new_ends_on (the reviews still to
 * come are rescheduled).
 */
fh_status store_behaviour_review(fh_store *st, const char *org_code, int64_t restriction_id,
				 fh_date reviewed_on, const char *outcome, const char *note,
				 fh_date new_ends_on, const char *exceptional_reason,
				 const char *actor, fh_date today, fh_error *err);

/* A person of the organisation's name as it is shown (the staff person
 * page's heading), in arena: "" once anonymised; FH_ENOTFOUND naming
 * "person" when they are not the organisation's. */
fh_status store_person_name(fh_store *st, const char *org_code, int64_t person_id,
			    fh_arena *arena, const char **name, fh_error *err);

/* The person a restriction of the organisation is about. */
fh_status store_restriction_person(fh_store *st, const char *org_code, int64_t restriction_id,
				   int64_t *person_id, fh_error *err);

/* Records an appeal (Level 3); its answer falls due ten working days later. */
fh_status store_behaviour_appeal(fh_store *st, const char *org_code, int64_t restriction_id,
				 fh_date received_on, const char *grounds, const char *actor,
				 fh_date today, fh_date *due_out, fh_error *err);

/* Answers the appeal; 'lifted' ends the restriction on answered_on. */
fh_status store_behaviour_answer(fh_store *st, const char *org_code, int64_t restriction_id,
				 fh_date answered_on, const char *outcome, const char *answer,
				 bool ombudsman_explained, const char *actor, fh_date today,
				 fh_error *err);

/*
 * Everything recorded about a person's behaviour, as JSON: warnings,
 * restrictions (each with its reviews, appeal and decisions on cases) and
 * the deadlines still open (reviews due, an appeal to answer).  A new
 * reference in *out.
 */
fh_status store_behaviour_person(fh_store *st, const char *org_code, int64_t person_id,
				 json_t **out, fh_error *err);

/*
 * Every behaviour deadline still open in the organisation as of today,
 * soonest first ({what: review | appeal_answer | restriction_end, person,
 * restriction, kind, due_on, overdue}), as a new array: the reviews and
 * appeals the complaints manager must not miss, and when each restriction
 * not lifted ends (behaviour_deadlines_as_of: an end is never overdue, and
 * one past is left out).
 */
fh_status store_behaviour_deadlines(fh_store *st, const char *org_code, fh_date today,
				    json_t **out, fh_error *err);

/*
 * The restrictions of everyone on a case, for the case's JSON: each with
 * whether it was in force when the case was received, the decision on
 * whether it applies to this case, and decision_needed when it was in
 * force and nobody has decided.  A new array in *out.
 */
fh_status store_case_restrictions(fh_store *st, int64_t case_id, json_t **out, fh_error *err);

/* Records whether restriction_id applies to the case (Appendix A "New complaints"). */
fh_status store_case_restriction_decide(fh_store *st, const char *reference,
					int64_t restriction_id, bool applies, const char *reason,
					const char *actor, fh_date today, fh_error *err);

#endif
