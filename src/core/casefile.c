/*
 * casefile: a case's file as layout models (casefile.h).
 */
#include "casefile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "letter.h"

static json_t *runs(const char *text, bool bold)
{
	return json_pack("[{s:s s:b}]", "text", text ? text : "", "bold", bold);
}

static void fact(json_t *blocks, const char *label, const char *text)
{
	json_array_append_new(blocks, json_pack("{s:s s:o s:o}", "type", "fact", "label",
						runs(label, true), "runs", runs(text, false)));
}

static void block(json_t *blocks, const char *type, const char *text)
{
	json_array_append_new(blocks, json_pack("{s:s s:o}", "type", type, "runs", runs(text, false)));
}

/* A page of the bundle with the organisation's letterhead and the reference. */
static json_t *page(const casefile_input *in, const char *subject, json_t *blocks)
{
	char date[64];
	json_t *lines = json_array();
	if (in->org->address && *in->org->address)
		json_array_append_new(lines, json_string(in->org->address));
	return json_pack("{s:s s:{s:s s:o} s:[] s:s s:s s:o s:[]}", "subject", subject, "letterhead",
			 "name", in->org->name, "lines", lines, "recipient", "date",
			 letter_long_date(in->today, date, sizeof date), "reference",
			 in->kase->reference, "blocks", blocks, "signature");
}

/* The words of an action name: "record_finding" as "record finding". */
static void words(const char *action, char *buf, size_t size)
{
	snprintf(buf, size, "%s", action);
	for (char *p = buf; *p; p++)
		if (*p == '_')
			*p = ' ';
}

/* What happened, in a line: the action, who, and the parameters that say
 * what (never free text unless confidential material is included). */
static void event_text(const casefile_input *in, const fh_event *e, char *buf, size_t size)
{
	char what[64];
	words(e->action, what, sizeof what);
	json_t *data = json_loads(e->data ? e->data : "{}", 0, NULL);
	bool confidential = json_is_true(json_object_get(data, "confidential"));
	size_t len = (size_t)snprintf(buf, size, "%s, by %s", what, e->actor);
	if (e->erased_on && *e->erased_on) {
		char note[MODEL_ERASED_NOTE_MAX];
		snprintf(buf + len, size - len, " (%s)", model_event_reason(e, note));
		json_decref(data);
		return;
	}
	if (confidential && !in->include_confidential) {
		snprintf(buf + len, size - len, " (confidential: details withheld)");
		json_decref(data);
		return;
	}
	json_t *params = json_object_get(data, "params");
	if (!params)
		params = data;
	static const char *const keys[] = {"point", "outcome", "kind", "role", "user", "clock", "to",
					   "new_due", "because", "date", "place", "consent",
					   "proceedings", "letter", "variant", "filename", "visibility",
					   "reference", NULL};
	for (size_t i = 0; keys[i] && len < size; i++) {
		json_t *v = json_object_get(params, keys[i]);
		char val[200];
		if (json_is_string(v))
			snprintf(val, sizeof val, "%s", json_string_value(v));
		else if (json_is_integer(v))
			snprintf(val, sizeof val, "%lld", (long long)json_integer_value(v));
		else
			continue;
		len += (size_t)snprintf(buf + len, size - len, "; %s %s", keys[i], val);
	}
	const char *summary = json_string_value(json_object_get(params, "summary"));
	if (confidential && summary && len < size)
		snprintf(buf + len, size - len, "; %s", summary);
	if (e->reason && *e->reason && len < size)
		snprintf(buf + len, size - len, "; reason: %s", e->reason);
	json_decref(data);
}

