/*
 * staff_forms.c: the staff forms declared by each subsystem's module
 * (staff_forms.h): finding one, drawing it, and posting it through the API
 * handler it names; and the small writers their sections share (a table
 * of recorded items, a value in words, a person's name on the case).
 */
#include "staff_forms.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "authz.h"
#include "date.h"
#include "routes.h"
#include "server.h"
#include "store_behaviour.h"
#include "web.h"

/* Every subsystem's table, searched in turn. */
static const pf_form *const TABLES[] = {STAFF_REDRESS_FORMS, STAFF_JOINT_FORMS,
					STAFF_ADVOCACY_FORMS, STAFF_RIGHTS_FORMS,
					STAFF_FREEZING_FORMS, STAFF_BEHAVIOUR_FORMS};

const pf_form *staff_form_by_key(const char *key)
{
	for (size_t t = 0; key && t < sizeof TABLES / sizeof TABLES[0]; t++)
		for (const pf_form *f = TABLES[t]; f->key; f++)
			if (strcmp(f->key, key) == 0)
				return f;
	return NULL;
}

/* A form the code names: an unknown key is a bug. */
const pf_form *staff_form_named(const char *key)
{
	const pf_form *f = staff_form_by_key(key);
	if (!f)
		abort();
	return f;
}

static size_t n_fields(const pf_form *f)
{
	size_t n = 0;
	while (n < sizeof f->fields / sizeof f->fields[0] && f->fields[n].name)
		n++;
	return n;
}

/* The prefix of a form's fields: its key, and the item's number when on one. */
static const char *prefix(http_request *req, const pf_form *f, int64_t item)
{
	return f->item ? arena_printf(req->arena, "%s%lld", f->key, (long long)item) : f->key;
}

static const char *field_name(http_request *req, const char *pre, const pf_field *fd)
{
	return arena_printf(req->arena, "%s-%s", pre, fd->name);
}

bool staff_form_may(const http_request *req, int64_t org_id, const pf_form *f)
{
	unsigned roles = routes_roles_of(f->api);
	return roles == AUTHZ_ANY_ROLE || (authz_roles_in(req->who, org_id) & roles) != 0;
}

/* ---- rendering a form -------------------------------------------------------- */

static void render_field(http_request *req, html_buf *b, const char *pre, const pf_field *fd,
			 const fh_case *c, const web_errors *errors, bool posted)
{
	const char *name = field_name(req, pre, fd);
	web_field w = {.name = name, .label = fd->label, .hint = fd->hint,
		       .optional = fd->optional, .error = web_errors_for(errors, name),
		       .value = posted ? web_form(req, name) : NULL};
	switch (fd->kind) {
	case PF_TEXT:
		web_input(b, &w);
		return;
	case PF_AREA:
		w.rows = 3;
		web_textarea(b, &w);
		return;
	case PF_DATE:
		w.width_class = "w-10";
		w.inputmode = "numeric";
		web_input(b, &w);
		return;
	case PF_INT:
	case PF_PENCE:
		w.width_class = "w-10";
		w.inputmode = fd->kind == PF_INT ? "numeric" : "decimal";
		web_input(b, &w);
		return;
	case PF_TICK: {
		static const web_option yes[] = {{"true", "Yes", NULL}};
		const char *checked[1] = {"true"};
		w.options = yes;
		w.n_options = 1;
		w.checked = checked;
		w.n_checked = w.value && strcmp(w.value, "true") == 0;
		web_checkboxes(b, &w);
		return;
	}
	case PF_YESNO: {
		static const web_option yesno[] = {{"true", "Yes", NULL}, {"false", "No", NULL}};
		w.options = yesno;
		w.n_options = 2;
		web_radios(b, &w);
		return;
	}
	case PF_CHOICE: {
		size_t n = 0;
		while (fd->choices[n])
			n++;
		web_option *opts = arena_array(req->arena, n + 1, sizeof *opts);
		size_t k = 0;
		if (n > 4 || fd->optional)
			opts[k++] = (web_option){"", fd->optional ? "None" : "Choose one", NULL};
		for (size_t i = 0; i < n; i++)
			opts[k++] = (web_option){fd->choices[i], staff_words(req, fd->choices[i]), NULL};
		w.options = opts;
		w.n_options = k;
		if (k > 4)
			web_select(b, &w);
		else
			web_radios(b, &w);
		return;
	}
	case PF_PERSON: {
		size_t n = c ? c->n_parties : 0;
		web_option *opts = arena_array(req->arena, n + 1, sizeof *opts);
		opts[0] = (web_option){"", "Choose a person", NULL};
		for (size_t i = 0; i < n; i++) {
			const fh_party *p = &c->parties[i];
			opts[i + 1] = (web_option){
				arena_printf(req->arena, "%lld", (long long)p->person.id),
				arena_printf(req->arena, "%s %s (%s)",
					     p->person.given_name ? p->person.given_name : "",
					     p->person.family_name ? p->person.family_name : "",
					     staff_lower(req, p->role)),
				NULL};
		}
		w.options = opts;
		w.n_options = n + 1;
		web_select(b, &w);
		return;
	}
	}
}

