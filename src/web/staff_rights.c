/*
 * staff_rights.c: data rights on the staff pages (DOMAIN §8; 001 §14.3):
 * consent to share (its form, on the case page's advocacy section), the
 * subject access export as a PDF, and a redacted copy of a document.
 */
#include "staff_forms.h"

#include <string.h>

#include <jansson.h>

#include "authz.h"
#include "rights.h"
#include "server.h"
#include "store_document.h"
#include "store_rights.h"
#include "subject_access.h"
#include "web.h"

const pf_form STAFF_RIGHTS_FORMS[] = {
	{"share", "Record consent to share",
	 "Written, signed and dated consent before independent consideration (001 §14.3).",
	 ON_CASE_PAGE, false, api_consent_add,
	 {{"person_id", "Person", NULL, PF_PERSON, NULL, false},
	  {"written", "Given in writing", NULL, PF_TICK, NULL, false},
	  {"signed", "Signed", NULL, PF_TICK, NULL, false},
	  {"dated_on", "Dated", "YYYY-MM-DD", PF_DATE, NULL, false}}, false, NULL},
	{.key = NULL},
};

void staff_consent_add(http_request *req) { staff_form_post(req, "share"); }

/*
 * GET /staff/orgs/{org}/people/{id}/export.pdf: the subject access export
 * (the API's JSON, store_subject_export) typeset by the letters' PDF writer.
 * Logged as the biggest read there is, before it is sent.
 */
void staff_person_export_pdf(http_request *req)
{
	long long person = req->ids[1];
	if (!person) {
		http_error(req, 404, "not_found", "id", "no such person");
		return;
	}
	json_t *out = api_subject_export_read(req, person, " (PDF)");
	if (!out)
		return;
	fh_error err = {0};
	char today[DATE_ISO_LEN];
	date_format(req->today, today);
	/* the letterhead: the organisation's name, as on its letters */
	fh_org o = {0};
	const char *org = store_org_get(req->st, req->params[0], req->arena, &o, &err) == FH_OK
				  ? o.name : json_string_value(json_object_get(out, "organisation"));
	const char *reference = arena_printf(req->arena, "Subject access %s-%lld", req->params[0],
					     person);
	json_t *models = subject_access_models(out, org ? org : req->params[0], reference, today);
	/* typeset and answered as the API's PDFs are (api_answer_pdf takes models) */
	api_answer_pdf(req, models, reference, org ? org : req->params[0]);
	json_decref(out); /* after the last use of org, which it holds */
	if (req->status != 200)
		return;
	req->content_disposition = arena_printf(req->arena,
						"attachment; filename=\"subject-access-%s-%lld.pdf\"",
						req->params[0], person);
}

/* ---- a redacted copy of a document (DOMAIN §8) ------------------------------------- */

static const web_option REDACTED_FOR[] = {
	{"customer", "Customer", "To share with the customer"},
	{"staff", "Staff", "Only staff who may see the case"}};

static void redact_fields(http_request *req, html_buf *b, int64_t id, const web_errors *errors,
			  bool posted)
{
	const char *file = arena_printf(req->arena, "redact%lld-file", (long long)id);
	const char *removed = arena_printf(req->arena, "redact%lld-removed", (long long)id);
	const char *vis = arena_printf(req->arena, "redact%lld-visibility", (long long)id);
	web_file_input(b, &(web_field){.name = file, .label = "The redacted copy",
				       .hint = "A PDF, PNG, JPEG, plain text or Word document, up to 5 MB",
				       .accept = ".pdf,.png,.jpg,.jpeg,.txt,.docx",
				       .error = web_errors_for(errors, file)});
	web_textarea(b, &(web_field){.name = removed, .label = "What was taken out, and why",
				     .rows = 3, .error = web_errors_for(errors, removed),
				     .value = posted ? web_form(req, removed) : NULL});
	web_radios(b, &(web_field){.name = vis, .label = "Who may see the copy",
				   .options = REDACTED_FOR, .n_options = 2,
				   .value = posted && web_form(req, vis) ? web_form(req, vis) : "customer",
				   .error = web_errors_for(errors, vis)});
}

