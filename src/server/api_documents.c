/*
 * api_documents.c: uploading, listing and downloading the documents of a
 * case.
 *
 * The route's rule has already applied need to know to the case (404 for
 * another tenant's case or one an officer is not assigned to).  On top of
 * that, a confidential document exists only for those who may see the
 * confidential addendum (authz_may_see_confidential, the one rule the
 * case's history, lifecycle and file use too).  Anyone
 * else gets 403 trying to upload one, never sees one listed, and gets 404
 * asking for one, exactly as for a document that does not exist.
 *
 * An upload is the file itself as the body, with its own Content-Type: no
 * multipart parsing, no base64.  Only types a browser will not run as a
 * page are taken, and the bytes must look like the type they claim, so a
 * stored "PDF" can never be an HTML page served back from our origin.
 * Downloads go out as attachments with nosniff (server.c adds it to every
 * answer), and each one is written to the access log before it is sent.
 */
#include "api.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api_body.h"
#include "authz.h"
#include "server.h"
#include "store_document.h"
#include "store_rights.h"

static json_t *document_json(const http_request *req, const store_document *d)
{
	return json_pack("{sI ss ss sI ss ss ss ss ss}", "id", (json_int_t)d->id, "filename",
			 d->filename, "content_type", d->content_type, "size", (json_int_t)d->size,
			 "sha256", d->sha256, "visibility", d->visibility, "uploaded_by",
			 d->uploaded_by, "uploaded_at", d->uploaded_at, "href",
			 arena_printf(req->arena, "/api/v1/cases/%s/documents/%lld", req->params[0],
				      (long long)d->id));
}

/*
 * The media type of the Content-Type header, lower-cased and without
 * parameters ("text/plain; charset=utf-8" is text/plain); NULL when absent.
 */
static const char *media_type(http_request *req)
{
	const char *header = http_header(req, "Content-Type");
	if (!header)
		return NULL;
	while (*header == ' ' || *header == '\t')
		header++;
	size_t n = strcspn(header, ";");
	while (n && (header[n - 1] == ' ' || header[n - 1] == '\t'))
		n--;
	char *type = arena_strndup(req->arena, header, n);
	for (char *p = type; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return type;
}

static bool allowed_type(const char *type)
{
	for (size_t i = 0; type && STORE_DOCUMENT_TYPES[i]; i++)
		if (strcmp(STORE_DOCUMENT_TYPES[i], type) == 0)
			return true;
	return false;
}

void api_document_upload(http_request *req)
{
	const char *type = media_type(req);
	if (!allowed_type(type)) {
		http_error(req, 415, "unsupported_media_type", NULL,
			   "send the file as its own body with Content-Type application/pdf, "
			   "image/png, image/jpeg, text/plain or application/vnd.openxmlformats-"
			   "officedocument.wordprocessingml.document");
		return;
	}
	const char *filename = http_query(req, "filename");
	if (!filename) {
		http_error(req, 400, "invalid_parameter", "filename",
			   "is required: ?filename=NAME.EXT");
		return;
	}
	const char *visibility = http_query(req, "visibility");
	if (!visibility)
		visibility = "staff";
	if (req->body_len == 0) {
		http_error(req, 422, "invalid", "content", "the document is empty");
		return;
	}
	fh_error err = {0};
	if (store_document_check(filename, type, visibility, req->body, req->body_len, &err)) {
		/* The name and visibility come in the query string: a bad one is
		 * a bad parameter, like any other; bytes that are not what the
		 * Content-Type says are a media type we do not take. */
		if (strcmp(err.field, "content") == 0)
			http_error(req, 415, "unsupported_media_type", "content", "%s", err.message);
		else
			http_error(req, 400, "invalid_parameter", err.field, "%s", err.message);
		return;
	}
	if (strcmp(visibility, "confidential") == 0 && !authz_may_see_confidential(req)) {
		http_error(req, 403, "forbidden", "visibility",
			   "only the complaints team and the adjudicating officer may keep "
			   "confidential documents");
		return;
	}
	store_document d;
	if (store_document_add(req->st, req->params[0], filename, type, visibility, req->body,
			       req->body_len, req->who->user.email, req->arena, &d, &err)) {
		http_fail(req, &err);
		return;
	}
	req->location = arena_printf(req->arena, "/api/v1/cases/%s/documents/%lld",
				     req->params[0], (long long)d.id);
	http_json(req, 201, document_json(req, &d));
}

void api_document_list(http_request *req)
{
	store_document *docs = NULL;
	size_t n = 0;
	fh_error err = {0};
	if (store_document_list(req->st, req->params[0], authz_may_see_confidential(req), req->arena,
				&docs, &n, &err)) {
		http_fail(req, &err);
		return;
	}
	/* Filenames name people ("Letter from Mrs Khan.pdf"): a look at them
	 * is a read of the case's personal data. */
	if (!server_log_read(req, req->case_id, "document", "list"))
		return;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, document_json(req, &docs[i]));
	http_json(req, 200, json_pack("{ss so}", "reference", req->params[0], "documents", list));
}