/* The <form> of f, posting to action. */
void staff_form_render(http_request *req, html_buf *b, const pf_form *f, int64_t item,
			const char *action, const fh_case *c, const web_errors *errors,
			bool posted)
{
	const char *pre = prefix(req, f, item);
	html_raw(b, "<form method=\"post\" novalidate action=\"");
	html_attr(b, action);
	html_raw(b, "\">");
	web_csrf_field(req, b);
	for (size_t i = 0; i < n_fields(f); i++)
		render_field(req, b, pre, &f->fields[i], c, errors, posted);
	html_raw(b, "<button type=\"submit\" class=\"button button-secondary\">");
	html_text(b, f->title);
	html_raw(b, "</button></form>");
}

/* A form folded under its title, as "Add a document" is on the case page. */
void staff_form_folded(http_request *req, html_buf *b, const pf_form *f, int64_t item,
			const char *summary, const char *action, const fh_case *c)
{
	html_raw(b, "<details class=\"filters\"><summary>");
	html_text(b, summary ? summary : f->title);
	html_raw(b, "</summary>");
	if (f->intro) {
		html_raw(b, "<p class=\"hint\">");
		html_text(b, f->intro);
		html_raw(b, "</p>");
	}
	staff_form_render(req, b, f, item, action, c, NULL, false);
	html_raw(b, "</details>");
}

/* ---- showing what is recorded -------------------------------------------------- */

static bool is_code(const char *s)
{
	if (!*s)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || *p == '_'))
			return false;
	return true;
}

/* One value as people read it: codes in words, dates as dates, booleans Yes/No. */
void staff_value_text(http_request *req, html_buf *b, const json_t *v)
{
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		html_text(b, is_code(s) ? staff_words(req, s) : staff_date(req, s));
	} else if (json_is_integer(v)) {
		html_rawf(b, "%lld", (long long)json_integer_value(v));
	} else if (json_is_boolean(v)) {
		html_raw(b, json_is_true(v) ? "Yes" : "No");
	} else {
		html_raw(b, "<span class=\"muted\">-</span>");
	}
}

const char *staff_party_name(http_request *req, const fh_case *c, int64_t person);

/* A cell: a person on the case by name, else the value as people read it. */
static void cell(http_request *req, html_buf *b, const char *key, const json_t *v, const fh_case *c)
{
	if (c && strcmp(key, "person_id") == 0 && json_is_integer(v))
		html_text(b, staff_party_name(req, c, json_integer_value(v)));
	else
		staff_value_text(req, b, v);
}

void staff_json_table(http_request *req, html_buf *b, const json_t *list, const char *empty,
		       const fh_case *c)
{
	if (!json_array_size(list)) {
		html_raw(b, "<p>");
		html_text(b, empty);
		html_raw(b, "</p>");
		return;
	}
	json_t *first = json_array_get(list, 0);
	const char *key;
	json_t *v;
	html_raw(b, "<div class=\"table-wrap\"><table><thead><tr>");
	json_object_foreach(first, key, v) {
		if (json_is_array(v) || json_is_object(v))
			continue;
		html_raw(b, "<th scope=\"col\">");
		html_text(b, strcmp(key, "id") == 0 ? "No."
			     : strcmp(key, "person_id") == 0 && c ? "Person" : staff_words(req, key));
		html_raw(b, "</th>");
	}
	html_raw(b, "</tr></thead><tbody>");
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o) {
		html_raw(b, "<tr>");
		json_object_foreach(first, key, v) {
			if (json_is_array(v) || json_is_object(v))
				continue;
			html_raw(b, "<td>");
			cell(req, b, key, json_object_get(o, key), c);
			html_raw(b, "</td>");
		}
		html_raw(b, "</tr>");
	}
	html_raw(b, "</tbody></table></div>");
}

