/*
 * api_letters.c: the letters of a case (docs/letters.md): list them, issue
 * one, fetch one as JSON (its layout model), HTML or PDF.
 *
 * The route table has applied need to know to the case already; issuing
 * is for the roles that write to customers (LETTER_WRITERS in routes.c).
 * POST .../letters/{id}/resend sends the letter's email again when its
 * newest email bounced or failed (store_outbox_resend), for those who may
 * issue that kind of letter.
 *
 * A letter holds the customer's name, address and what their complaint is
 * about, so every list and every fetch is in the access log before it is
 * sent (as a 'document' read: a letter is a document sent to the customer;
 * the detail says "letter N FORMAT").
 *
 * Templates are read from $FAIRHEARING_LETTERS (the administrator's
 * directory, when set) and then the shipped ones.
 */
#include "api.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api_body.h"
#include "authz.h"
#include "config.h"
#include "letter.h"
#include "letter_pdf.h"
#include "server.h"
#include "store_letter.h"
#include "store_outbox.h"

static json_t *letter_json(http_request *req, const store_letter *l)
{
	json_t *j = json_pack("{s:I s:s s:s s:o s:s s:s s:s s:s s:s s:s s:s s:s}", "id",
			      (json_int_t)l->id, "kind", l->kind, "variant", l->variant, "stage",
			      l->stage ? json_integer(l->stage) : json_null(), "recipient", l->recipient,
			      "subject", l->subject, "issued_on", l->issued_on, "issued_by", l->issued_by,
			      "issued_at", l->issued_at, "sha256", l->sha256, "template",
			      l->template_name, "href",
			      arena_printf(req->arena, "/api/v1/cases/%s/letters/%lld", req->params[0],
					   (long long)l->id));
	/* its email: queued, sent, delivered, bounced or failed; null when never emailed */
	json_object_set_new(j, "email", l->email_state && *l->email_state
						? json_string(l->email_state) : json_null());
	return j;
}

void api_letter_list(http_request *req)
{
	store_letter *ls = NULL;
	size_t n = 0;
	fh_error err = {0};
	if (store_letter_list(req->st, req->params[0], req->arena, &ls, &n, &err)) {
		http_fail(req, &err);
		return;
	}
	if (!server_log_read(req, req->case_id, "document", "letters list"))
		return;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, letter_json(req, &ls[i]));
	http_json(req, 200, json_pack("{s:s s:o}", "reference", req->params[0], "letters", list));
}

static const char *const BODY_FIELDS[] = {"kind", "variant", "stage", "values", "dry_run",
					  "send_email", NULL};

void api_letter_issue(http_request *req)
{
	const char *key;
	json_t *v;
	json_object_foreach(req->json, key, v) {
		if (!model_is_one_of(BODY_FIELDS, key)) {
			http_error(req, 422, "invalid", key,
				   "is not a field of a letter (kind, variant, stage, values, dry_run, "
				   "send_email)");
			return;
		}
	}
	json_t *kind = json_object_get(req->json, "kind");
	json_t *variant = json_object_get(req->json, "variant");
	json_t *stage = json_object_get(req->json, "stage");
	json_t *values = json_object_get(req->json, "values");
	json_t *dry = json_object_get(req->json, "dry_run");
	json_t *send = json_object_get(req->json, "send_email");
	if (!json_is_string(kind)) {
		http_error(req, 422, "invalid", "kind", "is required: the kind of letter");
		return;
	}
	if (!authz_letter_kind(req, json_string_value(kind)))
		return;
	if (variant && !json_is_string(variant)) {
		http_error(req, 422, "invalid", "variant", "must be standard, plain or child");
		return;
	}
	if (stage && (!json_is_integer(stage) || json_integer_value(stage) < 1 ||
		      json_integer_value(stage) > 3)) {
		http_error(req, 422, "invalid", "stage", "must be 1, 2 or 3");
		return;
	}
	if (values && !json_is_object(values)) {
		http_error(req, 422, "invalid", "values", "must be an object");
		return;
	}
	if (dry && !json_is_boolean(dry)) {
		http_error(req, 422, "invalid", "dry_run", "must be true or false");
		return;
	}
	if (send && !json_is_boolean(send)) {
		http_error(req, 422, "invalid", "send_email", "must be true or false");
		return;
	}
	const char *env = getenv("FAIRHEARING_LETTERS");
	const char *dirs[3] = {0};
	size_t n = 0;
	if (env && *env)
		dirs[n++] = env;
	dirs[n] = FH_LETTERS_DIR;
	fh_actor actor;
	authz_actor(req, req->case_org_id, &actor);
	store_letter_request r = {
		.reference = req->params[0], .kind = json_string_value(kind),
		.variant = json_string_value(variant), .stage = (int)json_integer_value(stage),
		.values = values, .template_dirs = dirs, .dry_run = json_is_true(dry),
		.send_email = json_is_true(send) && !json_is_true(dry),
	};
	store_letter l;
	fh_error err = {0};
	if (store_letter_issue(req->st, &r, &actor, req->today, req->arena, &l, &err)) {
		http_fail(req, &err);
		return;
	}
	json_t *out = letter_json(req, &l);
	json_object_set_new(out, "document", json_loads(l.document, 0, NULL));
	if (r.dry_run) {
		json_object_del(out, "id");
		json_object_del(out, "href");
		json_object_set_new(out, "recorded", json_false());
		http_json(req, 200, out);
		return;
	}
	json_object_set_new(out, "recorded", json_true());
	if (l.emailed_to)
		json_object_set_new(out, "email", json_string("queued"));
	req->location = arena_printf(req->arena, "/api/v1/cases/%s/letters/%lld", req->params[0],
				     (long long)l.id);
	http_json(req, 201, out);
}

