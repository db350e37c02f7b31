/*
 * store_document.c: documents on a case (migration 005).
 */
#include "store_document.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store_event.h"
#include "store_internal.h"
#include "store_rows.h"

const char *const STORE_DOCUMENT_TYPES[] = {
	"application/pdf",
	"image/png",
	"image/jpeg",
	"text/plain",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	NULL,
};

const char *const STORE_DOCUMENT_VISIBILITIES[] = {"staff", "customer", "confidential", NULL};

static bool one_of(const char *const *list, const char *s)
{
	for (size_t i = 0; s && list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

/*
 * Well-formed UTF-8 without control characters: a filename is shown in
 * lists, put in JSON (which needs valid UTF-8) and in a response header
 * (where a CR or LF would start a header of the sender's choosing).
 */
static bool filename_ok(const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	while (*p) {
		unsigned c = *p;
		size_t extra;
		unsigned min;
		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f || c == '/' || c == '\\' || c == '"')
				return false;
			p++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) {
			extra = 1, min = 0x80, c &= 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			extra = 2, min = 0x800, c &= 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			extra = 3, min = 0x10000, c &= 0x07;
		} else {
			return false;
		}
		for (size_t i = 1; i <= extra; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return false; /* also stops at the NUL */
			c = (c << 6) | (p[i] & 0x3f);
		}
		/* overlong forms, UTF-16 surrogates, beyond Unicode, C1 controls */
		if (c < min || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff ||
		    (c >= 0x80 && c <= 0x9f))
			return false;
		p += extra + 1;
	}
	return strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

static bool starts_with(const void *content, size_t size, const char *magic, size_t n)
{
	return size >= n && memcmp(content, magic, n) == 0;
}

/*
 * Whether the bytes are what the type says: a file that claims to be a PDF
 * and is an HTML page must not be stored under the PDF's name.
 */
static bool looks_like(const char *type, const void *content, size_t size)
{
	if (strcmp(type, "application/pdf") == 0)
		return starts_with(content, size, "%PDF-", 5);
	if (strcmp(type, "image/png") == 0)
		return starts_with(content, size, "\x89PNG\r\n\x1a\n", 8);
	if (strcmp(type, "image/jpeg") == 0)
		return starts_with(content, size, "\xff\xd8\xff", 3);
	if (strcmp(type, "text/plain") == 0)
		return memchr(content, '\0', size) == NULL;
	/* a .docx is a ZIP package */
	return starts_with(content, size, "PK\x03\x04", 4);
}

fh_status store_document_check(const char *filename, const char *content_type,
			       const char *visibility, const void *content, size_t size,
			       fh_error *err)
{
	if (!filename || !*filename)
		return error_set(err, FH_EINVAL, "filename", NULL, "is required");
	if (strlen(filename) > STORE_DOCUMENT_FILENAME_MAX)
		return error_set(err, FH_EINVAL, "filename", NULL, "is at most %d bytes",
				 STORE_DOCUMENT_FILENAME_MAX);
	if (!filename_ok(filename))
		return error_set(err, FH_EINVAL, "filename", NULL,
				 "must be a plain file name in UTF-8: no path, control "
				 "characters or double quotes");
	if (!one_of(STORE_DOCUMENT_VISIBILITIES, visibility))
		return error_set(err, FH_EINVAL, "visibility", NULL,
				 "must be one of staff, customer, confidential");
	if (!one_of(STORE_DOCUMENT_TYPES, content_type))
		return error_set(err, FH_EINVAL, "content_type", NULL,
				 "must be one of application/pdf, image/png, image/jpeg, "
				 "text/plain or a Word document (.docx)");
	if (!content || size == 0)
		return error_set(err, FH_EINVAL, "content", NULL, "the document is empty");
	if (!looks_like(content_type, content, size))
		return error_set(err, FH_EINVAL, "content", NULL,
				 "the content is not %s", content_type);
	return FH_OK;
}

fh_status store_document_add(fh_store *st, const char *reference, const char *filename,
			     const char *content_type, const char *visibility,
			     const void *content, size_t size, const char *actor,
			     fh_arena *arena, store_document *out, fh_error *err)
{
	fh_status s = store_document_check(filename, content_type, visibility, content, size, err);
	int64_t case_id = 0, org_id = 0;
	if (!s)
		s = store_case_locate(st, reference, &case_id, &org_id, err);
	if (s)
		return s;
	unsigned char digest[crypto_hash_sha256_BYTES];
	char hex[2 * crypto_hash_sha256_BYTES + 1];
	crypto_hash_sha256(digest, content, size);
	sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);

	bool opened;
	char now[21];
	s = store_tx_begin_at(st, &opened, now, err);
	if (s)
		return s;
	db_stmt *stmt;
	int64_t id = 0;
	s = store_stmt(st, "INSERT INTO documents (case_id, filename, content_type, size, sha256,"
		       " visibility, content, uploaded_by, uploaded_at)"
		       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", &stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, case_id);
		store_bind_text(stmt, 2, filename);
		store_bind_text(stmt, 3, content_type);
		db_bind_int64(stmt, 4, (int64_t)size);
		store_bind_text(stmt, 5, hex);
		store_bind_text(stmt, 6, visibility);
		db_bind_blob(stmt, 7, content, size);
		store_bind_text(stmt, 8, actor);
		store_bind_text(stmt, 9, now);
		s = store_stmt_run_id(st, stmt, "storing a document", &id, err);
	}
	if (!s) {
		/* What was uploaded, never the content.  "confidential" is the mark
		 * the history honours (see the server's api_case_history). */
		bool confidential = strcmp(visibility, "confidential") == 0;
		json_t *data = json_pack("{sI ss ss sI ss ss sb}", "document", (json_int_t)id,
					 "filename", filename, "content_type", content_type, "size",
					 (json_int_t)size, "sha256", hex, "visibility", visibility,
					 "confidential", confidential);
		char *text = data ? json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		json_decref(data);
		if (!text)
			s = error_set(err, FH_ENOMEM, NULL, NULL, "out of memory");
		else
			s = store_event_append(st, org_id, case_id, actor, "document_added", NULL,
					       NULL, text, err);
		free(text);
	}
	s = store_tx_end(st, opened, s, err);
	if (!s) {
		*out = (store_document){
			.id = id,
			.filename = arena_strdup(arena, filename),
			.content_type = arena_strdup(arena, content_type),
			.size = (int64_t)size,
			.sha256 = arena_strdup(arena, hex),
			.visibility = arena_strdup(arena, visibility),
			.uploaded_by = arena_strdup(arena, actor),
			.uploaded_at = arena_strdup(arena, now),
		};
	}
	return s;
}

