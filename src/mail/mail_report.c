/*
 * mail_report: whether an automatic answer may go, and what a delivery
 * report says (mail_report.h).
 */
#include "mail_report.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* One header line, unfolded, from *p (bounded by end); false at the blank
 * line that ends the block or at the end.  name and value into arena. */
static bool next_header(const char **p, const char *end, fh_arena *arena, const char **name,
			const char **value)
{
	const char *s = *p;
	if (s >= end || *s == '\r' || *s == '\n')
		return false;
	/* the logical line runs to a line end not followed by a space or tab */
	const char *e = s;
	for (;;) {
		while (e < end && *e != '\n')
			e++;
		if (e + 1 < end && (e[1] == ' ' || e[1] == '\t')) {
			e++;
			continue;
		}
		break;
	}
	*p = e < end ? e + 1 : end;
	const char *colon = memchr(s, ':', (size_t)(e - s));
	if (!colon) {
		*name = *value = "";
		return true;
	}
	*name = arena_strndup(arena, s, (size_t)(colon - s));
	char *v = arena_strndup(arena, colon + 1, (size_t)(e - colon - 1));
	/* unfold: line ends become spaces; trim */
	for (char *q = v; *q; q++)
		if (*q == '\r' || *q == '\n' || *q == '\t')
			*q = ' ';
	while (*v == ' ')
		v++;
	size_t n = strlen(v);
	while (n && v[n - 1] == ' ')
		v[--n] = '\0';
	*value = v;
	return true;
}

/* Where the first header block ends (after its blank line). */
static const char *after_headers(const char *raw, const char *end)
{
	const char *p = raw;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return end;
		size_t len = (size_t)(nl - p);
		if (len == 0 || (len == 1 && p[0] == '\r'))
			return nl + 1;
		p = nl + 1;
	}
	return end;
}

static bool contains_nocase(const char *s, const char *word)
{
	size_t n = strlen(word);
	for (; *s; s++)
		if (!strncasecmp(s, word, n))
			return true;
	return false;
}

bool mail_may_autoreply(const void *raw, size_t size, const mail_inbound *m, const char **why)
{
	*why = NULL;
	if (m->automatic) {
		*why = m->bounce ? "a delivery report" : "written by a machine";
		return false;
	}
	const char *p = raw, *end = p + size;
	fh_arena arena = ARENA_INIT;
	const char *name, *value;
	while (!*why && next_header(&p, end, &arena, &name, &value)) {
		if (!strcasecmp(name, "List-Id") || !strcasecmp(name, "List-Unsubscribe") ||
		    !strcasecmp(name, "List-Post"))
			*why = "list mail (List-Id)";
		else if (!strcasecmp(name, "Return-Path") &&
			 (!strcmp(value, "<>") || !*value || contains_nocase(value, "mailer-daemon")))
			*why = "a bounce (empty Return-Path)";
		else if (!strcasecmp(name, "From") && (contains_nocase(value, "mailer-daemon@") ||
							contains_nocase(value, "postmaster@")))
			*why = "a bounce (From MAILER-DAEMON)";
		else if (!strcasecmp(name, "Auto-Submitted") && strncasecmp(value, "no", 2) != 0)
			*why = "Auto-Submitted";
		else if (!strcasecmp(name, "Precedence") &&
			 (contains_nocase(value, "bulk") || contains_nocase(value, "list") ||
			  contains_nocase(value, "junk")))
			*why = "Precedence bulk, list or junk";
	}
	arena_free(&arena);
	return *why == NULL;
}

/* The first <...> of value, without the brackets, into arena; NULL when none. */
static const char *bracketed(const char *value, fh_arena *arena)
{
	const char *lt = strchr(value, '<');
	const char *gt = lt ? strchr(lt, '>') : NULL;
	if (!lt || !gt || gt == lt + 1)
		return NULL;
	return arena_strndup(arena, lt + 1, (size_t)(gt - lt - 1));
}

void mail_report_read(const void *raw, size_t size, fh_arena *arena, mail_report *out)
{
	*out = (mail_report){.action = "", .status = "", .recipient = ""};
	const char *start = raw, *end = start + size;
	const char *p = after_headers(start, end);
	size_t room = 8;
	out->original_ids = arena_array(arena, room, sizeof *out->original_ids);
	/* every line of the body that starts a header: the report's fields and
	 * the returned message's headers */
	while (p < end) {
		const char *name, *value;
		const char *line = p;
		if (*p == '\r' || *p == '\n' || *p == ' ' || *p == '\t' || *p == '-' ||
		    !next_header(&p, end, arena, &name, &value)) {
			const char *nl = memchr(line, '\n', (size_t)(end - line));
			p = nl ? nl + 1 : end;
			continue;
		}
		if (!strcasecmp(name, "Message-ID") || !strcasecmp(name, "Original-Message-ID") ||
		    !strcasecmp(name, "X-Original-Message-ID")) {
			const char *id = bracketed(value, arena);
			bool seen = false;
			for (size_t i = 0; id && i < out->n_original_ids; i++)
				seen = seen || !strcmp(out->original_ids[i], id);
			if (id && !seen && out->n_original_ids < room)
				out->original_ids[out->n_original_ids++] = id;
		} else if (!strcasecmp(name, "Action") && !*out->action) {
			char *a = arena_strdup(arena, value);
			for (char *q = a; *q; q++)
				*q = (char)tolower((unsigned char)*q);
			out->action = a;
		} else if (!strcasecmp(name, "Status") && !*out->status) {
			out->status = arena_strndup(arena, value, strcspn(value, " ("));
		} else if (!strcasecmp(name, "Final-Recipient") && !*out->recipient) {
			const char *semi = strchr(value, ';');
			const char *a = semi ? semi + 1 : value;
			while (*a == ' ')
				a++;
			out->recipient = arena_strdup(arena, a);
		}
	}
}
