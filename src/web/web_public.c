/*
 * web_public.c: the public's start pages for one organisation, in plain
 * words (/o/{org}/) and for children and young people (/o/{org}/young-people).
 *
 * Every time shown comes from the organisation's installed procedures
 * (the procedures/ files as the database holds them), never from this file:
 * when an administrator changes a clock, these pages change with it.  What
 * the pages say around the times is the same for every organisation
 * (DOMAIN §1-2: what may be complained about, who may, the help there is).
 */
#include "web_public.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store_lifecycle.h"
#include "web.h"
#include "web_pages.h"

/* ---- the organisation and its procedures ---------------------------------------- */

void web_public_org_free(web_public_org *o)
{
	for (size_t i = 0; i < o->n_procs; i++)
		procedure_free(o->procs[i]);
	o->n_procs = 0;
}

static bool in_force(const char *const *codes, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(codes[i], code))
			return true;
	return false;
}

bool web_public_org_load(http_request *req, web_public_org *o)
{
	memset(o, 0, sizeof *o);
	fh_error err = {0};
	fh_status s = store_org_get(req->st, req->params[0], req->arena, &o->org, &err);
	if (s == FH_ENOTFOUND) {
		web_error_page(req, 404, "Page not found",
			       "There is no organisation at this address. Check the web address "
			       "you were given.");
		return false;
	}
	store_procedure_row *rows = NULL;
	size_t n = 0;
	if (!s)
		s = store_procedure_list(req->st, req->arena, &rows, &n, &err);
	/* An organisation that changed procedure on a date (the example council
	 * adopting the Ombudsman's Code for non-statutory complaints from
	 * 2026-04-01) shows the ones in force today: those a complaint made
	 * today is handled under. */
	const char **current = NULL;
	size_t n_current = 0;
	bool dated = false;
	char today[DATE_ISO_LEN];
	if (!s)
		s = store_org_procedures_on(req->st, o->org.code, date_format(req->today, today),
					    req->arena, &current, &n_current, &dated, &err);
	/* Statutory procedures first: they are what most children's complaints follow. */
	for (int pass = 0; !s && pass < 2; pass++)
		for (size_t i = 0; !s && i < n; i++) {
			if (strcmp(rows[i].org, o->org.code) != 0 ||
			    (strcmp(rows[i].route, "statutory") == 0) != (pass == 0) ||
			    o->n_procs == sizeof o->procs / sizeof o->procs[0] ||
			    (dated && !in_force(current, n_current, rows[i].code)))
				continue;
			s = store_procedure_get(req->st, rows[i].code, 0, &o->procs[o->n_procs], &err);
			if (!s)
				o->n_procs++;
		}
	if (s) {
		web_public_org_free(o);
		http_fail(req, &err);
		return false;
	}
	o->home = arena_printf(req->arena, "/o/%s/", o->org.code);
	return true;
}

const char *web_span_words(http_request *req, proc_span span)
{
	static const char *const units[][2] = {
		[TIMESCALE_WORKING_DAYS] = {"working day", "working days"},
		[TIMESCALE_WEEKS] = {"week", "weeks"},
		[TIMESCALE_CALENDAR_DAYS] = {"day", "days"},
		[TIMESCALE_YEARS] = {"year", "years"},
	};
	if ((unsigned)span.unit > TIMESCALE_YEARS)
		return "";
	return arena_printf(req->arena, "%d %s", span.length,
			    units[span.unit][span.length == 1 ? 0 : 1]);
}

/* What a clock starts from, as the person waiting sees it. */
static const char *from_words(const char *from)
{
	static const struct {
		const char *from, *words;
	} table[] = {
		{"received", "of us receiving it"},
		{"accepted", "of us accepting it"},
		{"requested", "of your request"},
		{"acknowledged", "of us acknowledging it"},
		{"statement_agreed", "of you agreeing the written statement of your complaint"},
		{"chair_report", "of the panel chair's report"},
	};
	for (size_t i = 0; from && i < sizeof table / sizeof table[0]; i++)
		if (strcmp(table[i].from, from) == 0)
			return table[i].words;
	return "";
}

const proc_clock *web_ack_clock(const fh_procedure *p)
{
	if (p->acknowledge.present)
		return &p->acknowledge;
	if (p->n_stages && p->stages[0].acknowledge.present)
		return &p->stages[0].acknowledge;
	return NULL;
}

