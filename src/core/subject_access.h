/*
 * subject_access: a person's subject access export (the JSON of
 * store_subject_export, DOMAIN §8) as a letter layout model (letter.h), so
 * the PDF is typeset by the one PDF writer (letter_pdf) the letters and the
 * case file use.
 *
 * Everything in the export is shown, nothing added: each object's fields
 * as label and value, each list's entries as items, nested lists under
 * their own headings, in the export's order.  What was withheld is in the
 * export itself ("withheld"), so it is in the PDF too.  Pure.
 */
#ifndef FH_SUBJECT_ACCESS_H
#define FH_SUBJECT_ACCESS_H

#include <jansson.h>

/*
 * The export as an array of one layout model headed by org_name, dated
 * today (ISO), with reference as its footer's reference.  The caller owns
 * the result.
 */
json_t *subject_access_models(const json_t *export, const char *org_name, const char *reference,
			      const char *today);

#endif
