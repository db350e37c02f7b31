/*
 * staff_forms.c: the staff forms declared by each subject's module
 * (staff_forms.h): finding one, drawing it, reading what was posted and
 * running the API handler it names, its own page, and the notice when it
 * is done; and the small writers the sections share (a table of recorded
 * items, a value in words, a person's name on the case).
 */
#include "staff_forms.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "authz.h"
#include "date.h"
#include "procedure.h"
#include "routes.h"
#include "server.h"
#include "store.h"
#include "store_behaviour.h"
#include "store_lifecycle.h"
#include "web.h"

/* Every subject's table, searched in turn. */
const pf_form *const STAFF_FORM_TABLES[] = {STAFF_ACTION_FORMS, STAFF_REDRESS_FORMS,
					    STAFF_JOINT_FORMS, STAFF_ADVOCACY_FORMS,
					    STAFF_RIGHTS_FORMS, STAFF_FREEZING_FORMS,
					    STAFF_BEHAVIOUR_FORMS, STAFF_ASSESSMENT_FORMS};
const size_t STAFF_FORM_N_TABLES = sizeof STAFF_FORM_TABLES / sizeof STAFF_FORM_TABLES[0];

const pf_form *staff_form_by_key(const char *key)
{
	for (size_t t = 0; key && t < STAFF_FORM_N_TABLES; t++)
		for (const pf_form *f = STAFF_FORM_TABLES[t]; f->key; f++)
			if (strcmp(f->key, key) == 0)
				return f;
	return NULL;
}

