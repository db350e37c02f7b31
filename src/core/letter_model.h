/*
 * letter_model: which letters there are, what each must contain, and the
 * values a template is fed, built from the case as recorded.
 *
 * Each kind names the rule that requires it and checks that its required
 * content has been recorded before any template is read: a stage response
 * needs a finding on every open point and the response recorded
 * (DOMAIN §4), an extension notice an extension with its reason, a panel
 * invitation the panel's date and place and sent in time (001 B Stage 3).
 * A refusal lists everything missing at once (FH_ERULE, field "letter").
 * The values are built from the customer's view of the case
 * (lifecycle_public_view): nothing confidential reaches a letter.
 *
 * Pure: the case, its state, the procedure and "today" are passed in.
 */
#ifndef FH_LETTER_MODEL_H
#define FH_LETTER_MODEL_H

#include <jansson.h>

#include "date.h"
#include "error.h"
#include "model.h"
#include "procedure.h"

typedef struct letter_kind_info {
	const char *name;    /* acknowledgement, stage_response, ... */
	const char *summary; /* for --help and the API */
	const char *source;  /* the rule that asks for the letter */
	const char *given;   /* the values given when issuing, as documentation ("" none) */
	/* The roles (names from MODEL_USER_ROLES) that may issue it, NULL-ended;
	 * NULL: everyone who writes letters (AUTHZ_LETTER_WRITERS).  Checked by
	 * authz_letter_kind, the one authorisation layer. */
	const char *const *issuers;
} letter_kind_info;

const letter_kind_info *letter_kinds(size_t *count);
const letter_kind_info *letter_kind(const char *name);

/* The variants: standard, plain (plain language), child (child-friendly). */
extern const char *const LETTER_VARIANTS[];

typedef struct letter_org {
	const char *code, *name, *address, *phone, *email, *website, *advocacy, *ombudsman;
} letter_org;

typedef struct letter_input {
	const char *kind;
	int stage;                /* 0: the case's current stage */
	const letter_org *org;
	const fh_case *kase;
	const json_t *state;      /* the customer's view of the handling */
	const fh_procedure *proc; /* NULL before triage */
	const char *officer_name; /* who deals with the stage, "" or NULL: not yet assigned */
	const json_t *given;      /* values given when issuing (an object; NULL: none) */
	const char *const *papers;/* documents the customer may see, for a panel invitation */
	size_t n_papers;
	fh_date today;
} letter_input;

/*
 * Checks the required content and builds the template's values (a new
 * object, the caller's) and the recipient's party role (*recipient, one of
 * the case's party roles, static storage).  The letter's stage is in
 * values.stage.number when the kind has one.
 */
fh_status letter_values(const letter_input *in, json_t **values, const char **recipient,
			fh_error *err);

/*
 * The layout model of a letter (letter.h) around blocks: letterhead,
 * recipient's name and address, date and reference from values.  Takes
 * over blocks; the caller owns the result.
 */
json_t *letter_document(const json_t *values, const char *subject, json_t *blocks);

#endif
