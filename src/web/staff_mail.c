/*
 * staff_mail.c: received email on the staff pages (docs/email.md).
 *
 *   GET  /staff/orgs/{org}/mail               the quarantine: messages kept
 *                                             but made nothing (unreadable,
 *                                             or written by a machine)
 *   GET  /staff/orgs/{org}/mail/{id}          one message, and what can be done
 *   GET  /staff/orgs/{org}/mail/{id}/raw      the message as received (.eml)
 *   POST /staff/orgs/{org}/mail/{id}/file     filed by hand: on a case, or as
 *                                             a new contact
 *   POST /staff/orgs/{org}/mail/{id}/discard  set aside, with the reason
 *
 * Who: the complaints team and managers of the organisation (AUTHZ_RECORD,
 * the route's rule): those who record contacts.  A message is shown as
 * escaped text, never as HTML, and the raw message is a download, never a
 * page.  Reading one is written to the access log.
 *
 * The case page's correspondence (staff_mail_case_section) lists the mail
 * on a case: the email sent about it and what became of each (with "Send
 * again" on a letter's email that bounced or failed, for those who may
 * issue that letter: staff_letter_resend), the message that made it, the
 * replies filed on it, and the attachments refused with their reasons.
 */
#include "web_staff.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "authz.h"
#include "server.h"
#include "store_letter.h"
#include "store_mail.h"
#include "store_outbox.h"
#include "web.h"

static const char *mail_path(http_request *req, int64_t id, const char *rest)
{
	return arena_printf(req->arena, "/staff/orgs/%s/mail%s%lld%s",
			    web_url_encode(req, req->params[0]), id ? "/" : "",
			    (long long)id, id ? rest : "");
}

static const char *sender(http_request *req, const store_mail_message *m)
{
	if (*m->from_name && *m->from_address)
		return arena_printf(req->arena, "%s <%s>", m->from_name, m->from_address);
	if (*m->from_address)
		return m->from_address;
	return "(no sender could be read)";
}

/* The refused attachments, each with its reason, as a list; nothing when none. */
static void refused_list(html_buf *b, const char *refused)
{
	json_t *list = json_loads(refused ? refused : "[]", 0, NULL);
	if (json_array_size(list)) {
		html_raw(b, "<p>Attachments not kept as documents:</p><ul>");
		size_t i;
		json_t *r;
		json_array_foreach(list, i, r) {
			html_raw(b, "<li>");
			html_text(b, json_string_value(json_object_get(r, "filename")));
			html_raw(b, ": ");
			html_text(b, json_string_value(json_object_get(r, "reason")));
			html_raw(b, "</li>");
		}
		html_raw(b, "</ul>");
	}
	json_decref(list);
}

/* The message's text, escaped, its line breaks kept by the stylesheet's pre-wrap. */
static void body_text(html_buf *b, const char *text)
{
	html_raw(b, "<pre class=\"mail-text\">");
	html_text(b, text && *text ? text : "(no text)");
	html_raw(b, "</pre>");
}

/* ---- the quarantine ------------------------------------------------------------- */

void staff_mail(http_request *req)
{
	store_mail_message *list;
	size_t n;
	fh_error err = {0};
	if (store_mail_list(req->st, req->params[0], "quarantined", req->arena, &list, &n, &err)) {
		http_fail(req, &err);
		return;
	}
	html_buf b = HTML_BUF_INIT;
	staff_page_begin(req, &b, arena_printf(req->arena, "Email in quarantine: %s",
					       req->params[0]), "/staff/team");
	const char *done = http_query(req, "done");
	if (done && strcmp(done, "discarded") == 0)
		html_raw(&b, "<div class=\"notice notice-success\" role=\"status\"><p>The message "
			     "was set aside. It is kept, and no longer waits here.</p></div>");
	html_raw(&b, "<span class=\"caption\">");
	html_text(&b, req->params[0]);
	html_raw(&b, "</span><h1>Email in quarantine</h1><p class=\"lead\">Messages received "
		     "that made no contact: they could not be read, or a machine wrote them (an "
		     "out-of-office reply, a bounce). Each is kept whole. File it on a case, make it "
		     "a new contact, or set it aside.</p>");
	if (!n) {
		html_raw(&b, "<p>No email is waiting.</p>");
	} else {
		html_raw(&b, "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Received"
			     "</th><th scope=\"col\">From</th><th scope=\"col\">Subject</th>"
			     "<th scope=\"col\">Why it is here</th></tr></thead><tbody>");
		for (size_t i = 0; i < n; i++) {
			html_raw(&b, "<tr><td class=\"nowrap\">");
			html_text(&b, staff_date(req, list[i].received_at));
			html_raw(&b, "</td><td>");
			html_text(&b, sender(req, &list[i]));
			html_raw(&b, "</td><td><a href=\"");
			html_attr(&b, mail_path(req, list[i].id, ""));
			html_raw(&b, "\">");
			html_text(&b, *list[i].subject ? list[i].subject : "(no subject)");
			html_raw(&b, "</a></td><td>");
			html_text(&b, list[i].why);
			html_raw(&b, "</td></tr>");
		}
		html_raw(&b, "</tbody></table></div>");
	}
	web_page_end(req, &b);
	web_html(req, 200, &b);
}

