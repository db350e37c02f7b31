/*
 * letter: the letter templates' small language, the layout model a letter
 * becomes, and that model written as HTML.
 *
 * A template (templates/letters/KIND.tmpl, docs/letters.md) is plain text, one
 * block a line:
 *
 *   # Subject            the letter's subject (its title)
 *   ## Heading           a heading inside the letter
 *   - text               one item of a bulleted list
 *   | Label | text       one row of a two-column table of facts
 *   text                 a paragraph; consecutive lines join, a blank line ends it
 *   {{#each points}} ... {{/each}}     once for every element of a list
 *   {{#if path}} ... {{else}} ... {{/if}}   {{#unless path}} ... {{/unless}}
 *   {{! a comment }}
 *
 * Inside a line, {{path}} is a value and {{path | date}} a date written out
 * ("Monday 11 January 2027"); **text** is bold.  A value is always text:
 * inline markup is read from the template before values are put in, so a
 * value holding "**", "<b>" or "{{" is printed as those characters, and no
 * construct lets data become markup.  Markup is made only by the
 * renderers (letter_html here, letter_pdf in src/letters/) from the model.
 *
 * The model is JSON, so a letter can be stored as issued and rendered again
 * identically: {"subject", "letterhead": {"name", "lines": []}, "recipient":
 * [], "date", "reference", "blocks": [{"type": "heading"|"para"|"item"|"fact",
 * "label": runs (fact only), "runs": [{"text", "bold"}]}], "signature": []}.
 *
 * A value the template asks for that is missing or null refuses the letter
 * (FH_ERULE, field = the value's path): a letter is never sent with a hole
 * in it.  Mistakes in the template itself are FH_EINVAL naming the line.
 */
#ifndef FH_LETTER_H
#define FH_LETTER_H

#include <jansson.h>

#include "error.h"
#include "html.h"

/*
 * Expands template (named `name` in messages) with values (a JSON object)
 * into the blocks of a letter: *blocks is a new JSON array and *subject the
 * text of the "# " line (both the caller's).  On refusal nothing is
 * allocated.
 */
fh_status letter_expand(const char *name, const char *template_text, const json_t *values,
			json_t **blocks, char **subject, fh_error *err);

/*
 * "2027-01-11" as "Monday 11 January 2027" into buf; the text unchanged
 * when it is not an ISO date.
 */
const char *letter_long_date(const char *iso, char *buf, size_t size);

/* The whole letter as a standalone HTML page that prints on A4. */
void letter_html(const json_t *doc, html_buf *out);

/*
 * The letter alone, <article class="letter"> with the subject as its <h1>,
 * for a page in the site's own layout (the tracking page's letters), whose
 * stylesheet gives it the same look without the inline style a page's
 * Content-Security-Policy would refuse.
 */
void letter_html_article(const json_t *doc, html_buf *out);

/* The letter's text runs joined as plain text, one block a line (for tests and search). */
void letter_plain_text(const json_t *doc, html_buf *out);

#endif
