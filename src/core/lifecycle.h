/*
 * lifecycle: a case moving through its procedure, one action at a time.
 *
 * The state of a case's handling (its route, stage, every clock, the people
 * assigned, findings, reports, the panel, mediation, the Ombudsman) is one
 * JSON document, changed only by lifecycle_apply.  Each action is checked
 * against the procedure and the current state, and refused with the rule
 * and its source when the policy forbids it; otherwise it returns the new
 * state and the event to record.  Nothing here reads a clock or a file:
 * "today", the calendar and the procedures are passed in, so the rules can
 * be tested to the day with plain function calls, and a case's state can be
 * rebuilt by applying its recorded events again.
 *
 * The actions, their parameters and their rules are listed in
 * docs/procedures.md; lifecycle_action() gives the same table to code.
 *
 * Refusals use: FH_EINVAL (a parameter is missing or malformed; field names
 * it), FH_ECONFLICT (the action is not allowed in the case's current state),
 * FH_ERULE (the procedure forbids it; source names the rule), FH_EFORBIDDEN
 * (the actor does not hold a role that may do it).
 */
#ifndef FH_LIFECYCLE_H
#define FH_LIFECYCLE_H

#include <jansson.h>

#include "calendar.h"
#include "model.h"
#include "procedure.h"
#include "triage.h"

/* What the rules need to know of the case record. */
typedef struct lifecycle_case {
	const char *kind;
	bool anonymous;
	fh_date received_on;
	const char *relationship; /* the complainant's, "" when none */
	const char *child_status; /* the child's, "" when none */
	const char *consent;      /* the child's consent to a representative: not_needed, given, ... */
	/* 001 §14.3: the date of the earliest written, signed consent to share
	 * personal information for independent consideration recorded on the
	 * case; consent_to_share false when there is none */
	bool consent_to_share;
	fh_date consent_to_share_on;
	size_t n_points;
	const fh_point *points;
} lifecycle_case;

/*
 * What the store found of a user an action names (assign's user): assign
 * refuses a user who does not exist, who holds no role in the case's
 * organisation, or, for a role the procedure wants independent of the
 * organisation, whom no administrator marked independent of it.
 */
typedef struct lifecycle_person {
	const char *email;
	bool in_org;      /* holds a role in the case's organisation */
	bool independent; /* marked independent of the organisation (user_independence) */
} lifecycle_person;

typedef struct lifecycle_ctx {
	const lifecycle_case *kase;
	const fh_procedure *proc;             /* the case's procedure; NULL until triage */
	const fh_procedure *const *org_procs; /* the organisation's procedures, for triage */
	size_t n_org_procs;
	/* working days as reg 2 of SI 2006/1738 defines them: weekends and the
	 * region's bank holidays, never the organisation's closure days */
	const fh_calendar *cal;
	/* the organisation's calendar with its closure days, for the clocks of
	 * a procedure whose file says closure days count (closure_days); NULL:
	 * cal */
	const fh_calendar *cal_closures;
	const fh_actor *actor;
	fh_date today;
	/* the users the action names, as the store found them; a user not
	 * listed here does not exist (store_case_act looks up assign's user) */
	const lifecycle_person *people;
	size_t n_people;
	/* the organisation's words for the reasons triage may find a complaint
	 * not considered (its file's policy.triage); none: the codes alone */
	const triage_wording *exclusion_wording;
	size_t n_exclusion_wording;
	/* who may take each action, where the organisation's file says
	 * (policy.actions: {"accept": ["complaints_team", ...]}): the roles
	 * listed replace the action's own; NULL or an action not listed: the
	 * action's own roles (docs/procedures.md) */
	const json_t *action_roles;
} lifecycle_ctx;

typedef struct lifecycle_outcome {
	json_t *state;       /* the new state: the caller owns it */
	json_t *event;       /* what to record: {"params": ..., "result": ...}; caller owns */
	fh_date effective_on;
	const fh_procedure *chosen; /* set when triage chose the case's procedure */
	bool confidential;   /* the event holds text the customer never sees */
} lifecycle_outcome;

typedef struct lifecycle_action_info {
	const char *name;
	const char *summary;
	const char *params; /* the parameters, as documentation */
} lifecycle_action_info;

