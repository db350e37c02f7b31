/*
 * store_rights: people's data rights (migration 014; rules in core/rights).
 *
 *  - consent to share for independent consideration, on a case, with its date;
 *  - redacted copies of documents: a new document (the original is kept)
 *    recorded with what was taken out;
 *  - the retention rule per organisation and the run that anonymises the
 *    closed cases it makes due, in one transaction with an 'anonymised'
 *    event per case and a 'retention_applied' event for the run;
 *  - the subject access export: everything held about one person.
 */
#ifndef FH_STORE_RIGHTS_H
#define FH_STORE_RIGHTS_H

#include <jansson.h>

#include "rights.h"
#include "store.h"
#include "store_document.h"

fh_status store_consent_add(fh_store *st, const char *reference, int64_t person_id,
			    const char *purpose, bool written, bool is_signed, fh_date dated_on,
			    const char *actor, fh_date today, fh_error *err);

/* The case's consents, as a new JSON array. */
fh_status store_consent_list(fh_store *st, const char *reference, json_t **out, fh_error *err);

/*
 * Stores a redacted copy of document original_id (which the caller must be
 * allowed to see: include_confidential as for store_document_get) as a new
 * document, and records what was removed; one transaction, with the
 * 'document_added' and 'document_redacted' events.
 */
fh_status store_document_redact(fh_store *st, const char *reference, int64_t original_id,
				bool include_confidential, const char *filename,
				const char *content_type, const char *visibility,
				const void *content, size_t size, const char *removed,
				const char *actor, fh_arena *arena, store_document *out,
				fh_error *err);

/* Sets an organisation's retention rule (years after closure). */
fh_status store_retention_set(fh_store *st, const char *org_code, long years, const char *actor,
			      fh_error *err);

typedef struct store_retention_case {
	const char *reference, *org_code, *closed_on;
	int years;
} store_retention_case;

typedef struct store_retention_result {
	store_retention_case *cases; /* in arena */
	size_t n_cases;
	size_t n_people;             /* people anonymised (apply only) */
	size_t n_documents;          /* documents removed (apply only) */
	size_t n_events_erased;      /* events whose reason and data were erased */
	size_t n_events_kept;        /* events too old to erase (hash version 1) */
	size_t n_searches_erased;    /* searches in the access log whose words went */
	size_t n_messages_erased;    /* email that made no case, erased (apply only) */
} store_retention_result;

/*
 * The closed cases due for anonymising on today under their organisation's
 * rule (org_code NULL: every organisation that has one).  With apply, each
 * is anonymised, and so is every person on them who is on no case still
 * kept, all in one transaction: with them go the reasons and data of the
 * events about those cases and people (the chain keeps their digests) and
 * the words of searches in the access log that name them.  Email that made
 * no case (quarantined or set aside) is erased the rule's years after it
 * arrived, in the same transaction.
 */
fh_status store_retention_run(fh_store *st, const char *org_code, fh_date today, bool apply,
			      const char *actor, fh_arena *arena, store_retention_result *out,
			      fh_error *err);

/*
 * Everything held about a person of the organisation, as a new JSON
 * object: their details and equality answers, the cases they are on (with
 * their own role, the points, findings, remedies, documents' metadata and
 * the history's dates and actions), their behaviour record, consents,
 * advocacy, access needs and the email they sent (received_messages from
 * their recorded address).
 * Other people on those cases are withheld (only their count is given),
 * as are confidential documents, the investigating officer's confidential
 * addendum and what was said in mediation.
 */
fh_status store_subject_export(fh_store *st, const char *org_code, int64_t person_id,
			       fh_date today, json_t **out, fh_error *err);

#endif
