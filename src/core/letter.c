/*
 * letter: the template language, the layout model and its HTML (letter.h).
 *
 * Expansion walks the template's lines with a stack of scopes (the values,
 * then each list element an {{#each}} enters).  Directive lines ({{#each}},
 * {{#if}}, {{else}}, {{/if}} ...) stand alone on their line and do not end
 * a paragraph, so a sentence can be added to one conditionally.
 */
#include "letter.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

enum { MAX_DEPTH = 8, MAX_LINES = 2000 };

typedef struct scope {
	const json_t *value;
	size_t index; /* 1-based position in the list ({{@index}}); 0 outside a loop */
} scope;

typedef struct expander {
	const char *name;
	char **lines;
	size_t n_lines;
	scope scopes[MAX_DEPTH];
	size_t depth;
	json_t *blocks;
	json_t *current; /* the paragraph being built, or NULL */
	char *subject;
	fh_error *err;
} expander;

/* ---- values --------------------------------------------------------------- */

static const json_t *lookup(const expander *x, const char *path)
{
	if (!strcmp(path, "."))
		return x->depth ? x->scopes[x->depth - 1].value : NULL;
	char head[128];
	size_t n = strcspn(path, ".");
	if (n >= sizeof head)
		return NULL;
	memcpy(head, path, n);
	head[n] = '\0';
	const json_t *v = NULL;
	for (size_t i = x->depth; i-- > 0 && !v;)
		v = json_is_object(x->scopes[i].value) ? json_object_get(x->scopes[i].value, head) : NULL;
	for (const char *p = path + n; v && *p == '.';) {
		p++;
		size_t m = strcspn(p, ".");
		if (m >= sizeof head)
			return NULL;
		memcpy(head, p, m);
		head[m] = '\0';
		v = json_is_object(v) ? json_object_get(v, head) : NULL;
		p += m;
	}
	return v;
}

static bool truthy(const json_t *v)
{
	if (!v || json_is_null(v) || json_is_false(v))
		return false;
	if (json_is_string(v))
		return json_string_length(v) > 0;
	if (json_is_array(v))
		return json_array_size(v) > 0;
	if (json_is_object(v))
		return json_object_size(v) > 0;
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	return true;
}

static const char *const MONTHS[] = {"January", "February", "March", "April", "May", "June", "July",
				     "August", "September", "October", "November", "December"};
static const char *const DAYS[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
				   "Saturday", "Sunday"};

const char *letter_long_date(const char *iso, char *buf, size_t size)
{
	fh_date d;
	if (!iso || !date_parse(iso, &d)) {
		snprintf(buf, size, "%s", iso ? iso : "");
		return buf;
	}
	int y, m, day;
	date_to_ymd(d, &y, &m, &day);
	snprintf(buf, size, "%s %d %s %d", DAYS[date_weekday(d)], day, MONTHS[m - 1], y);
	return buf;
}

