/*
 * web_form.c: the form controls, in the GOV.UK Design System's patterns
 * (a label or legend, an optional hint, the error message above the
 * control, aria-describedby naming both), in our own styling.
 *
 * Every control's first element has id = the field's name, so the error
 * summary can link to "#name" whatever the control is.  Every value is
 * written through html_attr / html_text.
 */
#include "web.h"

#include <stdio.h>
#include <string.h>

static void described_by(html_buf *b, const web_field *f)
{
	if (!f->hint && !f->error)
		return;
	html_raw(b, " aria-describedby=\"");
	if (f->hint) {
		html_attr(b, f->name);
		html_raw(b, "-hint");
	}
	if (f->error) {
		html_raw(b, f->hint ? " " : "");
		html_attr(b, f->name);
		html_raw(b, "-error");
	}
	html_raw(b, "\"");
}

static void hint_and_error(html_buf *b, const web_field *f)
{
	if (f->hint) {
		html_raw(b, "<div class=\"hint\" id=\"");
		html_attr(b, f->name);
		html_raw(b, "-hint\">");
		html_text(b, f->hint);
		html_raw(b, "</div>");
	}
	if (f->error) {
		html_raw(b, "<p class=\"error-message\" id=\"");
		html_attr(b, f->name);
		html_raw(b, "-error\"><span class=\"visually-hidden\">Error:</span> ");
		html_text(b, f->error);
		html_raw(b, "</p>");
	}
}

static void group_begin(html_buf *b, const web_field *f)
{
	html_raw(b, f->error ? "<div class=\"form-group form-group-error\">" : "<div class=\"form-group\">");
}

static void label(html_buf *b, const web_field *f)
{
	if (f->label_is_heading)
		html_raw(b, "<h1 class=\"label-wrapper\">");
	html_raw(b, f->label_is_heading ? "<label class=\"label label-l\" for=\"" : "<label class=\"label\" for=\"");
	html_attr(b, f->name);
	html_raw(b, "\">");
	html_text(b, f->label);
	if (f->optional)
		html_raw(b, " (optional)");
	html_raw(b, "</label>");
	if (f->label_is_heading)
		html_raw(b, "</h1>");
}

static void legend(html_buf *b, const web_field *f)
{
	html_raw(b, "<fieldset class=\"fieldset\"");
	described_by(b, f);
	html_raw(b, f->label_is_heading ? "><legend class=\"legend legend-l\"><h1>" : "><legend class=\"legend\">");
	html_text(b, f->label);
	if (f->optional)
		html_raw(b, " (optional)");
	html_raw(b, f->label_is_heading ? "</h1></legend>" : "</legend>");
}

/*
 * The start every labelled control shares: its group, label, hint and
 * error, then <tag class="cls[ extra][ input-error]" id="NAME" name="NAME"
 * (not closed: the caller adds its own attributes).
 */
static void control_begin(html_buf *b, const web_field *f, const char *tag, const char *cls,
			  const char *extra)
{
	group_begin(b, f);
	label(b, f);
	hint_and_error(b, f);
	html_raw(b, "<");
	html_raw(b, tag);
	html_raw(b, " class=\"");
	html_raw(b, cls);
	if (extra) {
		html_raw(b, " ");
		html_attr(b, extra);
	}
	if (f->error)
		html_raw(b, " input-error");
	html_raw(b, "\" id=\"");
	html_attr(b, f->name);
	html_raw(b, "\" name=\"");
	html_attr(b, f->name);
	html_raw(b, "\"");
}

/* name="value", when there is a value. */
static void attr_if(html_buf *b, const char *name, const char *value)
{
	if (!value)
		return;
	html_raw(b, " ");
	html_raw(b, name);
	html_raw(b, "=\"");
	html_attr(b, value);
	html_raw(b, "\"");
}

