/*
 * redress: the rules for remedies on a complaint (DOMAIN §5; 001 §18 and
 * Appendix B "Remedies").
 *
 * A remedy is recorded, then approved by someone with the authority to
 * approve it, then delivered.  These functions only decide whether a step
 * is allowed; the store records it.  Money is whole pence, never a float.
 *
 * The rules:
 *  - the type is one of Appendix B's "Types of remedy"; a financial remedy
 *    names its category (quantifiable loss, loss of non-monetary benefit,
 *    distress/harm/risk, time and trouble) and an amount; a payment for
 *    delay is for a case that went past a target time (Appendix B, the
 *    paragraph on "delays ... beyond the stated target times");
 *  - the policy applies to justified complaints: the case must have a
 *    finding of upheld or partly upheld (Appendix B "This policy applies to
 *    justified complaints"; 001 §18.1 "where ... maladministration");
 *  - it does not apply to matters under current legal action, settlements
 *    of court proceedings, insurance disputes or insurance settlements
 *    (Appendix B "Exceptions"): such a remedy is refused with the reason;
 *  - a remedy is approved once, on or before today, and delivered only
 *    after it was approved, on or after the approval date.
 */
#ifndef FH_REDRESS_H
#define FH_REDRESS_H

#include <stdbool.h>
#include <stdint.h>

#include "date.h"
#include "error.h"

/* 001 Appendix B "Types of remedy" (direct action split into its two kinds) */
extern const char *const REDRESS_TYPES[];
/* 001 Appendix B: the kinds of financial remedy */
extern const char *const REDRESS_CATEGORIES[];
/* 001 Appendix B "Exceptions" */
extern const char *const REDRESS_EXCEPTIONS[];

#define REDRESS_AMOUNT_MAX 100000000 /* pence: one million pounds, a typo guard */

typedef struct redress_input {
	const char *type;
	const char *category;    /* financial only; NULL or "" otherwise */
	int64_t amount_pence;    /* financial and delay_payment: > 0; otherwise 0 */
	const char *description; /* what is to be done or paid, and why */
	const char *exception;   /* NULL or "": none; else one of REDRESS_EXCEPTIONS */
	/* what the store knows about the case */
	bool justified;          /* a finding of upheld or partly upheld */
	bool went_past_target;   /* a stage was answered (or is still open) after its due date */
} redress_input;

/* Whether a new remedy may be recorded. */
fh_status redress_check(const redress_input *in, fh_error *err);

/* Whether a remedy may be approved on approved_on. */
fh_status redress_check_approve(bool already_approved, fh_date approved_on, fh_date today,
				fh_error *err);

/* Whether a remedy may be marked delivered on delivered_on. */
fh_status redress_check_deliver(bool approved, fh_date approved_on, bool already_delivered,
				fh_date delivered_on, fh_date today, fh_error *err);

#endif