static fh_status line_error(expander *x, size_t line, fh_status status, const char *field,
			    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static fh_status line_error(expander *x, size_t line, fh_status status, const char *field,
			    const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return error_set(x->err, status, field, NULL, "%s (%s line %zu)", msg, x->name, line + 1);
}

/* ---- blocks and runs ------------------------------------------------------ */

static void add_run(json_t *runs, const char *text, size_t len, bool bold)
{
	if (!len)
		return;
	size_t n = json_array_size(runs);
	json_t *last = n ? json_array_get(runs, n - 1) : NULL;
	if (last && json_is_true(json_object_get(last, "bold")) == bold) {
		const char *old = json_string_value(json_object_get(last, "text"));
		size_t olen = strlen(old);
		char *joined = malloc(olen + len + 1);
		if (!joined)
			abort();
		memcpy(joined, old, olen);
		memcpy(joined + olen, text, len);
		joined[olen + len] = '\0';
		json_object_set_new(last, "text", json_string(joined));
		free(joined);
		return;
	}
	json_array_append_new(runs, json_pack("{s:s%,s:b}", "text", text, len, "bold", bold));
}

/*
 * Appends the inline content of text (one template line, without its block
 * marker) to runs: literal text and values, bold between "**" pairs.
 */
static fh_status inline_runs(expander *x, size_t line, const char *text, json_t *runs)
{
	bool bold = false;
	const char *p = text;
	while (*p) {
		const char *open = strstr(p, "{{");
		const char *star = strstr(p, "**");
		const char *next = open && (!star || open < star) ? open : star;
		if (!next) {
			add_run(runs, p, strlen(p), bold);
			break;
		}
		add_run(runs, p, (size_t)(next - p), bold);
		if (next == star) {
			bold = !bold;
			p = star + 2;
			continue;
		}
		const char *close = strstr(open + 2, "}}");
		if (!close)
			return line_error(x, line, FH_EINVAL, "template", "'{{' is not closed");
		char expr[200];
		size_t n = (size_t)(close - open - 2);
		if (n >= sizeof expr)
			return line_error(x, line, FH_EINVAL, "template", "a value's name is too long");
		memcpy(expr, open + 2, n);
		expr[n] = '\0';
		char *path = expr, *filter = strchr(expr, '|');
		if (filter) {
			*filter++ = '\0';
			while (*filter == ' ')
				filter++;
			for (char *e = filter + strlen(filter); e > filter && e[-1] == ' ';)
				*--e = '\0';
		}
		while (*path == ' ')
			path++;
		for (char *e = path + strlen(path); e > path && e[-1] == ' ';)
			*--e = '\0';
		if (!*path || path[0] == '#' || path[0] == '/')
			return line_error(x, line, FH_EINVAL, "template",
					  "'{{%s}}' must stand alone on its line", path);
		if (filter && strcmp(filter, "date") != 0)
			return line_error(x, line, FH_EINVAL, "template",
					  "unknown filter '%s' (the only one is date)", filter);
		char buf[64];
		const char *out;
		if (!strcmp(path, "@index") && x->depth && x->scopes[x->depth - 1].index) {
			snprintf(buf, sizeof buf, "%zu", x->scopes[x->depth - 1].index);
			out = buf;
		} else {
			const json_t *v = lookup(x, path);
			if (!v || json_is_null(v))
				return line_error(x, line, FH_ERULE, path,
						  "the letter needs %s, which is missing", path);
			if (json_is_string(v))
				out = json_string_value(v);
			else if (json_is_integer(v))
				snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v)), out = buf;
			else if (json_is_boolean(v))
				out = json_is_true(v) ? "yes" : "no";
			else
				return line_error(x, line, FH_EINVAL, "template",
						  "%s is a list or a record, not text: use {{#each}}", path);
		}
		char date[64];
		if (filter)
			out = letter_long_date(out, date, sizeof date);
		add_run(runs, out, strlen(out), bold);
		p = close + 2;
	}
	return FH_OK;
}

static json_t *new_block(expander *x, const char *type)
{
	json_t *b = json_pack("{s:s, s:[]}", "type", type, "runs");
	json_array_append_new(x->blocks, b);
	return b;
}

/* ---- directives ------------------------------------------------------------- */

typedef enum { D_NONE, D_EACH, D_IF, D_UNLESS, D_ELSE, D_END_EACH, D_END_IF, D_END_UNLESS,
	       D_COMMENT } directive;

