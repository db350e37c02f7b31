/*
 * advocacy: advocacy and access for the people on a complaint (DOMAIN §7;
 * 001 §20; 000; 004).
 *
 *  - advocacy is offered, then referred to the organisation's advocacy
 *    service (BCT: Rights & Participation Service; BCP: Coram Voice; 004:
 *    Off the Record), then taken up, or declined; each step once, in that
 *    order, dated no later than today and no earlier than the step before;
 *  - a referral may extend the Stage 1 response clock for appointing an
 *    advocate, as the procedure allows (001 B Stage 1: "extended to 20
 *    working days ... if an advocate needs to be appointed"): the
 *    lifecycle's own extend action decides;
 *  - interpreters, signers and alternative formats are recorded as needs,
 *    an interpreter with the language and a format with what it is.
 */
#ifndef FH_ADVOCACY_H
#define FH_ADVOCACY_H

#include <stdbool.h>

#include "date.h"
#include "error.h"

extern const char *const ADVOCACY_STEPS[];  /* offered, referred, taken_up, declined */
extern const char *const ACCESS_NEEDS[];    /* interpreter, signer, alternative_format */

typedef struct advocacy_state {
	fh_date offered_on, referred_on, taken_up_on, declined_on; /* 0: not yet */
} advocacy_state;

/* Whether step may be recorded on `on`; FH_OK sets the date in *st. */
fh_status advocacy_step(advocacy_state *st, const char *step, fh_date on, fh_date today,
			fh_error *err);

fh_status access_check_need(const char *need, const char *detail, fh_error *err);

#endif