static void redact_form(http_request *req, html_buf *b, const char *reference, int64_t id,
			const web_errors *errors, bool posted)
{
	html_raw(b, "<form method=\"post\" enctype=\"multipart/form-data\" novalidate action=\"");
	html_attr(b, arena_printf(req->arena, "/staff/cases/%s/documents/%lld/redactions",
				  web_url_encode(req, reference), (long long)id));
	html_raw(b, "\">");
	web_csrf_field(req, b);
	redact_fields(req, b, id, errors, posted);
	html_raw(b, "<button type=\"submit\" class=\"button button-secondary\">Add the redacted "
		    "copy</button></form>");
}

void staff_rights_redactions(http_request *req, html_buf *b, const char *reference,
			     const store_document *docs, size_t n)
{
	if (!(authz_roles_in(req->who, req->case_org_id) & AUTHZ_REDACT))
		return;
	for (size_t i = 0; i < n; i++) {
		html_raw(b, "<details class=\"filters\"><summary>Make a redacted copy of ");
		html_text(b, docs[i].filename);
		html_raw(b, "</summary><p class=\"hint\">The original is kept unchanged; the copy "
			    "is a new document, for sharing (DOMAIN §8).</p>");
		redact_form(req, b, reference, docs[i].id, NULL, false);
		html_raw(b, "</details>");
	}
}

/*
 * POST /staff/cases/{ref}/documents/{id}/redactions: the copy, checked as
 * every upload is (store_document_check), kept beside the original with its
 * audit events (store_document_redact), as the API's route does.
 */
void staff_document_redact(http_request *req)
{
	long long id = req->ids[1];
	if (!id) {
		http_error(req, 404, "not_found", "id", "no such document");
		return;
	}
	const char *file = arena_printf(req->arena, "redact%lld-file", id);
	const char *removed_f = arena_printf(req->arena, "redact%lld-removed", id);
	const char *vis_f = arena_printf(req->arena, "redact%lld-visibility", id);
	size_t n = 0;
	const web_upload *files = web_files(req, file, &n);
	const char *removed = web_form(req, removed_f);
	const char *visibility = web_form(req, vis_f);
	if (!visibility || !*visibility)
		visibility = "customer";
	web_errors errors = {0};
	fh_error err = {0};
	if (n != 1)
		web_errors_add(&errors, file, "Choose the redacted copy to add");
	else if (store_document_check(files[0].filename, files[0].content_type, visibility,
				      files[0].data, files[0].size, &err))
		web_errors_add(&errors, strcmp(err.field, "visibility") == 0 ? vis_f : file,
			       strcmp(err.field, "content_type") == 0
				       ? "The file must be a PDF, PNG, JPEG, plain text or Word document"
				       : arena_printf(req->arena, "The file %s", err.message));
	if (!removed || !*staff_trimmed(req, removed))
		web_errors_add(&errors, removed_f, "Say what was taken out of the copy, and why "
			       "(DOMAIN §8)");
	int status = 422;
	if (!errors.n) {
		bool confidential = authz_may_see_confidential(req);
		store_document d;
		fh_status s = store_document_redact(req->st, req->params[0], id, confidential,
						    files[0].filename, files[0].content_type,
						    visibility, files[0].data, files[0].size,
						    staff_trimmed(req, removed), req->who->user.email,
						    req->arena, &d, &err);
		if (!s) {
			web_redirect(req, arena_printf(req->arena, "/staff/cases/%s?done=redaction#documents",
						       web_url_encode(req, req->params[0])));
			return;
		}
		if (s != FH_EINVAL && s != FH_ERULE && s != FH_ECONFLICT) {
			http_fail(req, &err);
			return;
		}
		web_errors_add(&errors, removed_f, err.source[0]
				       ? arena_printf(req->arena, "%s (%s)", err.message, err.source)
				       : err.message);
	}
	html_buf b = HTML_BUF_INIT;
	staff_page_begin(req, &b, "Error: Make a redacted copy", NULL);
	html_raw(&b, "<a class=\"back-link\" href=\"");
	html_attr(&b, arena_printf(req->arena, "/staff/cases/%s#documents",
				   web_url_encode(req, req->params[0])));
	html_raw(&b, "\">Back to the case</a>");
	web_error_summary(&b, &errors);
	html_raw(&b, "<span class=\"caption\">");
	html_text(&b, req->params[0]);
	html_raw(&b, "</span><h1>Make a redacted copy</h1><p>The original is kept unchanged; the "
		     "copy is a new document, for sharing (DOMAIN §8).</p>");
	redact_form(req, &b, req->params[0], id, &errors, true);
	web_page_end(req, &b);
	web_html(req, status, &b);
}