/* The steps of one procedure, with their times, as a numbered list. */
static void procedure_steps(http_request *req, html_buf *b, const fh_procedure *p)
{
	html_raw(b, "<ol class=\"steps\">");
	const proc_clock *ack = web_ack_clock(p);
	if (ack) {
		html_raw(b, "<li>We will tell you we have received your complaint within <strong>");
		html_text(b, web_span_words(req, ack->span));
		html_raw(b, "</strong>.</li>");
	}
	for (size_t i = 0; i < p->n_stages; i++) {
		const proc_stage *st = &p->stages[i];
		/* "Stage 2 investigation" says its number already. */
		if (strncasecmp(st->name, "stage ", 6) == 0)
			html_raw(b, "<li><strong>");
		else
			html_rawf(b, "<li><strong>Stage %d: ", st->number);
		html_text(b, st->name);
		html_raw(b, ".</strong> ");
		if (st->request.present) {
			html_raw(b, "If you are not happy with the reply, you can ask for this stage");
			bool same = st->request.ideal.length && st->request.latest.length &&
				    st->request.ideal.unit == st->request.latest.unit &&
				    st->request.ideal.length == st->request.latest.length;
			if (st->request.ideal.length && !same) {
				html_raw(b, ", ideally within ");
				html_text(b, web_span_words(req, st->request.ideal));
				html_raw(b, " of the reply");
			}
			if (st->request.latest.length) {
				html_raw(b, st->request.ideal.length && !same ? "; we accept it up to "
									       : " within ");
				html_text(b, web_span_words(req, st->request.latest));
				html_raw(b, st->request.ideal.length && !same ? " after the reply" : " of the reply");
			}
			html_raw(b, ". ");
		}
		/* LGSCO Code §6, Stage 2: a stage's own acknowledgement */
		if (i > 0 && st->acknowledge.present) {
			html_raw(b, "We will tell you we have received your request within <strong>");
			html_text(b, web_span_words(req, st->acknowledge.span));
			html_raw(b, "</strong>. ");
		}
		if (st->panel.present && st->panel.within.present) {
			html_rawf(b, "A panel of %d people meets within ", st->panel.members);
			html_text(b, web_span_words(req, st->panel.within.span));
			html_raw(b, " of your request. ");
		}
		if (st->response.present) {
			html_raw(b, "We aim to reply within <strong>");
			html_text(b, web_span_words(req, st->response.span));
			html_raw(b, "</strong> ");
			html_text(b, from_words(st->response.from));
			html_raw(b, ".");
			if (st->response.extend_to > 0) {
				proc_span longer = {st->response.span.unit, st->response.extend_to};
				html_raw(b, " If it is complicated, this can take up to ");
				html_text(b, web_span_words(req, longer));
				html_raw(b, st->response.extension_notice ? ", and we will write to tell you."
									   : ".");
			} else if (st->response.extend_to < 0) {
				html_raw(b, " If we need longer, we will send you a ");
				html_text(b, st->response.notice_name ? st->response.notice_name
								      : "letter with a new date");
				html_raw(b, ".");
			}
		}
		html_raw(b, "</li>");
	}
	if (p->final_name) {
		html_raw(b, "<li>If you are still not happy at the end, you can ask the <strong>");
		html_text(b, p->final_name);
		html_raw(b, "</strong> to look at it");
		if (p->final_contact) {
			html_raw(b, " (");
			html_text(b, p->final_contact);
			html_raw(b, ")");
		}
		html_raw(b, ".</li>");
	}
	html_raw(b, "</ol>");
}

void web_public_home_redirect(http_request *req)
{
	web_redirect(req, arena_printf(req->arena, "/o/%s/", web_url_encode(req, req->params[0])));
}

static void help_section(html_buf *b, const web_public_org *o)
{
	html_raw(b, "<h2>Help you can get</h2><ul>");
	html_raw(b, "<li><strong>An advocate</strong> is someone who is on your side and can help "
		    "you say what you want to say");
	if (o->org.advocacy_service && *o->org.advocacy_service) {
		html_raw(b, ": ");
		html_text(b, o->org.advocacy_service);
	}
	html_raw(b, ".</li><li><strong>An interpreter or signer</strong>, or this information in "
		    "another format: tell us on the form and we will arrange it.</li>");
	if (o->org.ombudsman && *o->org.ombudsman) {
		html_raw(b, "<li><strong>Independent review</strong> when our procedure has finished: ");
		html_text(b, o->org.ombudsman);
		html_raw(b, ".</li>");
	}
	html_raw(b, "</ul>");
}