const pf_form *staff_form_action(const char *name)
{
	const pf_form *f = staff_form_by_key(name);
	return f && f->place == ON_OWN_PAGE ? f : NULL;
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

/*
 * The prefix of a form's fields: its key, and the item's number when on
 * one; none (NULL) for a form alone on its page.
 */
static const char *prefix(http_request *req, const pf_form *f, int64_t item)
{
	if (f->place == ON_OWN_PAGE)
		return NULL;
	return f->item ? arena_printf(req->arena, "%s%lld", f->key, (long long)item) : f->key;
}

static const char *field_name(http_request *req, const char *pre, const pf_field *fd)
{
	return pre ? arena_printf(req->arena, "%s-%s", pre, fd->name) : fd->name;
}

/* The input of one column of row n of a PF_ROWS field: "actions-1-owner". */
static const char *row_name(http_request *req, const char *field, int n, const char *column)
{
	return arena_printf(req->arena, "%s-%d-%s", field, n, column);
}

/* The words of each column a PF_ROWS field may have (the lifecycle's names). */
static const web_field ROW_COLUMNS[] = {
	{.name = "action", .label = "What will be done"},
	{.name = "owner", .label = "Owner"},
	{.name = "due_on", .label = "Due by", .hint = "For example 2026-12-18", .width_class = "w-10"},
};

bool staff_form_may(const http_request *req, int64_t org_id, const pf_form *f)
{
	unsigned roles = routes_roles_of(f->api);
	return roles == AUTHZ_ANY_ROLE || (authz_roles_in(req->who, org_id) & roles) != 0;
}

/* ---- rendering a form -------------------------------------------------------- */

/*
 * The clocks of the case's current stage that can be extended (the
 * response, the acknowledgement and the panel), loaded from its procedure
 * version; the caller frees *proc.  False when the case has no procedure or
 * stage yet.
 */
static bool stage_clocks(http_request *req, const fh_case *c, fh_procedure **proc,
			 const proc_clock *clocks[3])
{
	fh_error err = {0};
	*proc = NULL;
	if (!c || !c->procedure_code || !c->stage ||
	    store_procedure_get(req->st, c->procedure_code, c->procedure_version, proc, &err))
		return false;
	const proc_stage *rules = procedure_stage(*proc, c->stage);
	if (!rules)
		return false;
	clocks[0] = &rules->response;
	clocks[1] = &rules->acknowledge;
	clocks[2] = &rules->panel.within;
	return true;
}

/*
 * The reasons the case's procedure allows for extending a clock of its
 * current stage (proc_clock.extension_reasons), each once, NULL-ended in
 * req->arena; an empty list when it names none (then any stated reason is
 * taken).
 */
static const char *const *extension_reasons(http_request *req, const fh_case *c)
{
	const char **out = arena_array(req->arena, 1, sizeof *out);
	fh_procedure *proc;
	const proc_clock *clocks[3];
	if (stage_clocks(req, c, &proc, clocks)) {
		size_t cap = 1, n = 0;
		for (size_t k = 0; k < 3; k++)
			cap += clocks[k]->n_extension_reasons;
		out = arena_array(req->arena, cap, sizeof *out);
		for (size_t k = 0; k < 3; k++)
			for (size_t i = 0; i < clocks[k]->n_extension_reasons; i++) {
				const char *r = clocks[k]->extension_reasons[i];
				bool seen = false;
				for (size_t j = 0; j < n && !seen; j++)
					seen = strcmp(out[j], r) == 0;
				if (!seen)
					out[n++] = arena_strdup(req->arena, r);
			}
	}
	procedure_free(proc);
	return out;
}

/* Whether a clock of the case's current stage may go past its extension
 * limit with a recorded good reason (proc_clock.beyond_with_good_reason). */
static bool good_reason_allowed(http_request *req, const fh_case *c)
{
	fh_procedure *proc;
	const proc_clock *clocks[3];
	bool allowed = false;
	if (stage_clocks(req, c, &proc, clocks))
		for (size_t k = 0; k < 3; k++)
			allowed = allowed || clocks[k]->beyond_with_good_reason;
	procedure_free(proc);
	return allowed;
}

/*
 * One of choices, any of them (PF_CHOICES), or a text box when there are
 * none.  A select starts with an empty choice; so does an optional choice
 * folded among other forms ("None"), where it is the one way back to none.
 */
static void render_choices(http_request *req, html_buf *b, const pf_form *f, const pf_field *fd,
			   web_field *w, const char *const *choices, bool posted)
{
	size_t n = 0;
	while (choices[n])
		n++;
	if (n == 0) { /* the procedure takes any stated reason */
		web_input(b, w);
		return;
	}
	web_option *opts = arena_array(req->arena, n + 1, sizeof *opts);
	size_t k = 0;
	bool none = fd->optional && f->place != ON_OWN_PAGE;
	if (fd->kind != PF_CHOICES && (n > 4 || none))
		opts[k++] = (web_option){"", none ? "None" : "Choose one", NULL};
	for (size_t i = 0; i < n; i++)
		opts[k++] = (web_option){choices[i], staff_words(req, choices[i]), NULL};
	w->options = opts;
	w->n_options = k;
	if (fd->kind == PF_CHOICES) {
		size_t nc = 0;
		w->checked = posted ? web_form_all(req, w->name, &nc) : NULL;
		w->n_checked = nc;
		web_checkboxes(b, w);
	} else if (k > 4) {
		web_select(b, w);
	} else {
		web_radios(b, w);
	}
}

/* The case's clocks, each once (its deadlines name them); "response" first chosen. */
static void render_clock(http_request *req, html_buf *b, web_field *w, const json_t *life)
{
	json_t *deadlines = json_object_get(life, "deadlines");
	size_t n = json_array_size(deadlines);
	web_option *opts = arena_array(req->arena, n + 1, sizeof *opts);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const char *clock = json_string_value(json_object_get(json_array_get(deadlines, i),
								      "clock"));
		bool seen = !clock;
		for (size_t j = 0; j < k && !seen; j++)
			seen = strcmp(opts[j].value, clock) == 0;
		if (!seen)
			opts[k++] = (web_option){clock, staff_words(req, clock), NULL};
	}
	if (!w->value)
		w->value = "response";
	w->options = opts;
	w->n_options = k;
	if (k)
		web_radios(b, w);
	else
		web_input(b, w);
}

/* The organisation's users who are not disabled, by email. */
static void render_user(http_request *req, html_buf *b, web_field *w, const fh_case *c)
{
	fh_user *users = NULL;
	size_t n = 0;
	fh_error err = {0};
	if (!c || store_user_list(req->st, c->org_code, req->arena, &users, &n, &err))
		n = 0;
	web_option *opts = arena_array(req->arena, n + 1, sizeof *opts);
	size_t k = 0;
	opts[k++] = (web_option){"", "Choose someone", NULL};
	for (size_t i = 0; i < n; i++)
		if (!users[i].disabled)
			opts[k++] = (web_option){users[i].email,
				arena_printf(req->arena, "%s (%s)", users[i].display_name,
					     users[i].email), NULL};
	w->options = opts;
	w->n_options = k;
	web_select(b, w);
}

