/*
 * store_public: what the public's online form keeps (migration 006): the
 * answers between its pages (a draft), and the private tracking links.
 *
 * A draft and a tracking link are each found by the BLAKE2b-256 digest of a
 * random token only the person holds (store_token_new / store_token_hash),
 * so the database never holds anything that opens them.
 *
 * A draft is not a record of the organisation: it is what someone has
 * typed and not yet sent, kept for a short while so the form works without
 * JavaScript and without personal data in URLs.  Saving a page of it is
 * therefore bookkeeping, not an audited change; sending it is
 * (store_public_submit: the case, its documents, the tracking link and the
 * events, in one transaction, and the draft deleted in the same one).
 */
#ifndef FH_STORE_PUBLIC_H
#define FH_STORE_PUBLIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "store.h"
#include "store_auth.h"

typedef struct store_draft_file {
	int64_t id;
	const char *filename, *content_type;
	size_t size;
	const void *content; /* store_public_submit reads it; NULL in a listing */
} store_draft_file;

typedef struct store_draft {
	int64_t id;
	int64_t org_id;
	const char *answers;       /* a JSON object as text */
	size_t n_files;
	store_draft_file *files;   /* without content */
} store_draft;

/*
 * A new, empty draft for org_id, started from client_ip (the request's
 * client address, which store_draft_files_bytes caps; NULL: none), that
 * lives until now + ttl_seconds; drafts that have expired are deleted first
 * (anyone's: they are abandoned).
 */
fh_status store_draft_create(fh_store *st, int64_t org_id,
			     const uint8_t hash[STORE_TOKEN_HASH_BYTES], const char *client_ip,
			     time_t now, int ttl_seconds, int64_t *id_out, fh_error *err);

/*
 * The draft with this digest for org_id, unexpired at now; FH_ENOTFOUND
 * otherwise.  Strings and the file list live in arena.
 */
fh_status store_draft_get(fh_store *st, int64_t org_id, const uint8_t hash[STORE_TOKEN_HASH_BYTES],
			  time_t now, fh_arena *arena, store_draft *out, fh_error *err);

/* Replaces the draft's answers and extends its life to now + ttl_seconds. */
fh_status store_draft_save(fh_store *st, int64_t draft_id, const char *answers, time_t now,
			   int ttl_seconds, fh_error *err);

/* Adds a file to the draft (checked by the caller with store_document_check). */
fh_status store_draft_file_add(fh_store *st, int64_t draft_id, const char *filename,
			       const char *content_type, const void *content, size_t size,
			       fh_error *err);

/*
 * The bytes of the files held by every draft (a safety valve on disk use),
 * or, with client_ip, by the drafts started from that client address (so
 * one client cannot take the whole allowance).  Like the deletion in
 * store_draft_create, it counts drafts until they are cleared, expired or
 * not.
 */
fh_status store_draft_files_bytes(fh_store *st, const char *client_ip, int64_t *total,
				  fh_error *err);

/* Removes one of the draft's files; FH_ENOTFOUND when it has no such file. */
fh_status store_draft_file_remove(fh_store *st, int64_t draft_id, int64_t file_id,
				  fh_error *err);

/*
 * Sends a draft: records the case (store_case_create, actor as given), adds
 * each of the draft's files as a document the customer may see, keeps the
 * tracking link's digest, appends an 'online_form' event saying whether the
 * person agreed to share with other agencies (001 §7.8) and how many
 * documents came, and deletes the draft: all in one transaction, so either
 * everything is recorded or nothing is.  The input must already have passed
 * case_input_validate().
 */
fh_status store_public_submit(fh_store *st, int64_t draft_id, const fh_case_input *in,
			      const char *actor, bool consent_to_share,
			      const uint8_t tracking_hash[STORE_TOKEN_HASH_BYTES],
			      char reference_out[FH_REFERENCE_MAX], fh_error *err);

/*
 * The case a tracking link opens: its reference (into arena) and id;
 * FH_ENOTFOUND for an unknown or revoked link.
 */
fh_status store_tracking_resolve(fh_store *st, const uint8_t hash[STORE_TOKEN_HASH_BYTES],
				 fh_arena *arena, const char **reference, int64_t *case_id,
				 int64_t *org_id, fh_error *err);

#endif
