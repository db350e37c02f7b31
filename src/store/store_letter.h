/*
 * store_letter: letters issued on a case (migration 010), and the
 * organisation's contact details their letterhead carries.
 *
 * Issuing a letter reads the case as the customer may see it, checks the
 * kind's required content (src/core/letter_model.c), finds the template an
 * administrator set for the organisation and procedure (docs/letters.md),
 * expands it into the letter's layout model, and stores that model with its
 * SHA-256 and a 'letter_issued' event in one transaction.  The event
 * carries the digest and the template's, never the letter's text.  HTML and
 * PDF are rendered from the stored model, so a letter reads the same every
 * time it is fetched.
 */
#ifndef FH_STORE_LETTER_H
#define FH_STORE_LETTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "letter_model.h"
#include "store.h"

typedef struct store_letter {
	int64_t id;
	const char *reference;
	const char *kind, *variant;
	int stage;               /* 0: not about one stage */
	const char *recipient;   /* the party's role */
	const char *subject;
	const char *template_name, *template_sha256;
	const char *sha256;      /* of document */
	const char *issued_on, *issued_by, *issued_at;
	const char *document;    /* the layout model as JSON text; NULL in lists */
	const char *emailed_to;  /* issued with send_email: the address it was queued to */
	/* its email, newest: queued, sent, delivered, bounced or failed; "" never emailed */
	const char *email_state;
} store_letter;

typedef struct store_letter_request {
	const char *reference;
	const char *kind;
	const char *variant;     /* NULL: standard */
	int stage;               /* 0: the current stage */
	const json_t *values;    /* given when issuing (behaviour letters, papers); may be NULL */
	/* Template directories, searched in order (the administrator's first,
	 * then the shipped defaults); NULL-terminated. */
	const char *const *template_dirs;
	bool dry_run;            /* render only: record nothing (a preview) */
	/* Also send it by email to the recipient's recorded address, in the same
	 * transaction (store_outbox_letter): FH_EINVAL naming "send_email", and
	 * nothing issued, when that cannot be. */
	bool send_email;
} store_letter_request;

/*
 * Issues one letter (or, with dry_run, only renders it).  Refusals:
 * FH_EINVAL naming kind, variant, stage or a value; FH_ERULE naming "letter"
 * with everything missing and the rule's source; FH_ENOTFOUND naming
 * "template" when no template file exists for the kind and variant.
 * Strings of *out live in arena; out->document is set.
 */
fh_status store_letter_issue(fh_store *st, const store_letter_request *req,
			     const fh_actor *actor, fh_date today, fh_arena *arena,
			     store_letter *out, fh_error *err);

/*
 * The letters of a case, oldest first, without their documents: what the
 * staff pages and the public tracking page list.  Strings live in arena.
 */
fh_status store_letter_list(fh_store *st, const char *reference, fh_arena *arena,
			    store_letter **letters, size_t *count, fh_error *err);

/* One letter of the case with its document; FH_ENOTFOUND naming "id". */
fh_status store_letter_get(fh_store *st, const char *reference, int64_t id, fh_arena *arena,
			   store_letter *out, fh_error *err);

/*
 * The variants an organisation (or one of its procedures, NULL: none)
 * offers, as the letters.json issuing reads decides them: "standard"
 * first, then "plain" and "child" where offered (the staff pages' choice).
 * FH_EINVAL naming "letters.json" when that file is not valid JSON.
 */
fh_status store_letter_variants(const char *const *template_dirs, const char *org_code,
				const char *procedure_code, fh_arena *arena, const char ***variants,
				size_t *count, fh_error *err);

/* The organisation's details as a letterhead shows them; strings in arena. */
fh_status store_letter_org(fh_store *st, const char *org_code, fh_arena *arena, letter_org *out,
			   fh_error *err);

/*
 * Sets the organisation's telephone, email and web address (NULL: leave
 * as is), with its audit event, in one transaction.
 */
fh_status store_org_contact_set(fh_store *st, const char *org_code, const char *phone,
				const char *email, const char *website, const char *actor,
				fh_error *err);

#endif