void api_letter_get(http_request *req)
{
	int64_t id;
	if (!api_path_id(req, 1, "letter", &id))
		return;
	const char *format = http_query(req, "format");
	if (!format)
		format = "json";
	if (strcmp(format, "json") && strcmp(format, "html") && strcmp(format, "pdf")) {
		http_error(req, 400, "invalid_parameter", "format", "must be json, html or pdf");
		return;
	}
	store_letter l;
	fh_error err = {0};
	if (store_letter_get(req->st, req->params[0], id, req->arena, &l, &err)) {
		http_fail(req, &err);
		return;
	}
	json_t *doc = json_loads(l.document, 0, NULL);
	if (!doc) {
		http_error(req, 500, "internal", NULL, "the stored letter is not readable");
		return;
	}
	if (!server_log_read(req, req->case_id, "document",
			     arena_printf(req->arena, "letter %lld %s", (long long)id, format))) {
		json_decref(doc);
		return;
	}
	if (!strcmp(format, "json")) {
		json_t *out = letter_json(req, &l);
		json_object_set_new(out, "document", doc);
		http_json(req, 200, out);
		return;
	}
	const char *name = arena_printf(req->arena, "%s-letter-%lld.%s", req->params[0], (long long)id, format);
	req->content_disposition = arena_printf(req->arena, "%s; filename=\"%s\"",
						!strcmp(format, "pdf") ? "attachment" : "inline", name);
	if (!strcmp(format, "html")) {
		html_buf b = HTML_BUF_INIT;
		letter_html(doc, &b);
		json_decref(doc);
		req->status = 200;
		req->text_out = b.data;
		req->text_len = b.len;
		req->content_type = "text/html; charset=utf-8";
		return;
	}
	const char *subject = json_string_value(json_object_get(doc, "subject"));
	const char *org = json_string_value(json_object_get(json_object_get(doc, "letterhead"), "name"));
	api_answer_pdf(req, json_pack("[o]", doc), subject, org);
}

void api_answer_pdf(http_request *req, json_t *pages, const char *title, const char *org)
{
	pdf_bytes pdf;
	fh_error err = {0};
	fh_status s = letter_pdf(pages, title, org, &pdf, &err);
	json_decref(pages);
	if (s) {
		http_fail(req, &err);
		return;
	}
	req->status = 200;
	req->text_out = (char *)pdf.data;
	req->text_len = pdf.len;
	req->content_type = "application/pdf";
}

void api_letter_resend(http_request *req)
{
	int64_t id;
	if (!api_path_id(req, 1, "letter", &id))
		return;
	if (json_object_size(req->json)) {
		http_error(req, 422, "invalid", json_object_iter_key(json_object_iter(req->json)),
			   "is not a field: sending a letter again takes none");
		return;
	}
	store_letter l;
	fh_error err = {0};
	if (store_letter_get(req->st, req->params[0], id, req->arena, &l, &err)) {
		http_fail(req, &err);
		return;
	}
	if (!authz_letter_kind(req, l.kind))
		return;
	fh_actor actor;
	authz_actor(req, req->case_org_id, &actor);
	store_outbox_resent r;
	if (store_outbox_resend(req->st, req->params[0], id, actor.name, req->arena, &r, &err)) {
		http_fail(req, &err);
		return;
	}
	req->location = arena_printf(req->arena, "/api/v1/cases/%s/letters/%lld", req->params[0],
				     (long long)id);
	http_json(req, 202, json_pack("{s:I s:s s:s s:s s:s s:s}", "letter", (json_int_t)id,
				      "email", "queued", "message_id", r.message_id, "to", r.to,
				      "again_of", r.again_of, "again_of_state", r.again_of_state));
}
