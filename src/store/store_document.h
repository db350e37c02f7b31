/*
 * store_document: files kept on a case (migration 005).
 *
 * Uploading is a change like any other: the row and a 'document_added'
 * event go in one transaction.  The event carries the filename, type, size,
 * visibility and SHA-256 digest, never the content, so the audit chain pins
 * what was uploaded without copying personal data into it.  A confidential
 * document's event is marked confidential, so the case's history shows its
 * details only to those who may see the confidential addendum.
 *
 * Who may see which document is the server's policy (authz); these
 * functions take its answer (include_confidential).  Reading a document is
 * logged by the server in the access log, as reading a case is.
 */
#ifndef FH_STORE_DOCUMENT_H
#define FH_STORE_DOCUMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define STORE_DOCUMENT_FILENAME_MAX 255 /* bytes */

/* The types a document may have: none that a browser would run as a page. */
extern const char *const STORE_DOCUMENT_TYPES[];
/* The visibilities, weakest first: staff, customer, confidential. */
extern const char *const STORE_DOCUMENT_VISIBILITIES[];

typedef struct store_document {
	int64_t id;
	const char *filename;
	const char *content_type;
	int64_t size;
	const char *sha256;      /* lower-case hex */
	const char *visibility;
	const char *uploaded_by;
	const char *uploaded_at;
	const void *content;     /* store_document_get only; size bytes */
} store_document;

/*
 * Checks what an upload would store, before anything is written: FH_EINVAL
 * naming "filename" (empty, over STORE_DOCUMENT_FILENAME_MAX bytes, not
 * UTF-8, a path, a control character or a double quote) or "visibility";
 * FH_EINVAL naming "content_type" for a type not in STORE_DOCUMENT_TYPES;
 * FH_EINVAL naming "content" when it is empty or does not look like its
 * type (a PDF must start %PDF-, a PNG with its signature, a JPEG with
 * FF D8 FF, a Word document is a ZIP, plain text has no NUL byte).
 */
fh_status store_document_check(const char *filename, const char *content_type,
			       const char *visibility, const void *content, size_t size,
			       fh_error *err);

/*
 * Stores a document on the case reference (checking it with
 * store_document_check first) and appends its 'document_added' event, in
 * one transaction (or the caller's).  *out gets what was stored, without
 * the content; its strings live in arena.  FH_ENOTFOUND for an unknown case.
 */
fh_status store_document_add(fh_store *st, const char *reference, const char *filename,
			     const char *content_type, const char *visibility,
			     const void *content, size_t size, const char *actor,
			     fh_arena *arena, store_document *out, fh_error *err);

/*
 * The case's documents, oldest first, without their content; confidential
 * ones only with include_confidential.  Strings live in arena.
 */
fh_status store_document_list(fh_store *st, const char *reference, bool include_confidential,
			      fh_arena *arena, store_document **docs, size_t *count,
			      fh_error *err);

/*
 * One document of the case, with its content (in arena).  FH_ENOTFOUND
 * naming "id" when the case has no such document, or it is confidential
 * and include_confidential is false: the caller cannot tell the two apart.
 */
fh_status store_document_get(fh_store *st, const char *reference, int64_t id,
			     bool include_confidential, fh_arena *arena, store_document *out,
			     fh_error *err);

#endif
