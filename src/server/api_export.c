/*
 * api_export.c: a case's file as a PDF bundle for the Ombudsman, and the
 * caller's deadlines as an iCalendar feed (docs/letters.md "Exports").
 *
 * The case file is for those who deal with the Ombudsman (EXPORTERS in
 * routes.c).  ?confidential=true adds the confidential addendum, the
 * content of confidential events and confidential documents, and only for
 * those who may see them (the complaints team and the adjudicating
 * officer, as everywhere else): anyone else asking gets 403.  The export
 * is a read of the whole case, so it is in the access log before it is
 * sent.
 *
 * The deadlines feed is the signed-in user's own: the cases they are
 * assigned to.  Calendar apps cannot send headers, so the route also takes
 * the API token as ?token= (ROUTE_TOKEN_IN_QUERY); a token made for the
 * calendar alone can be revoked alone.
 */
#include "api.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "authz.h"
#include "server.h"
#include "store_export.h"

void api_case_export(http_request *req)
{
	const char *flag = http_query(req, "confidential");
	if (flag && strcmp(flag, "true") && strcmp(flag, "false")) {
		http_error(req, 400, "invalid_parameter", "confidential", "must be true or false");
		return;
	}
	bool confidential = flag && !strcmp(flag, "true");
	if (confidential && !authz_may_see_confidential(req)) {
		http_error(req, 403, "forbidden", "confidential",
			   "only the complaints team and the adjudicating officer may see the "
			   "confidential addendum (001 B Stage 2)");
		return;
	}
	fh_actor actor;
	authz_actor(req, req->case_org_id, &actor);
	json_t *pages = NULL;
	const char *org = NULL;
	fh_error err = {0};
	if (store_case_file(req->st, req->params[0], confidential, &actor, req->today, req->arena,
			    &pages, &org, &err)) {
		http_fail(req, &err);
		return;
	}
	if (!server_log_read(req, req->case_id, "document",
			     confidential ? "case file with confidential" : "case file")) {
		json_decref(pages);
		return;
	}
	api_answer_pdf(req, pages, arena_printf(req->arena, "Case file %s", req->params[0]), org);
	if (req->status == 200)
		req->content_disposition = arena_printf(req->arena,
							"attachment; filename=\"%s-case-file.pdf\"",
							req->params[0]);
}

void api_deadlines_ics(http_request *req)
{
	store_deadline_row *rows = NULL;
	size_t n = 0;
	fh_error err = {0};
	if (store_officer_deadlines(req->st, req->who->user.user_id, req->arena, &rows, &n, &err)) {
		http_fail(req, &err);
		return;
	}
	html_buf b = HTML_BUF_INIT;
	store_deadlines_ics(req->who->user.email, rows, n, time(NULL), &b);
	req->status = 200;
	req->text_out = b.data;
	req->text_len = b.len;
	req->content_type = "text/calendar; charset=utf-8";
}