const char *staff_case_path(http_request *req, const fh_case *c, const char *rest)
{
	return arena_printf(req->arena, "/staff/cases/%s/%s", web_url_encode(req, c->reference),
			    rest);
}

const char *staff_party_name(http_request *req, const fh_case *c, int64_t person)
{
	for (size_t i = 0; i < c->n_parties; i++)
		if (c->parties[i].person.id == person)
			return arena_printf(req->arena, "%s %s",
					    c->parties[i].person.given_name ? c->parties[i].person.given_name : "",
					    c->parties[i].person.family_name ? c->parties[i].person.family_name
									     : "");
	return arena_printf(req->arena, "person %lld", (long long)person);
}

/* ---- a form posted ---------------------------------------------------------------- */

/* Pounds and pence as typed ("150", "150.5", "£1,150.00") in whole pence. */
static bool parse_pence(const char *s, int64_t *out)
{
	int64_t pounds = 0, pence = 0;
	int digits = 0, decimals = -1;
	if (*s == '-')
		return false;
	if (strncmp(s, "£", strlen("£")) == 0)
		s += strlen("£");
	for (; *s; s++) {
		if (*s == ',' && decimals < 0)
			continue;
		if (*s == '.' && decimals < 0) {
			decimals = 0;
			continue;
		}
		if (*s < '0' || *s > '9' || decimals >= 2 || pounds > 100000000)
			return false;
		if (decimals < 0)
			pounds = pounds * 10 + (*s - '0');
		else
			pence = pence * 10 + (*s - '0'), decimals++;
		digits++;
	}
	if (!digits)
		return false;
	if (decimals == 1)
		pence *= 10;
	*out = pounds * 100 + pence;
	return true;
}

const char *staff_trimmed(http_request *req, const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
		n--;
	return arena_strndup(req->arena, s, n);
}

/* The form as the API's JSON body; false with errors when a value cannot be one. */
static json_t *body_of(http_request *req, const pf_form *f, const char *pre, web_errors *errors)
{
	json_t *body = json_object();
	for (size_t i = 0; i < n_fields(f); i++) {
		const pf_field *fd = &f->fields[i];
		const char *name = field_name(req, pre, fd);
		const char *value = web_form(req, name);
		value = staff_trimmed(req, value ? value : "");
		if (fd->kind == PF_TICK) {
			json_object_set_new(body, fd->name, json_boolean(strcmp(value, "true") == 0));
			continue;
		}
		if (!*value)
			continue;
		if (fd->kind == PF_YESNO) {
			json_object_set_new(body, fd->name, json_boolean(strcmp(value, "true") == 0));
		} else if (fd->kind == PF_INT || fd->kind == PF_PERSON) {
			char *end;
			errno = 0;
			long long v = strtoll(value, &end, 10);
			if (*end || errno || v < 0)
				web_errors_add(errors, name, arena_printf(req->arena,
					       "%s must be a whole number", fd->label));
			else
				json_object_set_new(body, fd->name, json_integer(v));
		} else if (fd->kind == PF_PENCE) {
			int64_t pence;
			if (!parse_pence(value, &pence))
				web_errors_add(errors, name, arena_printf(req->arena,
					       "%s must be an amount in pounds, such as 150.00",
					       fd->label));
			else
				json_object_set_new(body, fd->name, json_integer(pence));
		} else {
			json_object_set_new(body, fd->name, json_string(value));
		}
	}
	return body;
}

/* The API's refusal ({"error": {"message", "field"}}) as the form's error. */
static void refusal(http_request *req, const pf_form *f, const char *pre, web_errors *errors)
{
	json_t *e = json_object_get(req->out, "error");
	const char *field = json_string_value(json_object_get(e, "field"));
	const char *message = json_string_value(json_object_get(e, "message"));
	const char *target = NULL;
	for (size_t i = 0; field && i < n_fields(f); i++)
		if (strcmp(f->fields[i].name, field) == 0)
			target = field_name(req, pre, &f->fields[i]);
	if (!message)
		message = "this could not be recorded";
	if (target && strncmp(message, "is ", 3) == 0) {
		/* "is required" reads as a sentence about the field */
		for (size_t i = 0; i < n_fields(f); i++)
			if (strcmp(f->fields[i].name, field) == 0)
				message = arena_printf(req->arena, "%s %s", f->fields[i].label, message);
	} else if (!target && field) {
		message = arena_printf(req->arena, "%s: %s", staff_words(req, field), message);
	}
	char *text = arena_strdup(req->arena, message);
	if (text[0] >= 'a' && text[0] <= 'z')
		text[0] = (char)(text[0] - 'a' + 'A');
	web_errors_add(errors, target ? target : field_name(req, pre, &f->fields[0]), text);
}