/* Up to three rows of the field's columns, each row optional. */
static void render_rows(http_request *req, html_buf *b, const pf_field *fd, const web_field *w,
			bool posted)
{
	html_raw(b, "<fieldset class=\"fieldset\" id=\"");
	html_attr(b, w->name);
	html_raw(b, "\" tabindex=\"-1\"><legend class=\"legend\">");
	html_text(b, fd->label);
	html_raw(b, "</legend>");
	if (w->error) {
		html_raw(b, "<p class=\"error-message\"><span class=\"visually-hidden\">Error:"
			    "</span> ");
		html_text(b, w->error);
		html_raw(b, "</p>");
	}
	for (int n = 1; n <= 3; n++) {
		html_rawf(b, "<div class=\"action-row\"><p class=\"muted\">Action %d (optional)</p>",
			  n);
		for (size_t i = 0; fd->choices[i]; i++)
			for (size_t k = 0; k < sizeof ROW_COLUMNS / sizeof ROW_COLUMNS[0]; k++) {
				if (strcmp(ROW_COLUMNS[k].name, fd->choices[i]) != 0)
					continue;
				web_field cell = ROW_COLUMNS[k];
				cell.name = row_name(req, w->name, n, fd->choices[i]);
				cell.value = posted ? web_form(req, cell.name) : NULL;
				web_input(b, &cell);
			}
		html_raw(b, "</div>");
	}
	html_raw(b, "</fieldset>");
}

static void render_field(http_request *req, html_buf *b, const pf_form *f, const char *pre,
			 const pf_field *fd, const fh_case *c, const json_t *life, const json_t *values,
			 const web_errors *errors, bool posted)
{
	const char *name = field_name(req, pre, fd);
	web_field w = {.name = name, .label = fd->label, .hint = fd->hint,
		       .optional = fd->optional, .error = web_errors_for(errors, name),
		       .value = posted ? web_form(req, name)
				       : json_string_value(json_object_get(values, fd->name))};
	char today[DATE_ISO_LEN];
	switch (fd->kind) {
	case PF_TEXT:
	case PF_EMAILS:
		web_input(b, &w);
		return;
	case PF_AREA:
		w.rows = 3;
		web_textarea(b, &w);
		return;
	case PF_TODAY:
		if (!w.value)
			w.value = arena_strdup(req->arena, date_format(req->today, today));
		/* fall through */
	case PF_DATE:
		w.width_class = "w-10";
		w.inputmode = "numeric";
		web_input(b, &w);
		return;
	case PF_INT:
		w.width_class = "w-4";
		w.inputmode = "numeric";
		web_input(b, &w);
		return;
	case PF_PENCE:
		w.width_class = "w-10";
		w.inputmode = "decimal";
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
	case PF_CHOICE:
	case PF_CHOICES:
		render_choices(req, b, f, fd, &w, fd->choices, posted);
		return;
	case PF_REASONS:
		render_choices(req, b, f, fd, &w, extension_reasons(req, c), posted);
		return;
	case PF_GOOD_REASON:
		w.rows = 3;
		if (good_reason_allowed(req, c))
			web_textarea(b, &w);
		return;
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
	case PF_POINT: {
		size_t n = c ? c->n_points : 0;
		web_option *opts = arena_array(req->arena, n + 1, sizeof *opts);
		opts[0] = (web_option){"", "Choose a point", NULL};
		for (size_t i = 0; i < n; i++)
			opts[i + 1] = (web_option){arena_printf(req->arena, "%d", c->points[i].seq),
						   arena_printf(req->arena, "%d. %.80s",
								c->points[i].seq,
								c->points[i].summary),
						   NULL};
		w.options = opts;
		w.n_options = n + 1;
		web_select(b, &w);
		return;
	}
	case PF_CLOCK:
		render_clock(req, b, &w, life);
		return;
	case PF_USER:
		render_user(req, b, &w, c);
		return;
	case PF_ROWS:
		render_rows(req, b, fd, &w, posted);
		return;
	}
}

