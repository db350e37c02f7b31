/*
 * rights: the rules for people's data (DOMAIN §8; 001 §14; 000 "Access to
 * records").
 *
 *  - consent to share for independent consideration is written, signed
 *    and dated (001 §14.3), and dated no later than today;
 *  - a redacted copy of a document says what was taken out;
 *  - an organisation keeps a closed case for a number of years after its
 *    closure (its retention rule, 1 to 100 years), then anonymises it: the
 *    free text and the people's details go, the counts that reports use
 *    (kinds, dates, outcomes, remedies' types and amounts) stay;
 *  - rights_scrub_state takes the free text out of a case's lifecycle
 *    state (the confidential addendum, mediation notes, reasons given).
 */
#ifndef FH_RIGHTS_H
#define FH_RIGHTS_H

#include <stdbool.h>

#include <jansson.h>

#include "date.h"
#include "error.h"

#define RIGHTS_ANONYMISED "[anonymised]"

extern const char *const RIGHTS_CONSENT_PURPOSES[]; /* independent_consideration */

fh_status rights_check_consent(const char *purpose, bool written, bool is_signed,
			       fh_date dated_on, fh_date today, fh_error *err);

fh_status rights_check_redaction(const char *removed, fh_error *err);

fh_status rights_check_retention_years(long years, fh_error *err);

/* Whether a case closed on closed_on is due for anonymising on today. */
bool rights_retention_due(fh_date closed_on, int years, fh_date today);

/*
 * Empties every "confidential" object and replaces the text of every
 * "notes", "note", "reason" and "summary" string in a lifecycle state, in
 * place; returns how many values it changed.
 */
int rights_scrub_state(json_t *state);

#endif
