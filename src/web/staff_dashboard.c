/*
 * staff_dashboard.c: "My work" and the team dashboard.
 *
 * Both show the open cases the user may see (need to know: store_workspace),
 * counted by clock (overdue, due today, due in the next seven days) and by
 * stage, and listed soonest due first, a page at a time; "My work" only the
 * cases the user is assigned to.  The filters (organisation, team, officer,
 * stage, procedure) are a GET form, so a filtered view is a link that can
 * be bookmarked or shared.  The lists show references, summaries, dates and
 * the staff assigned, not the people on the case or their contact details:
 * like the API's case list, a dashboard is not logged as a read of a case;
 * opening the case is, and is logged there.
 */
#include "web_staff.h"

#include <stdlib.h>
#include <string.h>

#include "authz.h"
#include "date.h"
#include "store_lifecycle.h"
#include "store_outbox.h"
#include "web.h"

enum { PAGE_SIZE = 25 };

typedef struct view {
	bool mine;
	const char *path; /* /staff/work or /staff/team */
	store_ws_filter f;
	store_ws_clock clock;
	size_t page;      /* from 1 */
} view;

static const char *const CLOCK_NAMES[] = {"all", "overdue", "today", "week", NULL};

/* The dashboard's query string for v with one change (NULL: none). */
static const char *link_to(http_request *req, const view *v, const char *clock, int stage,
			   size_t page)
{
	html_buf q = HTML_BUF_INIT;
	const char *sep = "?";
	struct { const char *name, *value; } args[] = {
		{"org", v->f.org_code}, {"team", v->f.team}, {"officer", v->f.officer},
		{"procedure", v->f.procedure},
	};
	for (size_t i = 0; i < sizeof args / sizeof args[0]; i++) {
		if (!args[i].value || !*args[i].value)
			continue;
		html_rawf(&q, "%s%s=", sep, args[i].name);
		html_raw(&q, web_url_encode(req, args[i].value));
		sep = "&";
	}
	if (stage >= 0) {
		html_rawf(&q, "%sstage=%d", sep, stage);
		sep = "&";
	}
	if (clock && strcmp(clock, "all") != 0) {
		html_rawf(&q, "%sclock=%s", sep, clock);
		sep = "&";
	}
	if (page > 1)
		html_rawf(&q, "%spage=%zu", sep, page);
	const char *out = arena_printf(req->arena, "%s%s", v->path, html_buf_str(&q));
	html_buf_free(&q);
	return out;
}

/* Reads and checks the query string; false with a 400 page when it is wrong. */
static bool read_view(http_request *req, view *v)
{
	staff_scope(req, &v->f);
	v->f.mine = v->mine;
	v->f.stage = -1;
	const char *stage = http_query(req, "stage");
	if (stage && *stage) {
		if (strlen(stage) != 1 || stage[0] < '0' || stage[0] > '3') {
			http_error(req, 400, "invalid_parameter", "stage", "must be 0, 1, 2 or 3");
			return false;
		}
		v->f.stage = stage[0] - '0';
	}
	const char *clock = http_query(req, "clock");
	v->clock = STORE_WS_ANY;
	if (clock && *clock) {
		size_t i = 0;
		while (CLOCK_NAMES[i] && strcmp(CLOCK_NAMES[i], clock) != 0)
			i++;
		if (!CLOCK_NAMES[i]) {
			http_error(req, 400, "invalid_parameter", "clock",
				   "must be one of all, overdue, today, week");
			return false;
		}
		v->clock = (store_ws_clock)i;
	}
	const char *page = http_query(req, "page");
	v->page = 1;
	if (page && *page) {
		char *end;
		long n = strtol(page, &end, 10);
		if (*end || n < 1 || n > 100000) {
			http_error(req, 400, "invalid_parameter", "page",
				   "must be a whole number from 1 to 100000");
			return false;
		}
		v->page = (size_t)n;
	}
	const char *names[] = {"org", "team", "officer", "procedure"};
	const char **into[] = {&v->f.org_code, &v->f.team, &v->f.officer, &v->f.procedure};
	for (size_t i = 0; i < 4; i++) {
		const char *value = http_query(req, names[i]);
		if (value && strlen(value) > MODEL_SHORT_MAX) {
			http_error(req, 400, "invalid_parameter", names[i], "at most %d characters",
				   MODEL_SHORT_MAX);
			return false;
		}
		*into[i] = value && *value ? value : NULL;
	}
	char today[DATE_ISO_LEN], week_end[DATE_ISO_LEN];
	date_format(req->today, today);
	date_format(req->today + 7, week_end);
	v->f.today = arena_strdup(req->arena, today);
	v->f.week_end = arena_strdup(req->arena, week_end);
	return true;
}

