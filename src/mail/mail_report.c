/*
 * mail_report: whether an automatic answer may go, and what a delivery
 * report says (mail_report.h).
 */
#include "mail_report.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

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

static void add_original_id(mail_report *out, const char *id)
{
	if (!id || !*id || out->n_original_ids >= MAIL_REPORT_MAX_IDS)
		return;
	for (size_t i = 0; i < out->n_original_ids; i++)
		if (!strcmp(out->original_ids[i], id))
			return;
	out->original_ids[out->n_original_ids++] = id;
}

/*
 * The header lines of text (decoded bytes of one part of the report):
 * every block of them when blocks is true (a delivery-status part: the
 * message's fields, then one block per recipient), else only the first (the
 * returned message's own headers, not its body).
 */
static void read_fields(const char *text, size_t size, bool blocks, fh_arena *arena,
			mail_report *out)
{
	const char *p = text, *end = text + size;
	while (p < end) {
		const char *name, *value;
		const char *line = p;
		if (*p == '\r' || *p == '\n') {
			if (!blocks)
				return;
			p++;
			continue;
		}
		if (*p == ' ' || *p == '\t' || !next_header(&p, end, arena, &name, &value)) {
			const char *nl = memchr(line, '\n', (size_t)(end - line));
			p = nl ? nl + 1 : end;
			continue;
		}
		if (!strcasecmp(name, "Message-ID") || !strcasecmp(name, "Original-Message-ID") ||
		    !strcasecmp(name, "X-Original-Message-ID")) {
			add_original_id(out, bracketed(value, arena));
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

/* The decoded bytes of a leaf part (its transfer encoding undone), into arena. */
static const char *decoded(GMimePart *part, size_t *size, fh_arena *arena)
{
	*size = 0;
	GMimeDataWrapper *w = g_mime_part_get_content(part);
	if (!w)
		return "";
	GMimeStream *mem = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(w, mem);
	GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	char *text = arena_strndup(arena, ba->len ? (const char *)ba->data : "", ba->len);
	*size = ba->len;
	g_object_unref(mem);
	return text;
}

static void read_part(GMimeObject *obj, int depth, fh_arena *arena, mail_report *out)
{
	if (!obj || depth > MAIL_INBOUND_MAX_DEPTH)
		return;
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		for (int i = 0; i < g_mime_multipart_get_count(mp); i++)
			read_part(g_mime_multipart_get_part(mp, i), depth + 1, arena, out);
		return;
	}
	if (GMIME_IS_MESSAGE_PART(obj)) {
		/* message/rfc822 as RFC 3464 §2 sends it: GMime has read its headers */
		GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
		const char *id = inner ? g_mime_message_get_message_id(inner) : NULL;
		if (id)
			add_original_id(out, arena_strdup(arena, id));
		return;
	}
	if (!GMIME_IS_PART(obj))
		return;
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	bool status = g_mime_content_type_is_type(ct, "message", "delivery-status") ||
		      g_mime_content_type_is_type(ct, "message", "global-delivery-status");
	/* the returned message: its headers alone, or (GMime leaves a message/rfc822
	 * part sent in base64 or quoted-printable as a leaf) the whole of it */
	bool returned = g_mime_content_type_is_type(ct, "text", "rfc822-headers") ||
			g_mime_content_type_is_type(ct, "message", "rfc822") ||
			g_mime_content_type_is_type(ct, "message", "global-headers") ||
			g_mime_content_type_is_type(ct, "message", "global");
	if (!status && !returned)
		return;
	size_t size;
	const char *text = decoded(GMIME_PART(obj), &size, arena);
	read_fields(text, size, status, arena, out);
}

void mail_report_read(const void *raw, size_t size, fh_arena *arena, mail_report *out)
{
	*out = (mail_report){.action = "", .status = "", .recipient = ""};
	out->original_ids = arena_array(arena, MAIL_REPORT_MAX_IDS, sizeof *out->original_ids);
	GMimeStream *stream = g_mime_stream_mem_new_with_buffer(raw, size);
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	GMimeMessage *msg = g_mime_parser_construct_message(parser, NULL);
	GMimeObject *top = msg ? g_mime_message_get_mime_part(msg) : NULL;
	if (top && g_mime_content_type_is_type(g_mime_object_get_content_type(top), "multipart",
					       "report"))
		read_part(top, 0, arena, out);
	if (msg)
		g_object_unref(msg);
	g_object_unref(parser);
	g_object_unref(stream);
}
