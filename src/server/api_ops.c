/*
 * api_ops.c: what operators and their monitoring call.
 */
#include "api.h"

#include <stdio.h>

#include "authz.h"
#include "metrics.h"
#include "server.h"
#include "store.h"

void api_healthz(http_request *req)
{
	fh_error err = {0};
	if (store_ping(req->st, &err)) {
		fprintf(stderr, "fairhearing: serve: health check: %s\n", err.message);
		http_json(req, 503, json_pack("{ss ss}", "status", "unavailable", "reason",
					      "the database does not answer"));
		return;
	}
	http_json(req, 200, json_pack("{ss}", "status", "ok"));
}

void api_metrics(http_request *req)
{
	fh_error err = {0};
	char today[DATE_ISO_LEN];
	date_format(req->today, today);
	/* Case counts only for the organisations the caller administers: the
	 * route lets in an administrator of any. */
	size_t n = 0;
	metrics_org *orgs = arena_array(req->arena, req->who->user.n_grants + 1, sizeof *orgs);
	for (size_t i = 0; i < req->who->user.n_grants; i++) {
		const store_grant *g = &req->who->user.grants[i];
		bool seen = false;
		for (size_t j = 0; j < n; j++)
			seen |= orgs[j].id == g->org_id;
		if (!seen && authz_role_bit(g->role) == AUTHZ_ADMINISTRATOR)
			orgs[n++] = (metrics_org){g->org_id, g->org_code};
	}
	server_write_counts(req->srv);
	char *text = metrics_render(server_metrics(req->srv), req->st, today, orgs, n, &err);
	if (!text) {
		http_fail(req, &err);
		return;
	}
	req->status = 200;
	req->text_out = text;
	req->content_type = "text/plain; version=0.0.4; charset=utf-8";
}