/* The select's options: "" (any) first, then each value once. */
static void add_option(http_request *req, web_option **opts, size_t *n, size_t *cap,
		       const char *value, const char *label)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*opts)[i].value, value) == 0)
			return;
	if (*n == *cap) {
		size_t bigger = *cap ? *cap * 2 : 16;
		web_option *more = arena_array(req->arena, bigger, sizeof *more);
		if (*n)
			memcpy(more, *opts, *n * sizeof *more);
		*opts = more;
		*cap = bigger;
	}
	(*opts)[(*n)++] = (web_option){value, label, NULL};
}

static void filters(http_request *req, html_buf *b, const view *v)
{
	web_option *orgs = NULL, *teams = NULL, *officers = NULL, *procs = NULL;
	size_t n_orgs = 0, c_orgs = 0, n_teams = 0, c_teams = 0, n_off = 0, c_off = 0;
	size_t n_procs = 0, c_procs = 0;
	add_option(req, &orgs, &n_orgs, &c_orgs, "", "Any");
	add_option(req, &teams, &n_teams, &c_teams, "", "Any");
	add_option(req, &officers, &n_off, &c_off, "", "Any");
	add_option(req, &procs, &n_procs, &c_procs, "", "Any");
	fh_error err = {0};
	for (size_t i = 0; i < req->who->user.n_grants; i++) {
		const store_grant *g = &req->who->user.grants[i];
		size_t before = n_orgs;
		add_option(req, &orgs, &n_orgs, &c_orgs, g->org_code, g->org_code);
		if (before == n_orgs)
			continue; /* this organisation's lists are in already */
		fh_team *t;
		size_t nt;
		if (!store_team_list(req->st, g->org_code, req->arena, &t, &nt, &err))
			for (size_t k = 0; k < nt; k++)
				add_option(req, &teams, &n_teams, &c_teams, t[k].name, t[k].name);
		/* Colleagues are listed only to those who see the whole organisation. */
		if (authz_roles_in(req->who, g->org_id) & AUTHZ_ORG_WIDE) {
			fh_user *u;
			size_t nu;
			if (!store_user_list(req->st, g->org_code, req->arena, &u, &nu, &err))
				for (size_t k = 0; k < nu; k++)
					if (!u[k].disabled)
						add_option(req, &officers, &n_off, &c_off, u[k].email,
							   u[k].display_name);
		}
	}
	store_procedure_row *rows;
	size_t nr;
	if (!store_procedure_list(req->st, req->arena, &rows, &nr, &err))
		for (size_t k = 0; k < nr; k++)
			for (size_t i = 1; i < n_orgs; i++)
				if (strcmp(orgs[i].value, rows[k].org) == 0)
					add_option(req, &procs, &n_procs, &c_procs, rows[k].code,
						   rows[k].name);
	static const web_option stages[] = {
		{"", "Any", NULL}, {"0", "New contacts (before Stage 1)", NULL},
		{"1", "Stage 1", NULL}, {"2", "Stage 2", NULL}, {"3", "Stage 3", NULL}};
	char stage[4] = "";
	if (v->f.stage >= 0)
		snprintf(stage, sizeof stage, "%d", v->f.stage);

	html_raw(b, "<details class=\"filters\"");
	if (v->f.org_code || v->f.team || v->f.officer || v->f.procedure || v->f.stage >= 0)
		html_raw(b, " open");
	html_raw(b, "><summary>Filter the cases</summary><form method=\"get\" action=\"");
	html_attr(b, v->path);
	html_raw(b, "\" class=\"filter-form\">");
	if (v->clock != STORE_WS_ANY)
		html_rawf(b, "<input type=\"hidden\" name=\"clock\" value=\"%s\">",
			  CLOCK_NAMES[v->clock]);
	if (n_orgs > 2)
		web_select(b, &(web_field){.name = "org", .label = "Organisation", .options = orgs,
					   .n_options = n_orgs, .value = v->f.org_code});
	web_select(b, &(web_field){.name = "team", .label = "Team", .options = teams,
				   .n_options = n_teams, .value = v->f.team});
	if (n_off > 1)
		web_select(b, &(web_field){.name = "officer", .label = "Officer",
					   .options = officers, .n_options = n_off,
					   .value = v->f.officer});
	web_select(b, &(web_field){.name = "stage", .label = "Stage", .options = stages,
				   .n_options = 5, .value = stage});
	web_select(b, &(web_field){.name = "procedure", .label = "Procedure", .options = procs,
				   .n_options = n_procs, .value = v->f.procedure});
	html_raw(b, "<div class=\"button-group\"><button type=\"submit\" class=\"button\">"
		    "Apply filters</button><a href=\"");
	html_attr(b, v->path);
	html_raw(b, "\">Clear filters</a></div></form></details>");
}

