/*
 * web_track.c: the private tracking page, /o/{org}/track/{token}.
 *
 * Whoever holds the link given on the confirmation page sees where their
 * complaint stands: its stage, what happens next and by when (the running
 * clocks), and, once a stage has been answered, how and by when they may
 * ask for the next one (the advice the lifecycle computed from the
 * procedure's escalation window).  The link's token is checked by its
 * digest only; an unknown token and another organisation's look the same
 * (404).  Only the lifecycle's public view is used, so what the customer
 * must never see (the confidential addendum, what was said in mediation)
 * cannot appear; staff names and internal notes are not shown either.  Each
 * view is written to the access log as a read of personal data.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "server.h"
#include "store_auth.h"
#include "store_lifecycle.h"
#include "store_public.h"
#include "web.h"
#include "web_pages.h"
#include "web_public.h"

static const char *str(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v && *v ? v : NULL;
}

static const char *long_date(http_request *req, const char *iso)
{
	static const char *const months[] = {"January", "February", "March", "April", "May", "June",
					     "July", "August", "September", "October", "November",
					     "December"};
	fh_date d;
	if (!iso || !date_parse(iso, &d))
		return iso;
	int y, m, day;
	date_to_ymd(d, &y, &m, &day);
	return arena_printf(req->arena, "%d %s %d", day, months[m - 1], y);
}

/* What a clock is, in the customer's words. */
static const char *clock_words(const char *clock)
{
	static const struct {
		const char *clock, *words;
	} table[] = {
		{"acknowledge", "We tell you we have received it"},
		{"response", "Our response"},
		{"panel", "The review panel meets"},
		{"chair_report", "The panel chair's report"},
	};
	for (size_t i = 0; clock && i < sizeof table / sizeof table[0]; i++)
		if (strcmp(table[i].clock, clock) == 0)
			return table[i].words;
	return clock;
}

static void not_found(http_request *req)
{
	web_error_page(req, 404, "This link does not work",
		       "Check that you copied the whole link. If it still does not work, contact "
		       "us and quote your reference.");
}

bool web_track_open(http_request *req, web_track_link *t)
{
	memset(t, 0, sizeof *t);
	if (!web_public_org_load(req, &t->o))
		return false;
	uint8_t hash[STORE_TOKEN_HASH_BYTES];
	store_token_hash(req->params[1], hash);
	int64_t org_id = 0;
	t->s = store_tracking_resolve(req->st, hash, req->arena, &t->reference, &t->case_id,
				      &org_id, &t->err);
	if (!t->s && org_id != t->o.org.id)
		t->s = FH_ENOTFOUND;
	return true;
}