/* Reads the message {id} of {org}; false after answering when there is none. */
static bool load(http_request *req, bool raw, store_mail_message *m)
{
	fh_error err = {0};
	if (!req->ids[1]) {
		http_error(req, 404, "not_found", "id", "no such message");
		return false;
	}
	if (store_mail_get(req->st, req->params[0], req->ids[1], raw, req->arena, m, &err)) {
		http_fail(req, &err);
		return false;
	}
	return server_log_read(req, 0, "document",
			       arena_printf(req->arena, "received message %lld%s",
					    (long long)m->id, raw ? " (raw)" : ""));
}

static void message_page(http_request *req, const store_mail_message *m, int status,
			 const web_errors *errors)
{
	html_buf b = HTML_BUF_INIT;
	const char *subject = *m->subject ? m->subject : "(no subject)";
	staff_page_begin(req, &b, arena_printf(req->arena, "%s%s", errors && errors->n
					       ? "Error: " : "", subject), "/staff/team");
	html_raw(&b, "<a class=\"back-link\" href=\"");
	html_attr(&b, mail_path(req, 0, ""));
	html_raw(&b, "\">Email in quarantine</a>");
	if (errors)
		web_error_summary(&b, errors);
	html_raw(&b, "<span class=\"caption\">Email received</span><h1>");
	html_text(&b, subject);
	html_raw(&b, "</h1>");
	web_summary_begin(&b);
	web_summary_row(&b, "From", sender(req, m), NULL, NULL);
	web_summary_row(&b, "Received", staff_date(req, m->received_at), NULL, NULL);
	web_summary_row(&b, "Message-ID", m->message_id, NULL, NULL);
	web_summary_row(&b, "State", staff_words(req, m->state), NULL, NULL);
	web_summary_row(&b, "Why", m->why, NULL, NULL);
	if (*m->reference)
		web_summary_row(&b, "Case", m->reference, NULL, NULL);
	web_summary_end(&b);
	html_raw(&b, "<p><a href=\"");
	html_attr(&b, mail_path(req, m->id, "/raw"));
	html_rawf(&b, "\" download>Download the message as received</a> (%lld KB, .eml)</p>",
		  (long long)((m->size + 1023) / 1024));
	html_raw(&b, "<h2>Its text</h2>");
	body_text(&b, m->body);
	refused_list(&b, m->refused);
	if (strcmp(m->state, "quarantined") == 0) {
		const char *action = mail_path(req, m->id, "/file");
		html_raw(&b, "<h2 id=\"file\">File it on a case</h2><form method=\"post\" novalidate "
			     "action=\"");
		html_attr(&b, action);
		html_raw(&b, "\">");
		web_csrf_field(req, &b);
		web_input(&b, &(web_field){.name = "reference", .label = "The case's reference",
					   .hint = "For example BCT-2026-00073", .width_class = "w-20",
					   .value = web_form(req, "reference"),
					   .error = errors ? web_errors_for(errors, "reference") : NULL});
		html_raw(&b, "<button type=\"submit\" class=\"button\">File on the case</button>"
			     "</form>");
		html_raw(&b, "<h2 id=\"contact\">Make it a new contact</h2><form method=\"post\" "
			     "novalidate action=\"");
		html_attr(&b, action);
		html_raw(&b, "\"><input type=\"hidden\" name=\"as\" value=\"contact\">");
		web_csrf_field(req, &b);
		const char *name = web_form(req, "name");
		web_input(&b, &(web_field){.name = "name", .label = "Who it is from",
					   .value = name ? name : *m->from_name ? m->from_name
										: m->from_address,
					   .error = errors ? web_errors_for(errors, "name") : NULL});
		const char *email = web_form(req, "email");
		web_input(&b, &(web_field){.name = "email", .label = "Their email address",
					   .type = "email", .optional = true,
					   .value = email ? email : m->from_address,
					   .error = errors ? web_errors_for(errors, "email") : NULL});
		const char *summary = web_form(req, "summary");
		web_input(&b, &(web_field){.name = "summary", .label = "Summary",
					   .value = summary ? summary : m->subject,
					   .error = errors ? web_errors_for(errors, "summary") : NULL});
		html_raw(&b, "<button type=\"submit\" class=\"button button-secondary\">Make a new "
			     "contact</button></form>");
		html_raw(&b, "<h2 id=\"discard\">Set it aside</h2><form method=\"post\" novalidate "
			     "action=\"");
		html_attr(&b, mail_path(req, m->id, "/discard"));
		html_raw(&b, "\">");
		web_csrf_field(req, &b);
		web_input(&b, &(web_field){.name = "reason", .label = "Why",
					   .hint = "For example: an out-of-office reply. The message "
						   "is kept, not deleted.",
					   .value = web_form(req, "reason"),
					   .error = errors ? web_errors_for(errors, "reason") : NULL});
		html_raw(&b, "<button type=\"submit\" class=\"button button-warning\">Set it aside"
			     "</button></form>");
	}
	web_page_end(req, &b);
	web_html(req, status, &b);
}