static void card(http_request *req, html_buf *b, const view *v, const char *clock,
		 const char *label, int64_t count, bool warn)
{
	bool current = strcmp(CLOCK_NAMES[v->clock], clock) == 0;
	html_raw(b, "<li class=\"card");
	if (warn && count > 0)
		html_raw(b, " card-warn");
	html_raw(b, "\"><a href=\"");
	html_attr(b, link_to(req, v, clock, v->f.stage, 1));
	html_raw(b, "\"");
	if (current)
		html_raw(b, " aria-current=\"true\"");
	html_rawf(b, "><span class=\"card-count\">%lld</span> <span class=\"card-label\">",
		  (long long)count);
	html_text(b, label);
	html_raw(b, "</span></a></li>");
}

/* The first person assigned, and how many more: a row stays readable. */
static void officers(html_buf *b, const char *list)
{
	const char *comma = strchr(list, ',');
	if (!comma) {
		html_text(b, list);
		return;
	}
	size_t more = 0;
	for (const char *p = comma; p; p = strchr(p + 1, ','))
		more++;
	char first[MODEL_SHORT_MAX + 1];
	size_t n = (size_t)(comma - list) < MODEL_SHORT_MAX ? (size_t)(comma - list) : MODEL_SHORT_MAX;
	memcpy(first, list, n);
	first[n] = '\0';
	html_text(b, first);
	html_rawf(b, " <span class=\"muted\">and %zu more</span>", more);
}


/*
 * The stop holding a case's clock and its age in days (no stop
 * goes unseen), while it lasts: a wait for the child's consent ends at the
 * procedure's limit even when nobody acts.
 */
static void clock_stop(http_request *req, html_buf *b, const store_ws_row *r, const char *today)
{
	fh_date since, now;
	if (!*r->stopped_since || (*r->stopped_until && strcmp(r->stopped_until, today) <= 0) ||
	    !date_parse(r->stopped_since, &since) || !date_parse(today, &now))
		return;
	long days = (long)(now - since);
	html_raw(b, " <span class=\"tag tag-grey\">Clock stopped: ");
	html_text(b, !strcmp(r->stopped_for, "consent") ? "waiting for the child's consent"
						       : staff_lower(req, r->stopped_for));
	html_rawf(b, ", %ld day%s", days, days == 1 ? "" : "s");
	if (*r->stopped_until) {
		html_raw(b, " (runs again ");
		html_text(b, staff_date(req, r->stopped_until));
		html_raw(b, ")");
	}
	html_raw(b, "</span>");
}
/*
 * Issue 17 item 8: the letters sent by email on the user's cases that came
 * back undelivered in the last 30 days, so a statutory letter that never
 * arrived is noticed within the day.
 */