void web_public_track(http_request *req)
{
	web_track_link t;
	if (!web_track_open(req, &t))
		return;
	web_public_org o = t.o;
	const char *reference = t.reference;
	int64_t case_id = t.case_id;
	fh_error err = t.err;
	fh_status s = t.s;
	if (s == FH_ENOTFOUND) {
		web_public_org_free(&o);
		not_found(req);
		return;
	}
	fh_case c;
	json_t *view = NULL;
	fh_actor actor = {.name = "system:tracking-link"};
	if (!s)
		s = store_case_get(req->st, reference, req->arena, &c, &err);
	if (!s)
		s = store_case_lifecycle(req->st, reference, &actor, req->today, true, &view, &err);
	if (s) {
		web_public_org_free(&o);
		http_fail(req, &err);
		return;
	}
	json_t *state = json_object_get(view, "state");
	const char *what = !strcmp(c.kind, "complaint") ? "complaint"
			   : !strcmp(c.kind, "comment") ? "comment" : "compliment";

	html_buf b = HTML_BUF_INIT;
	web_page_opts opts = {.org_name = o.org.name, .home = o.home};
	web_page_begin(req, &b, arena_printf(req->arena, "Your %s", what), &opts);
	html_rawf(&b, "<h1>Your %s</h1>", what);
	web_summary_begin(&b);
	web_summary_row(&b, "Reference", c.reference, NULL, NULL);
	web_summary_row(&b, "We received it on", long_date(req, c.received_on), NULL, NULL);
	web_summary_row(&b, "About", c.summary, NULL, NULL);

	/* Where it stands. */
	const char *status = str(state, "status");
	json_t *stages = json_object_get(state, "stages");
	json_t *current = json_array_size(stages) ? json_array_get(stages, json_array_size(stages) - 1)
						   : NULL;
	const char *where;
	if (status && !strcmp(status, "closed"))
		where = arena_printf(req->arena, "Closed on %s", long_date(req, str(state, "closed_on")));
	else if (status && !strcmp(status, "withdrawn"))
		where = "Withdrawn";
	else if (status && !strcmp(status, "suspended"))
		where = "On hold while other proceedings finish";
	else if (current && str(current, "status") && !strcmp(str(current, "status"), "responded"))
		where = arena_printf(req->arena, "Stage %lld (%s): we sent our response on %s",
				     (long long)json_integer_value(json_object_get(current, "number")),
				     str(current, "name") ? str(current, "name") : "",
				     long_date(req, str(current, "responded_on")));
	else if (current)
		where = arena_printf(req->arena, "Stage %lld: %s",
				     (long long)json_integer_value(json_object_get(current, "number")),
				     str(current, "name") ? str(current, "name") : "");
	else if (strcmp(c.kind, "complaint") != 0)
		where = "Received and passed on to the people it is about";
	else
		where = "Received: we are deciding how to deal with it";
	web_summary_row(&b, "Where it is now", where, NULL, NULL);
	web_summary_end(&b);

	/* What happens next, by when: the clocks that are running. */
	json_t *deadlines = json_object_get(view, "deadlines");
	html_raw(&b, "<h2>What happens next</h2>");
	if (!json_array_size(deadlines)) {
		html_raw(&b, "<p>There is nothing we are waiting to do at the moment.</p>");
	} else {
		html_raw(&b, "<div class=\"table-wrap\"><table><caption class=\"visually-hidden\">What "
			     "happens next and by when</caption><thead><tr><th scope=\"col\">What"
			     "</th><th scope=\"col\">By</th></tr></thead><tbody>");
		size_t i;
		json_t *d;
		json_array_foreach(deadlines, i, d) {
			html_raw(&b, "<tr><td>");
			html_text(&b, clock_words(str(d, "clock")));
			json_int_t stage = json_integer_value(json_object_get(d, "stage"));
			if (stage > 0)
				html_rawf(&b, " (stage %lld)", (long long)stage);
			html_raw(&b, "</td><td>");
			if (str(d, "due")) {
				html_text(&b, long_date(req, str(d, "due")));
				if (json_is_true(json_object_get(d, "stopped")))
					html_raw(&b, " (paused for now)");
			} else {
				html_raw(&b, "Not started yet");
			}
			html_raw(&b, "</td></tr>");
		}
		html_raw(&b, "</tbody></table></div>");
	}

	/* 000 "The outcome of your complaint": the reports
	 * sent with a stage response, once it is issued.  The view is the
	 * public one (no confidential addendum), and only the kinds the
	 * response recorded as enclosed (io, ip) are shown. */
	size_t si;
	json_t *st;
	json_array_foreach(stages, si, st) {
		json_t *resp = json_object_get(st, "response");
		size_t ei;
		json_t *kind;
		json_array_foreach(json_object_get(resp, "encloses"), ei, kind) {
			const char *k = json_string_value(kind);
			const char *text = k && (!strcmp(k, "io") || !strcmp(k, "ip"))
				? str(json_object_get(json_object_get(st, "reports"), k), "summary")
				: NULL;
			if (!text)
				continue;
			html_rawf(&b, "<h2>%s (sent with our stage %lld response)</h2><div class=\"inset\"><p>",
				  !strcmp(k, "io") ? "The Investigating Officer&#39;s report"
						   : "The Independent Person&#39;s report",
				  (long long)json_integer_value(json_object_get(st, "number")));
			html_text(&b, text);
			html_raw(&b, "</p></div>");
		}
	}

	/* How to go further, once a stage has been answered: closing the case
	 * does not take the right away while the window is open. */
	const char *advice = current ? str(json_object_get(current, "response"), "escalation_advice")
				     : NULL;
	json_t *until = current ? json_object_get(current, "escalate_until") : NULL;
	char today[DATE_ISO_LEN];
	date_format(req->today, today);
	bool closed_in_window = status && !strcmp(status, "closed") && str(until, "latest") &&
				strcmp(str(until, "latest"), today) >= 0 && !json_object_get(state, "declined");
	if (advice && status &&
	    ((!strcmp(status, "open") &&
	      !strcmp(str(current, "status") ? str(current, "status") : "", "responded")) ||
	     closed_in_window)) {
		html_raw(&b, "<h2>If you are not happy with our response</h2><div class=\"inset\"><p>");
		html_text(&b, advice);
		html_raw(&b, "</p>");
		if (str(until, "latest")) {
			html_raw(&b, "<p>");
			html_text(&b, arena_printf(req->arena, "You can ask for stage %lld until %s%s.",
						   (long long)json_integer_value(json_object_get(until, "stage")),
						   long_date(req, str(until, "latest")),
						   closed_in_window ? ", even though the case is closed" : ""));
			html_raw(&b, "</p>");
		}
		html_raw(&b, "</div><p>To ask, reply to our letter, or contact us and quote your "
			     "reference");
		if (o.org.address && *o.org.address) {
			html_raw(&b, ": ");
			html_text(&b, o.org.address);
		}
		html_raw(&b, ".</p>");
	}
	web_track_letters(req, &b, reference);
	html_raw(&b, "<h2>Help</h2><p>An advocate can help you");
	if (o.org.advocacy_service && *o.org.advocacy_service) {
		html_raw(&b, ": ");
		html_text(&b, o.org.advocacy_service);
	}
	html_raw(&b, ".</p>");
	web_page_end(req, &b);
	json_decref(view);
	web_public_org_free(&o);
	/* A read of personal data, on record before it is sent. */
	if (!server_log_read(req, case_id, "case", "private tracking link")) {
		html_buf_free(&b);
		return;
	}
	web_html(req, 200, &b);
}
