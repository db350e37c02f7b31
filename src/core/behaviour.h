/*
 * behaviour: the rules for managing unreasonably persistent and
 * unacceptable behaviour (DOMAIN §6; 001 §19 and Appendix A).
 *
 * They apply to a person, not a case: a warning or a restriction follows
 * the customer onto every case they are on.  The levels:
 *  - Level 1, a formal warning, with the evidence for the concern and how
 *    the behaviour needs to change (Appendix A "Level 1");
 *  - Level 2, a restriction of contact of one of the Appendix's kinds, with
 *    why, from when and until when; it follows a warning unless the
 *    behaviour was threatening or abusive or so extreme as to need
 *    immediate action (Appendix A "NB" and "Level 2").  Most last three to
 *    six months; a longer one is exceptional and says why;
 *  - reviews: before the end of the restriction, and when it runs longer
 *    than six months, every three months (Appendix A "Review of complaints
 *    or customers"; "reviewed on a quarterly basis");
 *  - Level 3, an appeal, answered by a senior manager within ten working
 *    days, the answer explaining the right to go to the Ombudsman;
 *  - a new complaint from a restricted customer is judged on its merits:
 *    the complaints manager decides whether the restriction applies to it
 *    (Appendix A "New complaints"; no blanket ignoring).
 *
 * Pure rules: dates and calendars are passed in.
 */
#ifndef FH_BEHAVIOUR_H
#define FH_BEHAVIOUR_H

#include <stdbool.h>
#include <stddef.h>

#include "calendar.h"
#include "date.h"
#include "error.h"

/* 001 Appendix A "Examples of restrictions", and "refuse all contact" */
extern const char *const BEHAVIOUR_RESTRICTION_KINDS[];
/* 001 Appendix A: when a restriction may come without a warning */
extern const char *const BEHAVIOUR_WITHOUT_WARNING[];
extern const char *const BEHAVIOUR_REVIEW_OUTCOMES[]; /* continue, lift, extend */
extern const char *const BEHAVIOUR_APPEAL_OUTCOMES[]; /* upheld, varied, lifted */

#define BEHAVIOUR_MAX_REVIEWS 16

/*
 * The periods are one organisation's policy, from its file's
 * policy.behaviour (docs/organisations.md): BCT's are 001 Appendix A's
 * (6 months usual at most, reviews every 3 months of a longer one, appeals
 * answered within 10 working days).  An organisation whose file sets none
 * has no periods to apply, so it may warn (Level 1) but cannot restrict
 * contact or take an appeal until it sets them: the functions below that
 * need a period refuse a NULL policy with FH_ERULE on "policy.behaviour".
 */
typedef struct behaviour_policy {
	int usual_months;        /* a restriction longer than this is exceptional */
	int review_months;       /* a longer one is reviewed this often */
	int appeal_working_days; /* an appeal is answered within this */
	const char *source;      /* "001 Appendix A" */
} behaviour_policy;

/* FH_OK when policy is set; else FH_ERULE saying the organisation sets none. */
fh_status behaviour_need_policy(const behaviour_policy *policy, fh_error *err);

/* date plus n calendar months; a day past the month's end becomes its last day. */
fh_date behaviour_add_months(fh_date date, int months);

/* A Level 1 warning issued on issued_on, with its evidence and the change asked for. */
fh_status behaviour_check_warning(const char *evidence, const char *change, fh_date issued_on,
				  fh_date today, fh_error *err);

typedef struct behaviour_restriction {
	const char *kind;
	const char *detail;             /* the terms: "calls on Tuesdays 10-12 only" */
	const char *reason;             /* why (the letter says why) */
	fh_date starts_on, ends_on;
	const char *without_warning;    /* NULL/"" or one of BEHAVIOUR_WITHOUT_WARNING */
	const char *exceptional_reason; /* required when longer than six months */
	bool warned;                    /* the store: a warning was given before starts_on */
} behaviour_restriction;

fh_status behaviour_check_restriction(const behaviour_restriction *r,
				      const behaviour_policy *policy, fh_date today, fh_error *err);

/*
 * The dates reviews fall due for a restriction from starts_on to ends_on:
 * up to policy's usual months, one, the day before it ends; longer, every
 * review_months from the start and the day before it ends.  Returns how
 * many (at most max) written to out, in order.
 */
size_t behaviour_review_dates(const behaviour_policy *policy, fh_date starts_on, fh_date ends_on,
			      fh_date *out, size_t max);

/* When an appeal received on received_on must be answered. */
fh_status behaviour_appeal_due(const fh_calendar *cal, const behaviour_policy *policy,
			       fh_date received_on, fh_date *due, fh_error *err);

/* Whether an appeal against a restriction may be recorded. */
fh_status behaviour_check_appeal(fh_date received_on, bool lifted, bool already_appealed,
				 const char *grounds, fh_date today, fh_error *err);

/* Whether an appeal may be answered so. */
fh_status behaviour_check_answer(bool appealed, bool already_answered, fh_date received_on,
				 fh_date answered_on, const char *outcome, const char *answer,
				 bool ombudsman_explained, fh_date today, fh_error *err);

/*
 * Whether a review may be recorded: the restriction not lifted, the outcome
 * one of continue, lift, extend; an extension to new_ends_on (after the
 * current end) longer than policy's usual months in all needs
 * exceptional_reason.
 */
fh_status behaviour_check_review(const behaviour_policy *policy, bool lifted,
				 fh_date starts_on, fh_date ends_on,
				 fh_date reviewed_on, const char *outcome, const char *note,
				 fh_date new_ends_on, const char *exceptional_reason,
				 fh_date today, fh_error *err);

/*
 * The organisation's behaviour deadlines (store_behaviour_deadlines) as of
 * today (ISO): each review and appeal answer marked "overdue" when its due
 * date has passed; a restriction's end is a date to know, not a task, so it
 * is never overdue, and one already past is dropped.
 */
struct json_t;
void behaviour_deadlines_as_of(struct json_t *list, const char *today);

#endif