static void bounced_letters(http_request *req, html_buf *b)
{
	store_bounced_letter *ls = NULL;
	size_t n = 0;
	fh_error err = {0};
	if (store_outbound_bounced_for(req->st, req->who->user.email, req->arena, &ls, &n, &err) ||
	    !n)
		return;
	html_raw(b, "<div class=\"notice notice-warning\" id=\"bounced-letters\"><h2>Letters not "
		    "delivered by email</h2><p>These letters came back undelivered: send them "
		    "another way, or check the address.</p><ul>");
	for (size_t i = 0; i < n; i++) {
		html_raw(b, "<li><a href=\"/staff/cases/");
		html_attr(b, web_url_encode(req, ls[i].reference));
		html_rawf(b, "/letters/%lld\">", (long long)ls[i].letter_id);
		html_text(b, ls[i].reference);
		html_raw(b, ": ");
		html_text(b, ls[i].subject);
		html_raw(b, "</a> to ");
		html_text(b, ls[i].recipient);
		html_raw(b, " (");
		html_text(b, *ls[i].detail ? ls[i].detail : "no reason given");
		html_raw(b, ", ");
		html_text(b, ls[i].state_at);
		html_raw(b, ")</li>");
	}
	html_raw(b, "</ul></div>");
}

static void dashboard(http_request *req, bool mine)
{
	view v = {.mine = mine, .path = mine ? "/staff/work" : "/staff/team"};
	if (!read_view(req, &v))
		return;
	store_ws_counts counts;
	fh_error err = {0};
	if (store_ws_count(req->st, &v.f, &counts, &err)) {
		http_fail(req, &err);
		return;
	}
	store_ws_row *rows;
	size_t n;
	if (store_ws_list(req->st, &v.f, v.clock, PAGE_SIZE, (v.page - 1) * PAGE_SIZE, req->arena,
			  &rows, &n, &err)) {
		http_fail(req, &err);
		return;
	}
	int64_t totals[] = {counts.open, counts.overdue, counts.due_today, counts.due_week};
	int64_t total = totals[v.clock];
	const char *title = mine ? "My work" : "Team dashboard";

	html_buf b = HTML_BUF_INIT;
	staff_page_begin(req, &b, title, v.path);
	html_raw(&b, "<h1>");
	html_text(&b, title);
	html_raw(&b, "</h1><p class=\"lead\">");
	html_text(&b, mine ? "The open cases you are assigned to, soonest deadline first."
			   : "Every open case you may see, soonest deadline first.");
	html_raw(&b, "</p>");
	staff_mail_quarantine_notice(req, &b);
	bounced_letters(req, &b);
	html_raw(&b, "<h2 class=\"visually-hidden\">By clock</h2><ul class=\"cards\">");
	card(req, &b, &v, "overdue", "overdue", counts.overdue, true);
	card(req, &b, &v, "today", "due today", counts.due_today, false);
	card(req, &b, &v, "week", "due in the next 7 days", counts.due_week, false);
	card(req, &b, &v, "all", "open in all", counts.open, false);
	html_raw(&b, "</ul>");

	html_raw(&b, "<h2>By stage</h2><ul class=\"stage-counts\">");
	static const char *const stage_names[] = {"New contacts", "Stage 1", "Stage 2", "Stage 3"};
	for (int s = 0; s < 4; s++) {
		html_raw(&b, "<li><a href=\"");
		html_attr(&b, link_to(req, &v, CLOCK_NAMES[v.clock], s, 1));
		html_raw(&b, "\"");
		if (v.f.stage == s)
			html_raw(&b, " aria-current=\"true\"");
		html_raw(&b, ">");
		html_text(&b, stage_names[s]);
		html_rawf(&b, ": <strong>%lld</strong></a></li>", (long long)counts.by_stage[s]);
	}
	html_raw(&b, "</ul>");
	filters(req, &b, &v);

	static const char *const captions[] = {"All open cases", "Overdue", "Due today",
					       "Due in the next 7 days"};
	html_raw(&b, "<div class=\"table-wrap\"><table><caption>");
	html_text(&b, captions[v.clock]);
	size_t first = (v.page - 1) * PAGE_SIZE + 1;
	if (n)
		html_rawf(&b, ": %zu to %zu of %lld", first, first + n - 1, (long long)total);
	else
		html_raw(&b, ": none");
	html_raw(&b, "</caption><thead><tr><th scope=\"col\">Case</th><th scope=\"col\">Summary"
		     "</th><th scope=\"col\">Stage</th><th scope=\"col\">Next deadline</th>"
		     "<th scope=\"col\">Team</th><th scope=\"col\">Assigned</th></tr></thead><tbody>");
	char today[DATE_ISO_LEN];
	date_format(req->today, today);
	for (size_t i = 0; i < n; i++) {
		const store_ws_row *r = &rows[i];
		html_raw(&b, "<tr><td class=\"nowrap\"><a href=\"/staff/cases/");
		html_attr(&b, r->reference);
		html_raw(&b, "\">");
		html_text(&b, r->reference);
		html_raw(&b, "</a></td><td>");
		html_text(&b, r->summary);
		html_raw(&b, "</td><td>");
		if (strcmp(r->route, "untriaged") == 0)
			html_raw(&b, "<span class=\"tag\">New: triage</span>");
		else if (r->stage == 0)
			html_text(&b, staff_words(req, r->route));
		else
			html_rawf(&b, "Stage %d", r->stage);
		if (strcmp(r->state, "suspended") == 0)
			html_raw(&b, " <span class=\"tag tag-grey\">Suspended</span>");
		clock_stop(req, &b, r, today);
		html_raw(&b, "</td><td>");
		if (*r->due) {
			bool late = strcmp(r->due, today) < 0;
			if (late)
				html_raw(&b, "<span class=\"tag tag-red\">Overdue</span> ");
			html_text(&b, staff_date(req, r->due));
			html_raw(&b, "<br><span class=\"muted\">");
			html_text(&b, staff_words(req, r->clock));
			html_raw(&b, "</span>");
		} else {
			html_raw(&b, "<span class=\"muted\">No clock running</span>");
		}
		html_raw(&b, "</td><td>");
		html_text(&b, r->team);
		html_raw(&b, "</td><td>");
		officers(&b, r->officers);
		html_raw(&b, "</td></tr>");
	}
	html_raw(&b, "</tbody></table></div>");
	if (v.page > 1 || (int64_t)(v.page * PAGE_SIZE) < total) {
		html_raw(&b, "<nav class=\"pagination\" aria-label=\"Pages\"><ul>");
		if (v.page > 1) {
			html_raw(&b, "<li><a rel=\"prev\" href=\"");
			html_attr(&b, link_to(req, &v, CLOCK_NAMES[v.clock], v.f.stage, v.page - 1));
			html_raw(&b, "\">Previous page</a></li>");
		}
		html_rawf(&b, "<li>Page %zu of %lld</li>", v.page,
			  (long long)((total + PAGE_SIZE - 1) / PAGE_SIZE));
		if ((int64_t)(v.page * PAGE_SIZE) < total) {
			html_raw(&b, "<li><a rel=\"next\" href=\"");
			html_attr(&b, link_to(req, &v, CLOCK_NAMES[v.clock], v.f.stage, v.page + 1));
			html_raw(&b, "\">Next page</a></li>");
		}
		html_raw(&b, "</ul></nav>");
	}
	if (mine)
		staff_work_feed(req, &b);
	web_page_end(req, &b);
	web_html(req, 200, &b);
}

void staff_home(http_request *req)
{
	web_redirect(req, "/staff/work");
}

void staff_work(http_request *req)
{
	dashboard(req, true);
}

void staff_team(http_request *req)
{
	dashboard(req, false);
}
