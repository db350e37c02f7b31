/*
 * staff_search.c: finding a case by reference, name or words.
 *
 * The search is the API's (store_case_query_run: FTS5 over references,
 * people's names and the complaint's words, every word whole but the last,
 * which may be the start of a word), with the
 * same need to know: a user finds only the cases they could open.  A search
 * looks at people's names, so each one is written to the access log with
 * what was searched for, as the API does.
 *
 * Results come a page at a time: "Next page" carries the cursor of the
 * page's last case (`after`), so a later page costs what the first does;
 * how many match is counted up to STORE_COUNT_CAP and said as "more than"
 * past it.  `page` (a page number) still works for links made before.
 */
#include "web_staff.h"

#include <stdlib.h>
#include <string.h>

#include "server.h"
#include "store_search.h"
#include "web.h"

enum { PAGE_SIZE = 25 };

void staff_search(http_request *req)
{
	const char *q = http_query(req, "q");
	const char *page_text = http_query(req, "page");
	web_errors errors = {0};
	size_t page = 1;
	if (page_text && *page_text) {
		char *end;
		long n = strtol(page_text, &end, 10);
		if (*end || n < 1 || n > 10000) {
			http_error(req, 400, "invalid_parameter", "page",
				   "must be a whole number from 1 to 10000");
			return;
		}
		page = (size_t)n;
	}
	const char *after_text = http_query(req, "after");
	store_cursor after;
	if (after_text && *after_text && !store_cursor_parse(after_text, &after)) {
		http_error(req, 400, "invalid_parameter", "after",
			   "is not the cursor of a page of results");
		return;
	}
	bool later = (after_text && *after_text) || page > 1;
	if (q && strlen(q) > MODEL_SHORT_MAX)
		web_errors_add(&errors, "q", "Search for 200 characters or fewer");

	fh_case *cases = NULL;
	size_t count = 0;
	store_page found = {0};
	bool searched = q && *q && !errors.n;
	if (searched) {
		store_ws_filter scope = {0};
		staff_scope(req, &scope);
		store_case_query query = {.user_id = scope.user_id, .org_wide = scope.org_wide,
					  .n_org_wide = scope.n_org_wide,
					  .assigned_only = scope.assigned_only,
					  .n_assigned_only = scope.n_assigned_only, .text = q,
					  .limit = PAGE_SIZE, .offset = (page - 1) * PAGE_SIZE,
					  .after = after_text && *after_text ? &after : NULL};
		fh_error err = {0};
		if (store_case_query_run(req->st, &query, req->arena, &cases, &count, &found, &err)) {
			http_fail(req, &err);
			return;
		}
		if (!server_log_read(req, 0, "search", q))
			return;
	}

	html_buf b = HTML_BUF_INIT;
	staff_page_begin(req, &b, errors.n ? "Error: Search" : "Search", "/staff/search");
	web_error_summary(&b, &errors);
	html_raw(&b, "<h1>Search cases</h1><form method=\"get\" action=\"/staff/search\" "
		     "role=\"search\">");
	web_input(&b, &(web_field){.name = "q", .label = "Reference, name or words",
				   .hint = "For example BCT-2026-00042, a family name, or words "
					   "from the complaint. Every word must match; the last "
					   "may be the start of a word (3 letters or more)",
				   .value = q, .error = web_errors_for(&errors, "q"),
				   .type = "search"});
	html_raw(&b, "<button type=\"submit\" class=\"button\">Search</button></form>");
	if (searched) {
		html_raw(&b, "<h2>Results</h2>");
		if (!count) {
			html_raw(&b, "<p>No case you may see matches.</p>");
		} else {
			if (found.total_capped)
				html_rawf(&b, "<div class=\"table-wrap\"><table><caption>More than %d "
					      "cases match", STORE_COUNT_CAP);
			else
				html_rawf(&b, "<div class=\"table-wrap\"><table><caption>%zu case%s "
					      "match%s", found.total, found.total == 1 ? "" : "s",
					  found.total == 1 ? "es" : "");
			html_rawf(&b, "%s</caption><thead><tr><th scope=\"col\">Case</th>"
				      "<th scope=\"col\">Summary</th><th scope=\"col\">Received</th>"
				      "<th scope=\"col\">State</th></tr></thead><tbody>",
				  later ? " (a later page)" : "");
			for (size_t i = 0; i < count; i++) {
				html_raw(&b, "<tr><td><a href=\"/staff/cases/");
				html_attr(&b, cases[i].reference);
				html_raw(&b, "\">");
				html_text(&b, cases[i].reference);
				html_raw(&b, "</a></td><td>");
				html_text(&b, cases[i].summary);
				html_raw(&b, "</td><td>");
				html_text(&b, staff_date(req, cases[i].received_on));
				html_raw(&b, "</td><td>");
				html_text(&b, staff_words(req, cases[i].state));
				if (cases[i].stage)
					html_rawf(&b, ", stage %d", cases[i].stage);
				html_raw(&b, "</td></tr>");
			}
			html_raw(&b, "</tbody></table></div>");
			if (later || found.next[0]) {
				html_raw(&b, "<nav class=\"pagination\" aria-label=\"Pages\"><ul>");
				const char *enc = web_url_encode(req, q);
				if (later) {
					html_raw(&b, "<li><a href=\"/staff/search?q=");
					html_attr(&b, enc);
					html_raw(&b, "\">First page</a></li>");
				}
				if (found.next[0]) {
					html_raw(&b, "<li><a rel=\"next\" href=\"/staff/search?q=");
					html_attr(&b, enc);
					html_raw(&b, "&amp;after=");
					html_attr(&b, found.next);
					html_raw(&b, "\">Next page</a></li>");
				}
				html_raw(&b, "</ul></nav>");
			}
		}
	}
	web_page_end(req, &b);
	web_html(req, errors.n ? 400 : 200, &b);
}
