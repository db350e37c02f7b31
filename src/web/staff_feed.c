/*
 * staff_feed.c: on My work, how to see your deadlines in a calendar app
 * (an officer's upcoming deadlines as an iCalendar feed;
 * the feed is api_export.c's GET /api/v1/calendar/deadlines.ics).
 *
 * A calendar app cannot send a header or a cookie, so the feed takes an API
 * token in its query (ROUTE_TOKEN_IN_QUERY), and only a token of scope
 * "feed", which reads that feed and nothing else and can be revoked on its
 * own.  The page gives the address with a placeholder and
 * sends the reader to "Your API tokens" (staff_tokens.c) to make one.
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
	html_raw(b, "<em>YOUR-TOKEN</em></p><p>Make a token for your calendar on "
		    "<a href=\"/staff/tokens\">Your API tokens</a>, choosing <strong>Calendar "
		    "feed only</strong>: it can read this feed and nothing else, and you can revoke "
		    "it there at any time. An administrator can also make one with "
		    "<code>fairhearing token create --scope feed --user ");
	html_text(b, req->who->user.email);
	html_raw(b, " --name calendar</code>.</p>");
}