/* RFC 6266: a plain-ASCII filename for old clients, and the exact name
 * percent-encoded as UTF-8 (RFC 8187) for the rest. */
static const char *disposition(http_request *req, const char *filename)
{
	size_t n = strlen(filename);
	char *ascii = arena_alloc(req->arena, n + 1);
	char *encoded = arena_alloc(req->arena, 3 * n + 1);
	char *e = encoded;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)filename[i];
		/* the name was checked at upload: no controls, quotes or backslashes */
		ascii[i] = c < 0x80 ? (char)c : '_';
		if (isalnum(c) || strchr("!#$&+-.^_`|~", c)) {
			*e++ = (char)c;
		} else {
			static const char hex[] = "0123456789ABCDEF";
			*e++ = '%';
			*e++ = hex[c >> 4];
			*e++ = hex[c & 15];
		}
	}
	*e = '\0';
	return arena_printf(req->arena, "attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii,
			    encoded);
}

void api_document_get(http_request *req)
{
	int64_t id;
	if (!api_path_id(req, 1, "document", &id))
		return;
	store_document d;
	fh_error err = {0};
	if (store_document_get(req->st, req->params[0], id, authz_may_see_confidential(req),
			       req->arena, &d, &err)) {
		http_fail(req, &err);
		return;
	}
	char *copy = malloc((size_t)d.size);
	if (!copy) {
		http_error(req, 500, "internal", NULL, "out of memory");
		return;
	}
	memcpy(copy, d.content, (size_t)d.size);
	if (!server_log_read(req, req->case_id, "document",
			     arena_printf(req->arena, "%lld %s", (long long)id, d.filename))) {
		free(copy);
		return;
	}
	req->status = 200;
	req->text_out = copy;
	req->text_len = (size_t)d.size;
	req->content_type = d.content_type;
	req->content_disposition = disposition(req, d.filename);
}

/*
 * POST /cases/{ref}/documents/{id}/redactions: a redacted copy of a
 * document (DOMAIN §8), the raw file as the body like an upload.
 */
void api_document_redact(http_request *req)
{
	int64_t original;
	if (!api_path_id(req, 1, "document", &original))
		return;
	const char *type = media_type(req);
	const char *removed = http_query(req, "removed");
	const char *visibility = http_query(req, "visibility");
	const char *filename = http_query(req, "filename");
	if (!visibility)
		visibility = "customer"; /* a redacted copy is made to be shared */
	if (!filename) {
		http_error(req, 400, "invalid_parameter", "filename", "is required: ?filename=NAME.EXT");
		return;
	}
	fh_error err = {0};
	if (store_document_check(filename, type, visibility, req->body, req->body_len, &err)) {
		int status = strcmp(err.field, "content") == 0 || strcmp(err.field, "content_type") == 0
				     ? 415 : 400;
		http_error(req, status, status == 415 ? "unsupported_media_type" : "invalid_parameter",
			   err.field, "%s", err.message);
		return;
	}
	/* the original is seen, and a confidential copy kept, only by those who
	 * may see confidential documents (as for uploads) */
	bool confidential = (authz_roles_in(req->who, req->case_org_id) &
			     (AUTHZ_COMPLAINTS_TEAM | AUTHZ_ADJUDICATING_OFFICER)) != 0;
	if (strcmp(visibility, "confidential") == 0 && !confidential) {
		http_error(req, 403, "forbidden", "visibility",
			   "only the complaints team and the adjudicating officer may keep "
			   "confidential documents");
		return;
	}
	store_document d;
	if (store_document_redact(req->st, req->params[0], original, confidential, filename, type,
				  visibility, req->body, req->body_len, removed, req->who->user.email,
				  req->arena, &d, &err)) {
		http_fail(req, &err);
		return;
	}
	req->location = arena_printf(req->arena, "/api/v1/cases/%s/documents/%lld", req->params[0],
				     (long long)d.id);
	http_json(req, 201, json_pack("{sI sI ss ss sI ss ss ss}", "id", (json_int_t)d.id,
				      "redaction_of", (json_int_t)original, "filename", d.filename,
				      "content_type", d.content_type, "size", (json_int_t)d.size,
				      "sha256", d.sha256, "visibility", d.visibility, "href",
				      req->location));
}