/* The columns read_row reads, in its order. */
#define DOCUMENT_COLUMNS \
	"id, filename, content_type, size, sha256, visibility, uploaded_by, uploaded_at"

/* Fills one document from a row of DOCUMENT_COLUMNS. */
static void read_row(db_stmt *stmt, fh_arena *arena, store_document *d)
{
	memset(d, 0, sizeof *d);
	d->id = db_column_int64(stmt, 0);
	d->filename = store_column_text(stmt, 1, arena);
	d->content_type = store_column_text(stmt, 2, arena);
	d->size = db_column_int64(stmt, 3);
	d->sha256 = store_column_text(stmt, 4, arena);
	d->visibility = store_column_text(stmt, 5, arena);
	d->uploaded_by = store_column_text(stmt, 6, arena);
	d->uploaded_at = store_column_text(stmt, 7, arena);
}

fh_status store_document_list(fh_store *st, const char *reference, bool include_confidential,
			      fh_arena *arena, store_document **docs, size_t *count,
			      fh_error *err)
{
	db_stmt *stmt;
	int64_t case_id = 0, org_id = 0;
	*docs = NULL;
	*count = 0;
	fh_status s = store_case_locate(st, reference, &case_id, &org_id, err);
	if (!s)
		s = store_stmt(st, "SELECT " DOCUMENT_COLUMNS " FROM documents WHERE case_id = ?"
			       " AND (? = 1 OR visibility <> 'confidential') ORDER BY id", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, case_id);
	db_bind_int(stmt, 2, include_confidential);
	size_t room = 0;
	int rc;
	while ((rc = db_step(stmt)) == DB_ROW) {
		*docs = store_array_room(arena, *docs, *count, &room, 16, sizeof **docs);
		read_row(stmt, arena, &(*docs)[(*count)++]);
	}
	if (rc != DB_DONE)
		s = store_fail(st, "listing documents", err);
	store_stmt_done(st, stmt);
	return s;
}

fh_status store_document_get(fh_store *st, const char *reference, int64_t id,
			     bool include_confidential, fh_arena *arena, store_document *out,
			     fh_error *err)
{
	int64_t case_id = 0, org_id = 0;
	fh_status s = store_case_locate(st, reference, &case_id, &org_id, err);
	if (s)
		return s;
	db_stmt *stmt;
	/* Not a cached statement: its row holds the whole content, which a
	 * kept statement would pin in memory until its next use. */
	s = store_prepare(st, "SELECT " DOCUMENT_COLUMNS ", content FROM documents WHERE id = ?"
			  " AND case_id = ? AND (? = 1 OR visibility <> 'confidential')", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, id);
	db_bind_int64(stmt, 2, case_id);
	db_bind_int(stmt, 3, include_confidential);
	int rc = db_step(stmt);
	if (rc == DB_ROW) {
		read_row(stmt, arena, out);
		const void *blob = db_column_blob(stmt, 8);
		size_t n = (size_t)db_column_bytes(stmt, 8);
		void *copy = arena_alloc(arena, n ? n : 1);
		if (n)
			memcpy(copy, blob, n);
		out->content = copy;
		out->size = (int64_t)n;
	} else if (rc == DB_DONE) {
		s = error_set(err, FH_ENOTFOUND, "id", NULL, "no document %lld on %s",
			      (long long)id, reference);
	} else {
		s = store_fail(st, "reading a document", err);
	}
	db_finalize(stmt);
	return s;
}
