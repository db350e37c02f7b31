/*
 * casefile: a case's whole file as letter layout models (letter.h), for the
 * PDF bundle sent to the Ombudsman (docs/letters.md "Exports"): a cover page, the
 * timeline of events, every letter as issued, the email received on the case
 * (as text, as it was read), and the list of documents.
 *
 * The confidential addendum (001 B Stage 2) and the content of
 * confidential events are left out unless include_confidential is set; the
 * caller decides, from who is asking and whether they asked, and the cover
 * says which it is.  Pure: everything is passed in.
 */
#ifndef FH_CASEFILE_H
#define FH_CASEFILE_H

#include <jansson.h>

#include "letter_model.h"
#include "model.h"

typedef struct casefile_input {
	const letter_org *org;
	const fh_case *kase;     /* with its parties, points and events */
	const json_t *state;     /* the full handling state */
	const json_t *letters;   /* the letters' stored layout models, oldest first */
	const json_t *documents; /* [{filename, content_type, size, visibility, uploaded_by, uploaded_at, sha256}] */
	const json_t *emails;    /* [{received_at, from_name, from_address, subject, body}], oldest first; NULL: none */
	const json_t *emails_sent; /* [{queued_at, kind, subject, recipient, state, state_at, detail}]:
				    * what became of each email sent about the case, oldest first; NULL: none */
	bool include_confidential;
	const char *prepared_by;
	const char *today;       /* ISO date */
} casefile_input;

/* The bundle's pages as an array of layout models; the caller owns it. */
json_t *casefile_models(const casefile_input *in);

#endif