/*
 * The actions, in the table's order (docs/procedures.md lists them the same
 * way): lifecycle_action(i) for every i below lifecycle_action_count().  The
 * table is constant data, so any thread may read it at any time.
 */
size_t lifecycle_action_count(void);
const lifecycle_action_info *lifecycle_action(size_t i);

/*
 * True when action is one of the table's and reads the parameter param
 * (a name of its info.params): the check lifecycle_apply makes of every
 * parameter, for a form or a client to make of its fields beforehand.
 */
bool lifecycle_action_takes(const char *action, const char *param);

/*
 * True when an organisation's file may say who takes the action
 * (lifecycle_ctx.action_roles): those whose roles are a list of their own,
 * not the stage's responder or a report's author alone.
 */
bool lifecycle_action_roles_settable(const char *action);

/* The state of a newly recorded case (before triage); caller owns it. */
json_t *lifecycle_initial_state(const lifecycle_ctx *ctx);

/*
 * Applies action with params (a JSON object; NULL for none) to state.  On
 * FH_OK, *out holds the new state and the event; on refusal nothing is
 * allocated and err says why.  state is not modified.
 */
fh_status lifecycle_apply(const lifecycle_ctx *ctx, const json_t *state, const char *action,
			  const json_t *params, lifecycle_outcome *out, fh_error *err);

/*
 * Every clock that is running or waiting, with its due date and where it
 * stands today: [{"stage", "clock", "start", "due", "limit", "unit", "taken",
 * "left", "overdue", "stopped", "source"}].  Caller owns the array.
 */
json_t *lifecycle_deadlines(const lifecycle_ctx *ctx, const json_t *state);

/*
 * The actions allowed now for this actor, as a JSON array of names: those
 * that only their parameters stand in the way of (lifecycle_apply with no
 * parameters, dated today, succeeds or fails with FH_EINVAL).  Caller owns it.
 */
json_t *lifecycle_allowed(const lifecycle_ctx *ctx, const json_t *state);

/*
 * What the case still needs before its current stage can go on, as JSON
 * [{"field", "source", "message"}] (caller owns it), so a page can say so
 * before anyone tries: today, the written consent to share that a stage
 * naming consent_to_share waits for before the case goes to those roles
 * (001 §14.3), while it is not recorded; and, at a stage naming
 * subject_response (003), the people complained about not yet told of the
 * complaint and given the chance to respond (field "person").
 */
json_t *lifecycle_missing(const lifecycle_ctx *ctx, const json_t *state);

/*
 * The same list found the long way, by applying every action to a copy of
 * the state: the definition lifecycle_allowed must agree with (the tests
 * compare them).  Caller owns it.
 */
json_t *lifecycle_allowed_by_trial(const lifecycle_ctx *ctx, const json_t *state);

/* True when the state records complaint point seq as withdrawn (withdraw_point). */
bool lifecycle_point_withdrawn(const json_t *state, int seq);

/*
 * The state without what the customer must never see: the Investigating
 * Officer's confidential addendum (001 B Stage 2) and what was said in
 * mediation (001 §15.3).  Caller owns it.
 */
json_t *lifecycle_public_view(const json_t *state);

/*
 * The words actions take, for the forms that offer them (NULL-ended):
 * sufficient interest decided (001 §7.5), who offers or ends mediation
 * (001 §15), how mediation ends, proceedings that suspend a complaint
 * (001 §9.3), findings, the reports of Stage 2 (001 B), how a response was
 * sent, and the Ombudsman's outcomes.  Extension reasons are the
 * procedure's (proc_clock.extension_reasons).
 */
extern const char *const LIFECYCLE_INTEREST[];
extern const char *const LIFECYCLE_PARTIES[];
extern const char *const LIFECYCLE_MEDIATION_OUTCOMES[];
extern const char *const LIFECYCLE_PROCEEDINGS[];
extern const char *const LIFECYCLE_FINDINGS[];
extern const char *const LIFECYCLE_REPORTS[];
extern const char *const LIFECYCLE_SENT_BY[];
extern const char *const LIFECYCLE_OMBUDSMAN_OUTCOMES[];

#endif