void staff_mail_message(http_request *req)
{
	store_mail_message m;
	if (load(req, false, &m))
		message_page(req, &m, 200, NULL);
}

/* The message as received: a download, never a page a browser would render. */
void staff_mail_raw(http_request *req)
{
	store_mail_message m;
	if (!load(req, true, &m))
		return;
	char *copy = malloc(m.size ? (size_t)m.size : 1);
	if (!copy) {
		http_error(req, 500, "internal", NULL, "out of memory");
		return;
	}
	memcpy(copy, m.raw, (size_t)m.size);
	req->status = 200;
	req->text_out = copy;
	req->text_len = (size_t)m.size;
	req->content_type = "application/octet-stream";
	req->content_disposition = arena_printf(req->arena, "attachment; filename=\"message-%lld.eml\"",
						(long long)m.id);
}

/* After a refusal: the message page again, with the form as it was filled in. */
static void refuse(http_request *req, const char *field, const char *message)
{
	store_mail_message m;
	if (!load(req, false, &m))
		return;
	web_errors errors = {0};
	web_errors_add(&errors, field, message);
	message_page(req, &m, 422, &errors);
}

void staff_mail_file(http_request *req)
{
	const char *as = web_form(req, "as");
	fh_error err = {0};
	char reference[FH_REFERENCE_MAX];
	fh_status s;
	if (as && strcmp(as, "contact") == 0) {
		store_mail_message m;
		if (store_mail_get(req->st, req->params[0], req->ids[1], false, req->arena, &m,
				   &err)) {
			http_fail(req, &err);
			return;
		}
		const char *name = web_form(req, "name"), *email = web_form(req, "email");
		const char *summary = web_form(req, "summary");
		char today[DATE_ISO_LEN];
		date_format(req->today, today);
		fh_party party = {.person = {.family_name = name ? name : "",
					     .email = email ? email : "",
					     .preferred_contact = email && *email ? "email" : NULL},
				  .role = "complainant", .relationship = "self"};
		fh_case_input in = {.org_code = req->params[0], .kind = "complaint",
				    .channel = "email", .received_on = today,
				    .summary = summary ? summary : "",
				    .details = *m.body ? m.body : NULL, .n_parties = 1,
				    .parties = &party};
		if (case_input_validate(&in, req->today, &err)) {
			const char *field = strstr(err.field, "email") ? "email"
					    : strstr(err.field, "name") ? "name" : "summary";
			refuse(req, field, arena_printf(req->arena, "%s: %s", field, err.message));
			return;
		}
		s = store_mail_file(req->st, req->params[0], req->ids[1], NULL, &in,
				    req->who->user.email, reference, &err);
	} else {
		const char *ref = web_form(req, "reference");
		if (!ref || !*ref) {
			refuse(req, "reference", "Enter the case's reference");
			return;
		}
		s = store_mail_file(req->st, req->params[0], req->ids[1], ref, NULL,
				    req->who->user.email, reference, &err);
	}
	if (s == FH_ENOTFOUND && strcmp(err.field, "reference") == 0) {
		refuse(req, "reference", err.message);
		return;
	}
	if (s) {
		http_fail(req, &err);
		return;
	}
	web_redirect(req, arena_printf(req->arena, "/staff/cases/%s#correspondence",
				       web_url_encode(req, reference)));
}