/*
 * The <form> of f, posting to action: a form on its own page ends in its
 * button and a way back to the case; one among others in a smaller button.
 */
static void render_form(http_request *req, html_buf *b, const pf_form *f, int64_t item,
			const char *action, const fh_case *c, const json_t *life, const json_t *values,
			const web_errors *errors, bool posted)
{
	const char *pre = prefix(req, f, item);
	html_raw(b, "<form method=\"post\" novalidate action=\"");
	html_attr(b, action);
	html_raw(b, "\">");
	web_csrf_field(req, b);
	for (size_t i = 0; i < n_fields(f); i++)
		render_field(req, b, f, pre, &f->fields[i], c, life, values, errors, posted);
	if (f->place == ON_OWN_PAGE && c) {
		html_raw(b, "<div class=\"button-group\"><button type=\"submit\" class=\"button\">");
		html_text(b, f->title);
		html_raw(b, "</button><a href=\"");
		html_attr(b, arena_printf(req->arena, "/staff/cases/%s",
					  web_url_encode(req, c->reference)));
		html_raw(b, "\">Cancel</a></div></form>");
		return;
	}
	html_raw(b, "<button type=\"submit\" class=\"button button-secondary\">");
	html_text(b, f->title);
	html_raw(b, "</button></form>");
}

void staff_form_render(http_request *req, html_buf *b, const pf_form *f, int64_t item,
		       const char *action, const fh_case *c, const json_t *life,
		       const web_errors *errors, bool posted)
{
	render_form(req, b, f, item, action, c, life, NULL, errors, posted);
}

void staff_form_render_values(http_request *req, html_buf *b, const pf_form *f, int64_t item,
			      const char *action, const json_t *values,
			      const web_errors *errors, bool posted)
{
	render_form(req, b, f, item, action, NULL, NULL, values, errors, posted);
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
	staff_form_render(req, b, f, item, action, c, NULL, NULL, false);
	html_raw(b, "</details>");
}

/* The ?done= words of the case page's forms that are not declared here (uploads, Send again). */
static const char *const OTHER_DONE[][2] = {
	{"document", "Add a document"},
	{"redaction", "Make a redacted copy"},
	{"email_again", "The letter is queued to send by email again"},
};