static json_t *cover(const casefile_input *in, size_t n_letters, size_t n_emails, size_t n_docs)
{
	const fh_case *k = in->kase;
	json_t *b = json_array();
	char buf[400];
	block(b, "para", "This bundle holds the file of the complaint below as it stands on the date "
			 "above: the timeline of every recorded event, every letter sent to the "
			 "customer as it was issued, the email received on it and sent about it, "
			 "and the list of documents held.");
	fact(b, "Reference", k->reference);
	fact(b, "Organisation", in->org->name);
	snprintf(buf, sizeof buf, "%s by %s", k->received_on, k->channel);
	fact(b, "Received", buf);
	fact(b, "Kind", k->kind);
	fact(b, "Summary", k->summary);
	fact(b, "Route", k->route);
	if (k->procedure_code && *k->procedure_code) {
		snprintf(buf, sizeof buf, "%s, version %d", k->procedure_code, k->procedure_version);
		fact(b, "Procedure", buf);
	}
	snprintf(buf, sizeof buf, "%s, stage %d%s%s", k->state, k->stage,
		 k->closed_on && *k->closed_on ? ", closed on " : "",
		 k->closed_on ? k->closed_on : "");
	fact(b, "Where it stands", buf);
	for (size_t i = 0; i < k->n_parties; i++) {
		const fh_person *p = &k->parties[i].person;
		snprintf(buf, sizeof buf, "%s%s%s%s%s", p->given_name ? p->given_name : "",
			 p->family_name && *p->family_name ? " " : "", p->family_name ? p->family_name : "",
			 p->organisation && *p->organisation ? ", " : "",
			 p->organisation ? p->organisation : "");
		fact(b, k->parties[i].role, buf);
	}
	fact(b, "Prepared by", in->prepared_by);
	fact(b, "Confidential material",
	     in->include_confidential
		     ? "INCLUDED at the request of the person who prepared it: the confidential "
		       "addendum and confidential events are shown (001 B Stage 2)"
		     : "excluded: the confidential addendum and the content of confidential events "
		       "are not in this bundle (001 B Stage 2)");
	json_array_append_new(b, json_pack("{s:s s:o}", "type", "heading", "runs", runs("Complaint points", false)));
	for (size_t i = 0; i < k->n_points; i++) {
		snprintf(buf, sizeof buf, "%d. %s%s", k->points[i].seq, k->points[i].summary,
			 k->points[i].withdrawn ? " (withdrawn)" : "");
		block(b, "item", buf);
	}
	json_array_append_new(b, json_pack("{s:s s:o}", "type", "heading", "runs", runs("Contents", false)));
	snprintf(buf, sizeof buf, "Timeline of events (%zu)", k->n_events);
	block(b, "item", buf);
	snprintf(buf, sizeof buf, "Letters sent (%zu), each from a new page", n_letters);
	block(b, "item", buf);
	snprintf(buf, sizeof buf, "Correspondence by email (%zu)", n_emails);
	block(b, "item", buf);
	snprintf(buf, sizeof buf, "Documents held (%zu)", n_docs);
	block(b, "item", buf);
	if (in->include_confidential)
		block(b, "item", "Confidential addendum");
	snprintf(buf, sizeof buf, "Case file %s", k->reference);
	return page(in, buf, b);
}

static const char *member(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? v : "";
}

/*
 * The email received on the case, oldest first: who sent it, when, its
 * subject and its text as Fairhearing read it (never its HTML), each text
 * paragraph a block so a long message breaks across pages.
 */