/* The form's own page: after a refusal, with the summary and the fields as typed. */
static void form_page(http_request *req, const pf_form *f, int64_t item, const fh_case *c,
		      const char *caption, const char *back, int status, const web_errors *errors)
{
	html_buf b = HTML_BUF_INIT;
	staff_page_begin(req, &b, arena_printf(req->arena, "Error: %s", f->title), NULL);
	html_raw(&b, "<a class=\"back-link\" href=\"");
	html_attr(&b, back);
	html_raw(&b, f->place == ON_CASE_PAGE ? "\">Back to the case</a>" : "\">Back to the person</a>");
	web_error_summary(&b, errors);
	html_raw(&b, "<span class=\"caption\">");
	html_text(&b, caption);
	html_raw(&b, "</span><h1>");
	html_text(&b, f->title);
	html_raw(&b, "</h1>");
	if (f->intro) {
		html_raw(&b, "<p>");
		html_text(&b, f->intro);
		html_raw(&b, "</p>");
	}
	staff_form_render(req, &b, f, item, req->path, c, errors, true);
	web_page_end(req, &b);
	web_html(req, status, &b);
}

static int64_t path_item(const http_request *req, const pf_form *f)
{
	return f->item ? req->ids[1] : 0;
}

/*
 * Runs the API's handler for form key with the form as its body; answers
 * with a redirect to done_path, or the form's page with the refusal.
 */
void staff_form_post(http_request *req, const char *key)
{
	const pf_form *f = staff_form_named(key);
	int64_t item = path_item(req, f);
	const char *pre = prefix(req, f, item);
	web_errors errors = {0};
	json_t *body = body_of(req, f, pre, &errors);
	fh_case c = {0};
	fh_error err = {0};
	const char *back, *caption;
	int status = 422;
	if (!errors.n) {
		json_decref(req->json);
		req->json = body; /* the server frees it with the request */
		body = NULL;
		f->api(req);
		status = req->status;
		if (status >= 200 && status < 400) {
			const char *to;
			if (f->place == ON_CASE_PAGE) {
				to = arena_printf(req->arena, "/staff/cases/%s?done=%s",
						  web_url_encode(req, req->params[0]), f->key);
			} else {
				int64_t person = req->ids[1];
				if (f->item && store_restriction_person(req->st, req->params[0], item,
									&person, &err)) {
					http_fail(req, &err);
					return;
				}
				to = arena_printf(req->arena, "/staff/orgs/%s/people/%lld?done=%s",
						  web_url_encode(req, req->params[0]),
						  (long long)person, f->key);
			}
			req->location = NULL;
			web_redirect(req, to);
			return;
		}
		if (status != 400 && status != 403 && status != 409 && status != 422)
			return; /* 404 and 5xx: the layer's failure page */
		refusal(req, f, pre, &errors);
		json_decref(req->out);
		req->out = NULL;
	}
	json_decref(body);
	if (f->place == ON_CASE_PAGE) {
		if (store_case_get(req->st, req->params[0], req->arena, &c, &err)) {
			http_fail(req, &err);
			return;
		}
		caption = arena_printf(req->arena, "%s: %s", c.reference, c.summary);
		back = arena_printf(req->arena, "/staff/cases/%s", web_url_encode(req, c.reference));
	} else {
		int64_t person = req->ids[1];
		if (f->item && store_restriction_person(req->st, req->params[0], item, &person, &err)) {
			http_fail(req, &err);
			return;
		}
		caption = arena_printf(req->arena, "Person %lld: behaviour record", (long long)person);
		back = arena_printf(req->arena, "/staff/orgs/%s/people/%lld",
				    web_url_encode(req, req->params[0]), (long long)person);
	}
	form_page(req, f, item, f->place == ON_CASE_PAGE ? &c : NULL, caption, back, status,
		  &errors);
}