void web_public_start(http_request *req)
{
	web_public_org o;
	if (!web_public_org_load(req, &o))
		return;
	html_buf b = HTML_BUF_INIT;
	web_page_opts opts = {.org_name = o.org.name, .home = o.home};
	web_page_begin(req, &b, "Make a complaint, comment or compliment", &opts);
	html_raw(&b, "<div class=\"columns\"><div>"
		     "<h1>Make a complaint, comment or compliment</h1>"
		     "<p class=\"lead\">Tell us what you think about a service for children, young "
		     "people and families. You can complain, make a comment or say thank you.</p>"
		     "<p><a class=\"button button-start\" href=\"");
	html_attr(&b, arena_printf(req->arena, "%sform/kind", o.home));
	html_raw(&b, "\">Start now</a></p>"
		     "<p>It takes about 10 minutes. You can also tell any member of staff, phone, "
		     "write or email us.</p>"
		     "<h2>What you can complain about</h2>"
		     "<p>Anything we did or did not do: a decision, the way a service was given, how "
		     "you were treated, a delay, or something we said we would do and did not.</p>"
		     "<p>Some things have their own process, so we cannot look at them here: "
		     "decisions of child protection conferences, matters that are before a court, "
		     "or something that has already been dealt with.");
	if (o.n_procs && o.procs[0]->complaint_time_limit.length) {
		html_raw(&b, " Tell us within ");
		html_text(&b, web_span_words(req, o.procs[0]->complaint_time_limit));
		html_raw(&b, " of what happened if you can; we may still look at something older if "
			     "there is a good reason.");
	}
	html_raw(&b, "</p><h2>Who can make a complaint</h2><ul>"
		     "<li>a child or young person who gets (or used to get) help from us</li>"
		     "<li>a parent, or someone with parental responsibility</li>"
		     "<li>a foster carer, special guardian, or someone adopting</li>"
		     "<li>someone acting for a child, such as an advocate, with the child's "
		     "agreement</li>"
		     "<li>any adult who is unhappy with a service</li></ul>"
		     "<h2>What happens and when</h2>");
	if (!o.n_procs)
		html_raw(&b, "<p>We will contact you to say what happens next.</p>");
	for (size_t i = 0; i < o.n_procs; i++) {
		if (o.n_procs > 1) {
			html_raw(&b, "<h3>");
			html_text(&b, o.procs[i]->name);
			html_raw(&b, "</h3>");
		}
		procedure_steps(req, &b, o.procs[i]);
	}
	html_raw(&b, "<p>Working days are Monday to Friday, not counting bank holidays.</p>");
	help_section(&b, &o);
	html_raw(&b, "</div><aside class=\"aside\" aria-labelledby=\"young-title\">"
		     "<h2 id=\"young-title\">For children and young people</h2>"
		     "<p>There is a shorter version of this page in simple words.</p><p><a href=\"");
	html_attr(&b, arena_printf(req->arena, "%syoung-people", o.home));
	html_raw(&b, "\">Read the page for children and young people</a></p>"
		     "<h2>Already told us?</h2><p>Use the private link we gave you when you sent "
		     "your complaint to see how it is going.</p></aside></div>");
	web_page_end(req, &b);
	web_public_org_free(&o);
	web_html(req, 200, &b);
}

void web_public_young(http_request *req)
{
	web_public_org o;
	if (!web_public_org_load(req, &o))
		return;
	html_buf b = HTML_BUF_INIT;
	web_page_opts opts = {.org_name = o.org.name, .home = o.home, .back = o.home};
	web_page_begin(req, &b, "Not happy? Tell us", &opts);
	html_raw(&b, "<h1>Not happy? Tell us</h1>"
		     "<p class=\"lead\">You can tell us if you are unhappy about the help you get. "
		     "You can also tell us when something is good.</p>"
		     "<p>You will not get into trouble for telling us.</p>"
		     "<h2>What happens</h2><ul>");
	const fh_procedure *p = o.n_procs ? o.procs[0] : NULL;
	const proc_clock *ack = p ? web_ack_clock(p) : NULL;
	if (ack) {
		html_raw(&b, "<li>We will tell you we got it within ");
		html_text(&b, web_span_words(req, ack->span));
		html_raw(&b, ".</li>");
	}
	if (p && p->n_stages && p->stages[0].response.present) {
		html_raw(&b, "<li>We will try to sort it out within ");
		html_text(&b, web_span_words(req, p->stages[0].response.span));
		html_raw(&b, ".</li>");
	}
	if (p && p->n_stages > 1)
		html_raw(&b, "<li>If you are still not happy, you can ask someone else to look at it "
			     "again.</li>");
	html_raw(&b, "<li>Working days are Monday to Friday. Bank holidays do not count.</li>"
		     "</ul><h2>Help</h2><ul><li>An advocate can help you say what you want");
	if (o.org.advocacy_service && *o.org.advocacy_service) {
		html_raw(&b, ": ");
		html_text(&b, o.org.advocacy_service);
	}
	html_raw(&b, ".</li><li>A grown-up you trust can help you fill in the form.</li>"
		     "<li>You can ask for an interpreter or signer.</li></ul>"
		     "<p><a class=\"button button-start\" href=\"");
	html_attr(&b, arena_printf(req->arena, "%sform/kind", o.home));
	html_raw(&b, "\">Tell us</a></p>");
	web_page_end(req, &b);
	web_public_org_free(&o);
	web_html(req, 200, &b);
}
