/*
 * staff_common.c: what every staff page shares: the navigation, the user's
 * view of the cases, and the way codes and dates are shown.
 */
#include "web_staff.h"

#include <string.h>

#include "authz.h"
#include "date.h"
#include "web.h"

bool staff_is_admin(const http_request *req)
{
	for (size_t i = 0; req->who && i < req->who->user.n_grants; i++)
		if (authz_role_bit(req->who->user.grants[i].role) & AUTHZ_ADMINISTRATOR)
			return true;
	return false;
}

bool staff_may_report(const http_request *req)
{
	for (size_t i = 0; req->who && i < req->who->user.n_grants; i++)
		if (authz_roles_in(req->who, req->who->user.grants[i].org_id) & AUTHZ_ORG_WIDE)
			return true;
	return false;
}

const char *staff_behaviour_org(const http_request *req)
{
	for (size_t i = 0; req->who && i < req->who->user.n_grants; i++)
		if (authz_roles_in(req->who, req->who->user.grants[i].org_id) & AUTHZ_BEHAVIOUR)
			return req->who->user.grants[i].org_code;
	return NULL;
}

void staff_page_begin(http_request *req, html_buf *b, const char *title, const char *current)
{
	web_nav_item *nav = arena_array(req->arena, 8, sizeof *nav);
	size_t n = 0;
	nav[n++] = (web_nav_item){"/staff/work", "My work"};
	nav[n++] = (web_nav_item){"/staff/team", "Team dashboard"};
	nav[n++] = (web_nav_item){"/staff/search", "Search"};
	if (staff_may_report(req))
		nav[n++] = (web_nav_item){"/staff/reports", "Reports"};
	const char *behaviour = staff_behaviour_org(req);
	if (behaviour)
		nav[n++] = (web_nav_item){arena_printf(req->arena, "/staff/orgs/%s/behaviour",
						       behaviour), "Behaviour"};
	if (staff_is_admin(req))
		nav[n++] = (web_nav_item){"/staff/admin", "Administration"};
	nav[n++] = (web_nav_item){"/staff/account", "Your account"};
	nav[n] = (web_nav_item){NULL, NULL};
	web_page_opts opts = {.staff = true, .nav = nav, .current = current, .home = "/staff/work"};
	web_page_begin(req, b, title, &opts);
}

void staff_scope(http_request *req, store_ws_filter *f)
{
	/* The API's case list decides it the same way: one rule (authz.h). */
	authz_case_scope scope;
	authz_need_to_know(req, &scope);
	f->user_id = req->who->user.user_id;
	f->org_wide = scope.org_wide;
	f->n_org_wide = scope.n_org_wide;
	f->assigned_only = scope.assigned_only;
	f->n_assigned_only = scope.n_assigned_only;
}

const char *staff_lower(http_request *req, const char *code)
{
	if (!code)
		return "";
	char *out = arena_strdup(req->arena, code);
	for (char *p = out; *p; p++)
		if (*p == '_' || *p == '-')
			*p = ' ';
	return out;
}

const char *staff_words(http_request *req, const char *code)
{
	char *out = (char *)staff_lower(req, code);
	if (out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 'a' + 'A');
	return out;
}

const char *staff_date(http_request *req, const char *iso)
{
	static const char *const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	fh_date d;
	if (!iso || strlen(iso) < 10)
		return iso ? iso : "";
	char day[DATE_ISO_LEN];
	memcpy(day, iso, 10);
	day[10] = '\0';
	if (!date_parse(day, &d))
		return iso;
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	int wd = date_weekday(d); /* 0 = Monday */
	return arena_printf(req->arena, "%s %d %s %d", days[wd], dd,
			    months[m - 1], y);
}