void web_input(html_buf *b, const web_field *f)
{
	control_begin(b, f, "input", "input", f->width_class);
	html_raw(b, " type=\"");
	html_attr(b, f->type ? f->type : "text");
	html_raw(b, "\" value=\"");
	html_attr(b, f->value ? f->value : "");
	html_raw(b, "\"");
	attr_if(b, "autocomplete", f->autocomplete);
	attr_if(b, "inputmode", f->inputmode);
	if (f->maxlength > 0)
		html_rawf(b, " maxlength=\"%d\"", f->maxlength);
	if (f->type && (strcmp(f->type, "email") == 0 || strcmp(f->type, "tel") == 0))
		html_raw(b, " spellcheck=\"false\"");
	described_by(b, f);
	html_raw(b, "></div>\n");
}

void web_textarea(html_buf *b, const web_field *f)
{
	control_begin(b, f, "textarea", "textarea", NULL);
	html_rawf(b, " rows=\"%d\"", f->rows > 0 ? f->rows : 5);
	if (f->maxlength > 0)
		html_rawf(b, " maxlength=\"%d\"", f->maxlength);
	described_by(b, f);
	html_raw(b, ">");
	html_text(b, f->value ? f->value : "");
	html_raw(b, "</textarea></div>\n");
}

static bool is_checked(const web_field *f, const char *value)
{
	if (f->checked) {
		for (size_t i = 0; i < f->n_checked; i++)
			if (f->checked[i] && strcmp(f->checked[i], value) == 0)
				return true;
		return false;
	}
	return f->value && strcmp(f->value, value) == 0;
}

/* Radios and checkboxes share their markup; only the input type differs. */
static void choices(html_buf *b, const web_field *f, const char *type)
{
	group_begin(b, f);
	legend(b, f);
	hint_and_error(b, f);
	html_raw(b, "<div class=\"choices\">");
	for (size_t i = 0; i < f->n_options; i++) {
		const web_option *o = &f->options[i];
		char id[160];
		if (i == 0)
			snprintf(id, sizeof id, "%s", f->name);
		else
			snprintf(id, sizeof id, "%s-%zu", f->name, i + 1);
		html_raw(b, "<div class=\"choice\"><input class=\"choice-input\" id=\"");
		html_attr(b, id);
		html_raw(b, "\" name=\"");
		html_attr(b, f->name);
		html_raw(b, "\" type=\"");
		html_raw(b, type);
		html_raw(b, "\" value=\"");
		html_attr(b, o->value);
		html_raw(b, "\"");
		if (is_checked(f, o->value))
			html_raw(b, " checked");
		if (o->hint) {
			html_raw(b, " aria-describedby=\"");
			html_attr(b, id);
			html_raw(b, "-hint\"");
		}
		html_raw(b, "><label class=\"choice-label\" for=\"");
		html_attr(b, id);
		html_raw(b, "\">");
		html_text(b, o->label);
		html_raw(b, "</label>");
		if (o->hint) {
			html_raw(b, "<div class=\"hint choice-hint\" id=\"");
			html_attr(b, id);
			html_raw(b, "-hint\">");
			html_text(b, o->hint);
			html_raw(b, "</div>");
		}
		html_raw(b, "</div>");
	}
	html_raw(b, "</div></fieldset></div>\n");
}

void web_radios(html_buf *b, const web_field *f)
{
	choices(b, f, "radio");
}

void web_checkboxes(html_buf *b, const web_field *f)
{
	choices(b, f, "checkbox");
}

void web_select(html_buf *b, const web_field *f)
{
	control_begin(b, f, "select", "select", NULL);
	described_by(b, f);
	html_raw(b, ">");
	for (size_t i = 0; i < f->n_options; i++) {
		html_raw(b, "<option value=\"");
		html_attr(b, f->options[i].value);
		html_raw(b, is_checked(f, f->options[i].value) ? "\" selected>" : "\">");
		html_text(b, f->options[i].label);
		html_raw(b, "</option>");
	}
	html_raw(b, "</select></div>\n");
}