static json_t *email_page(const casefile_input *in)
{
	json_t *b = json_array();
	size_t i;
	json_t *m;
	json_array_foreach(in->emails, i, m) {
		char buf[600];
		const char *subject = member(m, "subject");
		json_array_append_new(b, json_pack("{s:s s:o}", "type", "heading", "runs",
						   runs(*subject ? subject : "(no subject)", false)));
		/* "2026-11-23T09:12:00Z" as "2026-11-23 09:12 UTC" */
		const char *at = member(m, "received_at");
		snprintf(buf, sizeof buf, "%.10s%s%.5s%s", at, strlen(at) > 11 ? " " : "",
			 strlen(at) > 11 ? at + 11 : "", strlen(at) > 11 ? " UTC" : "");
		fact(b, "Received", buf);
		const char *name = member(m, "from_name");
		snprintf(buf, sizeof buf, "%s%s%s%s", name, *name ? " <" : "",
			 member(m, "from_address"), *name ? ">" : "");
		fact(b, "From", buf);
		const char *body = member(m, "body");
		if (!*body)
			block(b, "para", "(no text)");
		while (*body) {
			const char *end = strstr(body, "\n\n");
			size_t len = end ? (size_t)(end - body) : strlen(body);
			char *para = strndup(body, len);
			if (para && *para)
				block(b, "para", para);
			free(para);
			body += len;
			while (*body == '\n')
				body++;
		}
	}
	if (!json_array_size(in->emails))
		block(b, "para", "No email has been received on the case.");
	/* and what Fairhearing sent: each letter or acknowledgement emailed, to
	 * whom, and whether it arrived (a bounce is a letter the person may
	 * never have had) */
	json_array_append_new(b, json_pack("{s:s s:o}", "type", "heading", "runs",
					   runs("Email sent", false)));
	json_array_foreach(in->emails_sent, i, m) {
		char buf[600];
		const char *subject = member(m, "subject");
		const char *detail = member(m, "detail");
		snprintf(buf, sizeof buf, "%.10s: %s%s%s to %s; %s%s%.10s%s%s", member(m, "queued_at"),
			 strcmp(member(m, "kind"), "letter") ? "acknowledgement" : "letter",
			 *subject ? " " : "", subject, member(m, "recipient"), member(m, "state"),
			 *member(m, "state_at") ? " on " : "", member(m, "state_at"),
			 *detail ? ": " : "", detail);
		block(b, "item", buf);
	}
	if (!json_array_size(in->emails_sent))
		block(b, "para", "No email has been sent about the case.");
	return page(in, "Correspondence by email", b);
}

json_t *casefile_models(const casefile_input *in)
{
	json_t *docs = json_array();
	size_t n_docs = json_array_size(in->documents);
	json_array_append_new(docs, cover(in, json_array_size(in->letters),
					  json_array_size(in->emails), n_docs));

	json_t *t = json_array();
	for (size_t i = 0; i < in->kase->n_events; i++) {
		const fh_event *e = &in->kase->events[i];
		char when[40], text[1200];
		snprintf(when, sizeof when, "%.10s", e->effective_on && *e->effective_on ? e->effective_on : e->at);
		event_text(in, e, text, sizeof text);
		fact(t, when, text);
	}
	if (!in->kase->n_events)
		block(t, "para", "No events are recorded.");
	json_array_append_new(docs, page(in, "Timeline of events", t));

	size_t i;
	json_t *l;
	json_array_foreach(in->letters, i, l)
		json_array_append(docs, l);

	json_array_append_new(docs, email_page(in));

	json_t *d = json_array();
	json_t *doc;
	json_array_foreach(in->documents, i, doc) {
		char text[600];
		snprintf(text, sizeof text, "%s, %lld bytes, visible to %s; uploaded by %s at %s; SHA-256 %s",
			 json_string_value(json_object_get(doc, "content_type")),
			 (long long)json_integer_value(json_object_get(doc, "size")),
			 json_string_value(json_object_get(doc, "visibility")),
			 json_string_value(json_object_get(doc, "uploaded_by")),
			 json_string_value(json_object_get(doc, "uploaded_at")),
			 json_string_value(json_object_get(doc, "sha256")));
		fact(d, json_string_value(json_object_get(doc, "filename")), text);
	}
	if (!n_docs)
		block(d, "para", "No documents are held on the case.");
	else
		block(d, "para", "The documents themselves can be supplied on request; the SHA-256 "
				 "of each identifies it exactly.");
	json_array_append_new(docs, page(in, "Documents held", d));

	if (in->include_confidential) {
		json_t *c = json_array();
		block(c, "para", "CONFIDENTIAL. Not to be shared with the customer (001 B Stage 2).");
		json_t *stage;
		json_array_foreach(json_object_get(in->state, "stages"), i, stage) {
			json_t *add = json_object_get(json_object_get(stage, "confidential"), "addendum");
			if (!add)
				continue;
			char label[64];
			snprintf(label, sizeof label, "Stage %lld, %s",
				 (long long)json_integer_value(json_object_get(stage, "number")),
				 json_string_value(json_object_get(add, "on")) ? json_string_value(json_object_get(add, "on")) : "");
			fact(c, label, json_string_value(json_object_get(add, "summary")));
		}
		if (json_array_size(c) == 1)
			block(c, "para", "No confidential addendum is recorded.");
		json_array_append_new(docs, page(in, "Confidential addendum", c));
	}
	return docs;
}
