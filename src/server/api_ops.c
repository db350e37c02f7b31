/*
 * api_ops.c: what operators and their monitoring call.
 */
#include "api.h"

#include <stdio.h>

#include "metrics.h"
#include "server.h"
#include "store_access.h"

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
	server_write_counts(req->srv);
	char *text = metrics_render(server_metrics(req->srv), req->st, today, &err);
	if (!text) {
		http_fail(req, &err);
		return;
	}
	req->status = 200;
	req->text_out = text;
	req->content_type = "text/plain; version=0.0.4; charset=utf-8";
}