void web_date(html_buf *b, const web_field *f)
{
	group_begin(b, f);
	legend(b, f);
	hint_and_error(b, f);
	html_raw(b, "<div class=\"date-input\">");
	static const struct {
		const char *part, *label, *width, *autocomplete;
	} parts[] = {{"day", "Day", "w-2", "bday-day"}, {"month", "Month", "w-2", "bday-month"},
		     {"year", "Year", "w-4", "bday-year"}};
	const char *values[] = {f->day, f->month, f->year};
	for (size_t i = 0; i < 3; i++) {
		html_raw(b, "<div class=\"date-item\"><label class=\"label\" for=\"");
		html_attr(b, f->name);
		if (i > 0) {
			html_raw(b, "-");
			html_raw(b, parts[i].part);
		}
		html_raw(b, "\">");
		html_raw(b, parts[i].label);
		html_raw(b, "</label><input class=\"input ");
		html_raw(b, parts[i].width);
		if (f->error)
			html_raw(b, " input-error");
		html_raw(b, "\" id=\"");
		html_attr(b, f->name);
		if (i > 0) {
			html_raw(b, "-");
			html_raw(b, parts[i].part);
		}
		html_raw(b, "\" name=\"");
		html_attr(b, f->name);
		html_raw(b, "-");
		html_raw(b, parts[i].part);
		html_raw(b, "\" type=\"text\" inputmode=\"numeric\" value=\"");
		html_attr(b, values[i] ? values[i] : "");
		html_raw(b, "\"");
		if (f->autocomplete) {
			html_raw(b, " autocomplete=\"");
			html_raw(b, parts[i].autocomplete);
			html_raw(b, "\"");
		}
		html_raw(b, "></div>");
	}
	html_raw(b, "</div></fieldset></div>\n");
}

void web_file_input(html_buf *b, const web_field *f)
{
	control_begin(b, f, "input", "file-upload", NULL);
	html_raw(b, " type=\"file\"");
	attr_if(b, "accept", f->accept);
	described_by(b, f);
	html_raw(b, "></div>\n");
}

/* ---- errors ------------------------------------------------------------------ */

void web_errors_add(web_errors *e, const char *field, const char *message)
{
	if (e->n < sizeof e->items / sizeof e->items[0]) {
		e->items[e->n].field = field;
		e->items[e->n].message = message;
		e->n++;
	}
}

const char *web_errors_for(const web_errors *e, const char *field)
{
	for (size_t i = 0; e && i < e->n; i++)
		if (strcmp(e->items[i].field, field) == 0)
			return e->items[i].message;
	return NULL;
}

void web_error_summary(html_buf *b, const web_errors *e)
{
	if (!e || !e->n)
		return;
	/* role=alert is announced when the page loads; the summary takes focus
	 * only with script, so the heading comes first in reading order. */
	html_raw(b, "<div class=\"error-summary\" role=\"alert\" aria-labelledby=\"error-summary-title\" "
		    "tabindex=\"-1\"><h2 class=\"error-summary-title\" id=\"error-summary-title\">"
		    "There is a problem</h2><ul class=\"error-summary-list\">");
	for (size_t i = 0; i < e->n; i++) {
		html_raw(b, "<li><a href=\"#");
		html_attr(b, e->items[i].field);
		html_raw(b, "\">");
		html_text(b, e->items[i].message);
		html_raw(b, "</a></li>");
	}
	html_raw(b, "</ul></div>\n");
}

/* ---- check your answers -------------------------------------------------------- */

void web_summary_begin(html_buf *b)
{
	html_raw(b, "<dl class=\"summary\">");
}

void web_summary_end(html_buf *b)
{
	html_raw(b, "</dl>\n");
}

void web_summary_row(html_buf *b, const char *key, const char *value, const char *change_href,
		     const char *change_what)
{
	html_raw(b, "<div class=\"summary-row\"><dt class=\"summary-key\">");
	html_text(b, key);
	html_raw(b, "</dt><dd class=\"summary-value\">");
	if (value && *value)
		html_text(b, value);
	else
		html_raw(b, "<span class=\"muted\">Not given</span>");
	html_raw(b, "</dd>");
	if (change_href) {
		html_raw(b, "<dd class=\"summary-actions\"><a href=\"");
		html_attr(b, change_href);
		html_raw(b, "\">Change<span class=\"visually-hidden\"> ");
		html_text(b, change_what ? change_what : key);
		html_raw(b, "</span></a></dd>");
	}
	html_raw(b, "</div>");
}