void staff_mail_discard(http_request *req)
{
	const char *reason = web_form(req, "reason");
	fh_error err = {0};
	fh_status s = store_mail_discard(req->st, req->params[0], req->ids[1], reason,
					 req->who->user.email, &err);
	if (s == FH_EINVAL) {
		refuse(req, "reason", err.message);
		return;
	}
	if (s) {
		http_fail(req, &err);
		return;
	}
	web_redirect(req, arena_printf(req->arena, "%s?done=discarded", mail_path(req, 0, "")));
}

/* ---- the case page's correspondence ---------------------------------------------- */

/* What became of an email sent, in words. */
static const char *state_words(http_request *req, const store_outbound *o)
{
	if (!strcmp(o->state, "queued"))
		return "Waiting to be sent";
	if (!strcmp(o->state, "sent"))
		return "Sent";
	if (!strcmp(o->state, "delivered"))
		return "Delivered";
	const char *what = !strcmp(o->state, "bounced") ? "Not delivered (bounced)" : "Failed";
	return *o->detail ? arena_printf(req->arena, "%s: %s", what, o->detail) : what;
}

/*
 * The email sent about the case, newest first; a letter's newest message
 * that bounced or failed gets "Send again" (POST .../letters/{id}/resend)
 * for those who may issue that letter, to the address recorded now.
 */
static void sent_list(http_request *req, html_buf *b, const fh_case *c, const store_outbound *o,
		      size_t n)
{
	store_letter *ls = NULL;
	size_t n_letters = 0;
	fh_error err = {0};
	if (store_letter_list(req->st, c->reference, req->arena, &ls, &n_letters, &err))
		n_letters = 0;
	unsigned held = authz_roles_in(req->who, req->case_org_id);
	html_raw(b, "<h3 id=\"email-sent\">Email sent</h3><div class=\"table-wrap\"><table>"
		    "<caption class=\"visually-hidden\">Email sent about this case</caption>"
		    "<thead><tr><th scope=\"col\">Email</th><th scope=\"col\">To</th>"
		    "<th scope=\"col\">What became of it</th><th scope=\"col\">Since</th>"
		    "</tr></thead><tbody>");
	for (size_t i = n; i-- > 0;) {
		const store_letter *l = NULL;
		for (size_t j = 0; j < n_letters && o[i].letter_id && !l; j++)
			if (ls[j].id == o[i].letter_id)
				l = &ls[j];
		bool newest = true;
		for (size_t j = i + 1; j < n && newest; j++)
			newest = o[j].letter_id != o[i].letter_id;
		bool bad = !strcmp(o[i].state, "bounced") || !strcmp(o[i].state, "failed");
		html_raw(b, "<tr><td>");
		if (l) {
			html_raw(b, "Letter: <a href=\"/staff/cases/");
			html_attr(b, web_url_encode(req, c->reference));
			html_rawf(b, "/letters/%lld\">", (long long)l->id);
			html_text(b, l->subject);
			html_raw(b, "</a>");
		} else {
			html_text(b, staff_words(req, o[i].kind));
		}
		html_raw(b, "</td><td>");
		html_text(b, o[i].recipient);
		html_raw(b, bad ? "</td><td><strong class=\"tag tag-red\">" : "</td><td>");
		html_text(b, state_words(req, &o[i]));
		html_raw(b, bad ? "</strong>" : "");
		if (l && newest && bad && (held & authz_letter_issuers(l->kind))) {
			const char *to = "";
			if (store_outbox_letter_address(req->st, c->id, l->recipient, req->arena, &to,
							&err) == FH_OK && *to) {
				html_raw(b, "<form method=\"post\" class=\"inline-form\" action=\"/staff/cases/");
				html_attr(b, web_url_encode(req, c->reference));
				html_rawf(b, "/letters/%lld/resend\">", (long long)l->id);
				web_csrf_field(req, b);
				html_raw(b, "<p class=\"hint\">To the address recorded now: ");
				html_text(b, to);
				html_raw(b, "</p><button type=\"submit\" class=\"button button-secondary\">"
					    "Send again<span class=\"visually-hidden\"> the letter ");
				html_text(b, l->subject);
				html_raw(b, "</span></button></form>");
			} else {
				html_raw(b, "<p class=\"hint\">To send it again, record an email address "
					    "for the ");
				html_text(b, staff_lower(req, l->recipient));
				html_raw(b, " first.</p>");
			}
		}
		html_raw(b, "</td><td>");
		html_text(b, staff_date(req, o[i].state_at));
		html_raw(b, "</td></tr>");
	}
	html_raw(b, "</tbody></table></div>");
}

