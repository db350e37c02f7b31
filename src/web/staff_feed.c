/*
 * staff_feed.c: on My work, how to see your deadlines in a calendar app
 * (issue 7 part 3: "upcoming deadlines as an iCalendar feed per officer";
 * the feed is api_export.c's GET /api/v1/calendar/deadlines.ics).
 *
 * A calendar app cannot send a header or a cookie, so the feed takes an API
 * token in its query (ROUTE_TOKEN_IN_QUERY).  The page gives the address
 * with a placeholder and says how a token is made; it does not make one
 * itself: an API token carries everything its user may do through the API,
 * not only the calendar, and neither the pages nor the command line can yet
 * revoke a single token, so handing one out at a click would put a
 * full-power credential into calendar apps with no way to take it back.
 */
#include "web_staff.h"

#include "authz.h"
#include "web.h"

void staff_work_feed(http_request *req, html_buf *b)
{
	const char *host = http_header(req, "Host");
	const char *url = arena_printf(req->arena, "%s://%s/api/v1/calendar/deadlines.ics?token=",
				       req->secure ? "https" : "http", host && *host ? host : "SERVER");
	html_raw(b, "<h2 id=\"calendar\">Your deadlines in your calendar</h2><p>Your calendar app "
		    "(Outlook, Google Calendar, Apple Calendar) can show the deadlines of the cases "
		    "assigned to you, each as an all-day event named by the case's reference, and "
		    "keep them up to date. Subscribe to this address, with your API token at the "
		    "end:</p><p class=\"copy-box\">");
	html_text(b, url);
	html_raw(b, "<em>YOUR-TOKEN</em></p><p>An API token is made by an administrator of the "
		    "server with <code>fairhearing token create --user ");
	html_text(b, req->who->user.email);
	html_raw(b, " --name calendar</code>. Ask for one for your calendar alone, and keep the "
		    "address private: the token lets whoever holds it act as you through the "
		    "API.</p>");
}