void staff_form_done_notice(http_request *req, html_buf *b)
{
	const char *done = http_query(req, "done");
	const pf_form *f = staff_form_by_key(done);
	const char *title = f ? f->title : NULL;
	for (size_t i = 0; done && !title && i < sizeof OTHER_DONE / sizeof OTHER_DONE[0]; i++)
		if (strcmp(done, OTHER_DONE[i][0]) == 0)
			title = OTHER_DONE[i][1];
	if (!title)
		return;
	html_raw(b, "<div class=\"notice\" role=\"status\"><p><strong>Done: ");
	html_text(b, title);
	html_raw(b, ".</strong></p></div>");
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

bool staff_whole_number(const char *text, int64_t min, int64_t max, int64_t *out)
{
	if (!text || !*text || strspn(text, "0123456789") != strlen(text))
		return false;
	char *end;
	errno = 0;
	long long v = strtoll(text, &end, 10);
	if (errno || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

const char *staff_trimmed(http_request *req, const char *s)
{
	while (is_blank(*s))
		s++;
	size_t n = strlen(s);
	while (n && is_blank(s[n - 1]))
		n--;
	return arena_strndup(req->arena, s, n);
}

/* A field posted as a JSON list: the boxes ticked, the emails, or the rows filled in. */
static json_t *list_of(http_request *req, const pf_field *fd, const char *name,
		       const char *value)
{
	json_t *list = json_array();
	if (fd->kind == PF_CHOICES) {
		size_t n = 0;
		const char **all = web_form_all(req, name, &n);
		for (size_t k = 0; k < n; k++)
			json_array_append_new(list, json_string(all[k]));
	} else if (fd->kind == PF_EMAILS) {
		char *copy = arena_strdup(req->arena, value), *save = NULL;
		for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			const char *email = staff_trimmed(req, tok);
			if (*email)
				json_array_append_new(list, json_string(email));
		}
	} else { /* PF_ROWS: a row with every cell empty is left out */
		for (int n = 1; n <= 3; n++) {
			json_t *row = json_object();
			bool filled = false;
			for (size_t i = 0; fd->choices[i]; i++) {
				const char *cell = web_form(req, row_name(req, name, n, fd->choices[i]));
				cell = staff_trimmed(req, cell ? cell : "");
				filled |= *cell != '\0';
				json_object_set_new(row, fd->choices[i], json_string(cell));
			}
			if (filled)
				json_array_append_new(list, row);
			else
				json_decref(row);
		}
	}
	return list;
}

/*
 * The form as the API's JSON body: the fields filled in (a list always for
 * PF_ROWS, a boolean always for PF_TICK unless as text); errors for a
 * value that cannot be what its kind says.
 */
static json_t *body_of(http_request *req, const pf_form *f, const char *pre, web_errors *errors)
{
	json_t *body = json_object();
	for (size_t i = 0; i < n_fields(f); i++) {
		const pf_field *fd = &f->fields[i];
		const char *name = field_name(req, pre, fd);
		const char *value = web_form(req, name);
		value = staff_trimmed(req, value ? value : "");
		if (fd->kind == PF_ROWS) {
			json_object_set_new(body, fd->name, list_of(req, fd, name, value));
			continue;
		}
		if (fd->kind == PF_CHOICES) {
			json_t *list = list_of(req, fd, name, value);
			if (json_array_size(list))
				json_object_set_new(body, fd->name, list);
			else
				json_decref(list);
			continue;
		}
		if (fd->kind == PF_TICK && !f->as_text) {
			json_object_set_new(body, fd->name, json_boolean(strcmp(value, "true") == 0));
			continue;
		}
		if (!*value)
			continue;
		int64_t number;
		if (fd->kind == PF_EMAILS) {
			json_object_set_new(body, fd->name, list_of(req, fd, name, value));
		} else if (f->as_text) {
			json_object_set_new(body, fd->name, json_string(value));
		} else if (fd->kind == PF_YESNO) {
			json_object_set_new(body, fd->name, json_boolean(strcmp(value, "true") == 0));
		} else if (fd->kind == PF_INT || fd->kind == PF_PERSON) {
			if (!staff_whole_number(value, 0, INT64_MAX, &number))
				web_errors_add(errors, name, arena_printf(req->arena,
					       "%s must be a whole number", fd->label));
			else
				json_object_set_new(body, fd->name, json_integer(number));
		} else if (fd->kind == PF_PENCE) {
			if (!parse_pence(value, &number))
				web_errors_add(errors, name, arena_printf(req->arena,
					       "%s must be an amount in pounds, such as 150.00",
					       fd->label));
			else
				json_object_set_new(body, fd->name, json_integer(number));
		} else {
			json_object_set_new(body, fd->name, json_string(value));
		}
	}
	return body;
}

/*
 * The API's refusal ({"error": {"message", "field"}}, the message ending
 * in the rule's source) as the form's error, on its field when the form has
 * it: "is required" reads as a sentence about the field ("Reason is
 * required"); a field the form lacks is named in words.
 */
static void refusal(http_request *req, const pf_form *f, const char *pre, web_errors *errors)
{
	json_t *e = json_object_get(req->out, "error");
	const char *field = json_string_value(json_object_get(e, "field"));
	const char *message = json_string_value(json_object_get(e, "message"));
	const pf_field *on = NULL;
	for (size_t i = 0; field && i < n_fields(f); i++)
		if (strcmp(f->fields[i].name, field) == 0)
			on = &f->fields[i];
	if (!message)
		message = "this could not be recorded";
	if (on && strncmp(message, "is ", 3) == 0)
		message = arena_printf(req->arena, "%s %s", on->label, message);
	else if (!on && field && *field)
		message = arena_printf(req->arena, "%s: %s", staff_words(req, field), message);
	char *text = arena_strdup(req->arena, message);
	if (text[0] >= 'a' && text[0] <= 'z')
		text[0] = (char)(text[0] - 'a' + 'A');
	web_errors_add(errors, field_name(req, pre, on ? on : &f->fields[0]), text);
}

/*
 * The form's own page: a lifecycle action's (with what its page shows
 * first), or any form's after a refusal, with the summary and the fields as
 * typed.
 */
static void form_page(http_request *req, const pf_form *f, int64_t item, const fh_case *c,
		      const json_t *life, const char *caption, const char *back, int status,
		      const web_errors *errors)
{
	html_buf b = HTML_BUF_INIT;
	const char *title = f->place == ON_OWN_PAGE
		? arena_printf(req->arena, "%s%s: %s", errors->n ? "Error: " : "", f->title,
			       c->reference)
		: arena_printf(req->arena, "Error: %s", f->title);
	staff_page_begin(req, &b, title, NULL);
	html_raw(&b, "<a class=\"back-link\" href=\"");
	html_attr(&b, back);
	html_raw(&b, f->place == ON_PERSON_PAGE ? "\">Back to the person</a>" : "\">Back to the case</a>");
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
	if (f->preface && c)
		f->preface(req, &b, c);
	staff_form_render(req, &b, f, item, req->path, c, life, errors,
			  strcmp(req->method, "POST") == 0);
	web_page_end(req, &b);
	web_html(req, status, &b);
}

static const pf_org_page *org_page_of(const pf_form *f)
{
	for (const pf_org_page *p = STAFF_ORG_PAGES; p->key; p++)
		if (!strcmp(p->key, f->key))
			return p;
	abort(); /* an ON_ORG_PAGE form without its page is a bug */
}

static int64_t path_item(const http_request *req, const pf_form *f)
{
	return f->item ? req->ids[f->place == ON_ORG_PAGE ? 2 : 1] : 0;
}

/*
 * The case of a form on the case page or its own, and for one on its own
 * page the lifecycle (its clocks) as the user may see it, the read written
 * to the access log as the case page's is; false after answering the failure.
 */
static bool read_case(http_request *req, const pf_form *f, fh_case *c, json_t **life)
{
	fh_error err = {0};
	*life = NULL;
	if (store_case_get(req->st, req->params[0], req->arena, c, &err)) {
		http_fail(req, &err);
		return false;
	}
	if (f->place != ON_OWN_PAGE)
		return true;
	fh_actor actor;
	authz_actor(req, req->case_org_id, &actor);
	if (store_case_lifecycle(req->st, req->params[0], &actor, req->today,
				 !authz_may_see_confidential(req), life, &err)) {
		http_fail(req, &err);
		return false;
	}
	if (!server_log_read(req, req->case_id, "case", "staff page")) {
		json_decref(*life);
		*life = NULL;
		return false;
	}
	return true;
}

/* The form's page for its place, answered with status (and errors). */
static void answer_page(http_request *req, const pf_form *f, int64_t item, int status,
			const web_errors *errors)
{
	fh_case c = {0};
	json_t *life = NULL;
	fh_error err = {0};
	const char *back, *caption;
	if (f->place == ON_ORG_PAGE) {
		org_page_of(f)->page(req, status, errors);
		return;
	}
	if (f->place != ON_PERSON_PAGE) {
		if (!read_case(req, f, &c, &life))
			return;
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
	form_page(req, f, item, f->place == ON_PERSON_PAGE ? NULL : &c, life, caption, back,
		  status, errors);
	json_decref(life);
}

void staff_form_page(http_request *req, const char *key)
{
	const pf_form *f = staff_form_named(key);
	web_errors errors = {0};
	answer_page(req, f, path_item(req, f), 200, &errors);
}

/*
 * Runs the API's handler for form key with the form as its body; answers
 * with a redirect back to the form's page with ?done=key, or the form's
 * page with the refusal.
 */
void staff_form_post(http_request *req, const char *key)
{
	const pf_form *f = staff_form_named(key);
	int64_t item = path_item(req, f);
	const char *pre = prefix(req, f, item);
	web_errors errors = {0};
	json_t *body = body_of(req, f, pre, &errors);
	fh_error err = {0};
	int status = 422;
	if (!errors.n) {
		json_decref(req->json);
		req->json = body; /* the server frees it with the request */
		body = NULL;
		f->api(req);
		status = req->status;
		if (status >= 200 && status < 400) {
			const char *to;
			if (f->place == ON_ORG_PAGE) {
				to = arena_printf(req->arena, "%s?done=%s#%s", org_page_of(f)->path(req),
						  f->key, pre ? pre : f->key);
			} else if (f->place != ON_PERSON_PAGE) {
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
	answer_page(req, f, item, status, &errors);
}