/* The directive on a line that holds only "{{...}}", with its argument. */
static directive directive_of(const char *line, char *arg, size_t size)
{
	while (*line == ' ' || *line == '\t')
		line++;
	size_t len = strlen(line);
	while (len && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r'))
		len--;
	if (len < 4 || strncmp(line, "{{", 2) || strncmp(line + len - 2, "}}", 2))
		return D_NONE;
	if (line[2] == '!')
		return D_COMMENT;
	if (memchr(line + 2, '}', len - 4) || memchr(line + 2, '{', len - 4))
		return D_NONE;
	char inner[200];
	size_t n = len - 4;
	if (n >= sizeof inner)
		return D_NONE;
	memcpy(inner, line + 2, n);
	inner[n] = '\0';
	char *w = inner;
	while (*w == ' ')
		w++;
	static const struct { const char *word; directive d; } words[] = {
		{"#each ", D_EACH}, {"#if ", D_IF}, {"#unless ", D_UNLESS}, {"else", D_ELSE},
		{"/each", D_END_EACH}, {"/if", D_END_IF}, {"/unless", D_END_UNLESS},
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		size_t wl = strlen(words[i].word);
		if (strncmp(w, words[i].word, wl) == 0) {
			char *a = w + wl;
			while (*a == ' ')
				a++;
			for (char *e = a + strlen(a); e > a && e[-1] == ' ';)
				*--e = '\0';
			snprintf(arg, size, "%s", a);
			if ((words[i].d == D_EACH || words[i].d == D_IF || words[i].d == D_UNLESS) && !*a)
				return D_NONE;
			if ((words[i].d != D_EACH && words[i].d != D_IF && words[i].d != D_UNLESS) && *a)
				return D_NONE;
			return words[i].d;
		}
	}
	return D_NONE;
}

/*
 * The line that closes the block opened at `from` (its matching end), and the
 * {{else}} at the same depth (or 0).  False when it is not closed before `to`.
 */
static bool find_end(expander *x, size_t from, size_t to, directive end, size_t *else_at,
		     size_t *end_at)
{
	int depth = 0;
	char arg[200];
	*else_at = 0;
	for (size_t i = from + 1; i < to; i++) {
		directive d = directive_of(x->lines[i], arg, sizeof arg);
		if (d == D_EACH || d == D_IF || d == D_UNLESS)
			depth++;
		else if ((d == D_END_EACH || d == D_END_IF || d == D_END_UNLESS) && depth > 0)
			depth--;
		else if (d == D_ELSE && depth == 0 && end != D_END_EACH && !*else_at)
			*else_at = i;
		else if (d == end && depth == 0) {
			*end_at = i;
			return true;
		}
	}
	return false;
}

static fh_status expand_range(expander *x, size_t from, size_t to);

static fh_status content_line(expander *x, size_t i)
{
	const char *line = x->lines[i];
	size_t len = strlen(line);
	while (len && (line[len - 1] == ' ' || line[len - 1] == '\r'))
		len--;
	if (len == 0) {
		x->current = NULL;
		return FH_OK;
	}
	char *text = malloc(len + 1);
	if (!text)
		abort();
	memcpy(text, line, len);
	text[len] = '\0';
	fh_status s = FH_OK;
	if (!strncmp(text, "# ", 2)) {
		json_t *runs = json_array();
		s = inline_runs(x, i, text + 2, runs);
		if (!s && x->subject)
			s = line_error(x, i, FH_EINVAL, "template", "a letter has one subject ('# ' line)");
		if (!s) {
			html_buf b = HTML_BUF_INIT;
			size_t k;
			json_t *r;
			json_array_foreach(runs, k, r)
				html_raw(&b, json_string_value(json_object_get(r, "text")));
			x->subject = strdup(html_buf_str(&b));
			html_buf_free(&b);
		}
		json_decref(runs);
		x->current = NULL;
	} else if (!strncmp(text, "## ", 3) || !strncmp(text, "- ", 2)) {
		bool heading = text[0] == '#';
		json_t *b = new_block(x, heading ? "heading" : "item");
		s = inline_runs(x, i, text + (heading ? 3 : 2), json_object_get(b, "runs"));
		x->current = NULL;
	} else if (text[0] == '|') {
		char *bar = strchr(text + 1, '|');
		if (!bar) {
			s = line_error(x, i, FH_EINVAL, "template", "a fact is '| Label | text'");
		} else {
			*bar = '\0';
			json_t *b = new_block(x, "fact");
			json_t *label = json_array();
			json_object_set_new(b, "label", label);
			char *l = text + 1;
			while (*l == ' ')
				l++;
			for (char *e = l + strlen(l); e > l && e[-1] == ' ';)
				*--e = '\0';
			char *v = bar + 1;
			while (*v == ' ')
				v++;
			s = inline_runs(x, i, l, label);
			if (!s)
				s = inline_runs(x, i, v, json_object_get(b, "runs"));
		}
		x->current = NULL;
	} else {
		if (!x->current)
			x->current = new_block(x, "para");
		json_t *runs = json_object_get(x->current, "runs");
		if (json_array_size(runs))
			add_run(runs, " ", 1,
				json_is_true(json_object_get(json_array_get(runs, json_array_size(runs) - 1),
							     "bold")));
		s = inline_runs(x, i, text, runs);
	}
	free(text);
	return s;
}

static fh_status expand_range(expander *x, size_t from, size_t to)
{
	char arg[200];
	for (size_t i = from; i < to; i++) {
		directive d = directive_of(x->lines[i], arg, sizeof arg);
		if (d == D_NONE) {
			fh_status s = content_line(x, i);
			if (s)
				return s;
			continue;
		}
		if (d == D_COMMENT)
			continue;
		if (d == D_ELSE || d == D_END_EACH || d == D_END_IF || d == D_END_UNLESS)
			return line_error(x, i, FH_EINVAL, "template", "this line closes nothing");
		directive end = d == D_EACH ? D_END_EACH : d == D_IF ? D_END_IF : D_END_UNLESS;
		size_t else_at, end_at;
		if (!find_end(x, i, to, end, &else_at, &end_at))
			return line_error(x, i, FH_EINVAL, "template", "'%s' is never closed",
					  d == D_EACH ? "#each" : d == D_IF ? "#if" : "#unless");
		const json_t *v = lookup(x, arg);
		fh_status s = FH_OK;
		if (d == D_EACH) {
			if (v && !json_is_null(v) && !json_is_array(v))
				return line_error(x, i, FH_EINVAL, "template", "%s is not a list", arg);
			if (x->depth == MAX_DEPTH)
				return line_error(x, i, FH_EINVAL, "template", "lists nest too deeply");
			size_t k;
			json_t *item;
			json_array_foreach(v, k, item) {
				x->scopes[x->depth++] = (scope){item, k + 1};
				s = expand_range(x, i + 1, end_at);
				x->depth--;
				if (s)
					return s;
			}
		} else {
			bool yes = truthy(v) == (d == D_IF);
			if (yes)
				s = expand_range(x, i + 1, else_at ? else_at : end_at);
			else if (else_at)
				s = expand_range(x, else_at + 1, end_at);
			if (s)
				return s;
		}
		i = end_at;
	}
	return FH_OK;
}

fh_status letter_expand(const char *name, const char *template_text, const json_t *values,
			json_t **blocks, char **subject, fh_error *err)
{
	*blocks = NULL;
	*subject = NULL;
	char *copy = strdup(template_text ? template_text : "");
	if (!copy)
		abort();
	size_t n = 1;
	for (const char *p = copy; *p; p++)
		n += *p == '\n';
	if (n > MAX_LINES) {
		free(copy);
		return error_set(err, FH_EINVAL, "template", NULL, "%s has more than %d lines", name,
				 MAX_LINES);
	}
	char **lines = calloc(n, sizeof *lines);
	if (!lines)
		abort();
	size_t count = 0;
	for (char *p = copy; p;) {
		lines[count++] = p;
		p = strchr(p, '\n');
		if (p)
			*p++ = '\0';
	}
	expander x = {.name = name, .lines = lines, .n_lines = count, .blocks = json_array(),
		      .err = err};
	x.scopes[x.depth++] = (scope){values, 0};
	fh_status s = expand_range(&x, 0, count);
	if (!s && !x.subject)
		s = error_set(err, FH_EINVAL, "template", NULL,
			      "%s has no subject: its first block is a '# ' line", name);
	if (s) {
		json_decref(x.blocks);
		free(x.subject);
	} else {
		*blocks = x.blocks;
		*subject = x.subject;
	}
	free(lines);
	free(copy);
	return s;
}

/* ---- HTML --------------------------------------------------------------------- */

static void html_runs(html_buf *b, const json_t *runs)
{
	size_t i;
	json_t *r;
	json_array_foreach(runs, i, r) {
		bool bold = json_is_true(json_object_get(r, "bold"));
		if (bold)
			html_raw(b, "<strong>");
		html_text(b, json_string_value(json_object_get(r, "text")));
		if (bold)
			html_raw(b, "</strong>");
	}
}

static const char *field(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s ? s : "";
}

/* The same look as the PDF: A4, 20 mm margins, the letterhead on top. */
static const char STYLE[] =
	"@page{size:A4;margin:20mm}"
	"body{font-family:'DejaVu Sans',Arial,sans-serif;font-size:11pt;line-height:1.45;"
	"color:#0b0c0c;max-width:170mm;margin:2em auto;padding:0 1em}"
	".letterhead{border-bottom:1px solid #505a5f;padding-bottom:.6em;margin-bottom:1.5em}"
	".letterhead .org{font-size:15pt;font-weight:bold;margin:0}"
	".letterhead p{margin:0;color:#383f43;font-size:9.5pt}"
	".recipient{font-style:normal;margin-bottom:1em}"
	".meta{margin:0 0 1.2em}"
	"h1{font-size:13pt;margin:1em 0 .8em}h2{font-size:11.5pt;margin:1.2em 0 .4em}"
	"table.facts{border-collapse:collapse;margin:.4em 0 1em}"
	"table.facts th{text-align:left;padding:.15em 1.2em .15em 0;vertical-align:top}"
	"table.facts td{padding:.15em 0;vertical-align:top}"
	".signature{margin-top:2em}"
	"@media print{body{margin:0;max-width:none;padding:0}}";

void letter_html(const json_t *doc, html_buf *out)
{
	html_raw(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	html_text(out, field(doc, "subject"));
	html_raw(out, "</title>\n<style>");
	html_raw(out, STYLE);
	html_raw(out, "</style>\n</head>\n<body>\n");
	letter_html_article(doc, out);
	html_raw(out, "</body>\n</html>\n");
}

void letter_html_article(const json_t *doc, html_buf *out)
{
	const json_t *head = json_object_get(doc, "letterhead");
	html_raw(out, "<article class=\"letter\">\n<header class=\"letterhead\">\n<p class=\"org\">");
	html_text(out, field(head, "name"));
	html_raw(out, "</p>\n");
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(head, "lines"), i, v) {
		html_raw(out, "<p>");
		html_text(out, json_string_value(v));
		html_raw(out, "</p>\n");
	}
	html_raw(out, "</header>\n<address class=\"recipient\">\n");
	json_array_foreach(json_object_get(doc, "recipient"), i, v) {
		html_text(out, json_string_value(v));
		html_raw(out, "<br>\n");
	}
	html_raw(out, "</address>\n<p class=\"meta\">Date: ");
	html_text(out, field(doc, "date"));
	html_raw(out, "<br>\nOur reference: ");
	html_text(out, field(doc, "reference"));
	html_raw(out, "</p>\n<h1>");
	html_text(out, field(doc, "subject"));
	html_raw(out, "</h1>\n");
	const char *open = NULL; /* "ul" or "table" while a list or a table of facts runs */
	json_array_foreach(json_object_get(doc, "blocks"), i, v) {
		const char *type = field(v, "type");
		const char *want = !strcmp(type, "item") ? "ul" : !strcmp(type, "fact") ? "table" : NULL;
		if (open && (!want || strcmp(open, want))) {
			html_raw(out, !strcmp(open, "ul") ? "</ul>\n" : "</table>\n");
			open = NULL;
		}
		if (want && !open) {
			html_raw(out, !strcmp(want, "ul") ? "<ul>\n" : "<table class=\"facts\">\n");
			open = want;
		}
		if (!strcmp(type, "heading")) {
			html_raw(out, "<h2>");
			html_runs(out, json_object_get(v, "runs"));
			html_raw(out, "</h2>\n");
		} else if (!strcmp(type, "item")) {
			html_raw(out, "<li>");
			html_runs(out, json_object_get(v, "runs"));
			html_raw(out, "</li>\n");
		} else if (!strcmp(type, "fact")) {
			html_raw(out, "<tr><th scope=\"row\">");
			html_runs(out, json_object_get(v, "label"));
			html_raw(out, "</th><td>");
			html_runs(out, json_object_get(v, "runs"));
			html_raw(out, "</td></tr>\n");
		} else {
			html_raw(out, "<p>");
			html_runs(out, json_object_get(v, "runs"));
			html_raw(out, "</p>\n");
		}
	}
	if (open)
		html_raw(out, !strcmp(open, "ul") ? "</ul>\n" : "</table>\n");
	html_raw(out, "<p class=\"signature\">");
	json_array_foreach(json_object_get(doc, "signature"), i, v) {
		if (i)
			html_raw(out, "<br>\n");
		html_text(out, json_string_value(v));
	}
	html_raw(out, "</p>\n</article>\n");
}

static void text_runs(html_buf *b, const json_t *runs)
{
	size_t i;
	json_t *r;
	json_array_foreach(runs, i, r)
		html_raw(b, json_string_value(json_object_get(r, "text")));
}

void letter_plain_text(const json_t *doc, html_buf *out)
{
	size_t i;
	json_t *v;
	html_raw(out, field(json_object_get(doc, "letterhead"), "name"));
	html_raw(out, "\n");
	json_array_foreach(json_object_get(json_object_get(doc, "letterhead"), "lines"), i, v) {
		html_raw(out, json_string_value(v));
		html_raw(out, "\n");
	}
	json_array_foreach(json_object_get(doc, "recipient"), i, v) {
		html_raw(out, json_string_value(v));
		html_raw(out, "\n");
	}
	html_raw(out, field(doc, "date"));
	html_raw(out, "\n");
	html_raw(out, field(doc, "reference"));
	html_raw(out, "\n");
	html_raw(out, field(doc, "subject"));
	html_raw(out, "\n");
	json_array_foreach(json_object_get(doc, "blocks"), i, v) {
		const char *type = field(v, "type");
		if (!strcmp(type, "item"))
			html_raw(out, "- ");
		if (!strcmp(type, "fact")) {
			text_runs(out, json_object_get(v, "label"));
			html_raw(out, ": ");
		}
		text_runs(out, json_object_get(v, "runs"));
		html_raw(out, "\n");
	}
	json_array_foreach(json_object_get(doc, "signature"), i, v) {
		html_raw(out, json_string_value(v));
		html_raw(out, "\n");
	}
}