void staff_mail_case_section(http_request *req, html_buf *b, const fh_case *c)
{
	store_mail_message *list = NULL;
	store_outbound *sent = NULL;
	size_t n = 0, n_sent = 0;
	fh_error err = {0};
	if (store_mail_on_case(req->st, c->id, req->arena, &list, &n, &err))
		n = 0;
	if (store_outbound_list(req->st, c->id, req->arena, &sent, &n_sent, &err))
		n_sent = 0;
	if (!n && !n_sent)
		return;
	html_raw(b, "<h2 id=\"correspondence\">Correspondence by email</h2>");
	if (n_sent)
		sent_list(req, b, c, sent, n_sent);
	for (size_t i = 0; i < n; i++) {
		const store_mail_message *m = &list[i];
		html_raw(b, "<section class=\"mail\"><h3>");
		html_text(b, *m->subject ? m->subject : "(no subject)");
		html_raw(b, "</h3><p class=\"muted\">From ");
		html_text(b, sender(req, m));
		html_raw(b, ", received ");
		html_text(b, staff_date(req, m->received_at));
		if (!strcmp(m->state, "filed"))
			html_raw(b, ": a reply filed on this case");
		else
			html_raw(b, ": it made this case");
		html_raw(b, "</p>");
		if (*m->about) {
			html_raw(b, "<p><strong>Possibly about <a href=\"/staff/cases/");
			html_attr(b, m->about);
			html_raw(b, "\">");
			html_text(b, m->about);
			html_raw(b, "</a></strong>: its subject names that case, but the sender is not "
				    "one of its parties.</p>");
		}
		body_text(b, m->body);
		refused_list(b, m->refused);
		html_raw(b, "</section>");
	}
}

/* Whether the case was made from an email whose kind is still the default. */
bool staff_mail_made_case(http_request *req, const fh_case *c, const char **about)
{
	store_mail_message *list;
	size_t n;
	fh_error err = {0};
	*about = "";
	if (store_mail_on_case(req->st, c->id, req->arena, &list, &n, &err))
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i].state, "filed") != 0) {
			*about = list[i].about;
			return true;
		}
	return false;
}

/*
 * On the dashboards of those who record contacts: how many messages wait
 * in each of their organisations' quarantines, with the link; nothing when
 * none wait.
 */
void staff_mail_quarantine_notice(http_request *req, html_buf *b)
{
	const store_principal *u = &req->who->user;
	for (size_t i = 0; i < u->n_grants; i++) {
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = u->grants[j].org_id == u->grants[i].org_id;
		if (seen || !(authz_roles_in(req->who, u->grants[i].org_id) & AUTHZ_RECORD))
			continue;
		int64_t n = 0;
		fh_error err = {0};
		if (store_mail_quarantine_count(req->st, u->grants[i].org_id, &n, &err) || !n)
			continue;
		html_raw(b, "<div class=\"notice notice-warning\"><p><a href=\"/staff/orgs/");
		html_attr(b, u->grants[i].org_code);
		html_rawf(b, "/mail\">%lld email%s in quarantine</a> for ", (long long)n,
			  n == 1 ? "" : "s");
		html_text(b, u->grants[i].org_code);
		html_raw(b, ": received, kept, and waiting to be filed by hand.</p></div>");
	}
}
