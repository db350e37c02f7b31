/*
 * mail_inbound.c: a received message read with GMime 3 (mail_inbound.h).
 *
 * GMime does the MIME work (headers, RFC 2047 words, transfer encodings,
 * the tree of parts); what is ours is the choice of the text (the plain
 * alternative before the HTML one, every inline text part in order), the
 * charset fallbacks mail needs in practice, format=flowed, and the turning
 * of HTML into text, for which libxml2's forgiving HTML parser does the
 * parsing and the entities.
 */
#include "mail_inbound.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>
#include <libxml/HTMLparser.h>

void mail_inbound_start(void)
{
	g_mime_init();
	xmlInitParser();
}

void mail_inbound_stop(void)
{
	xmlCleanupParser();
	g_mime_shutdown();
}

/* ---- text -------------------------------------------------------------------- */

/* s without "<" and ">" around it, into arena; "" for NULL. */
static const char *unbracket(const char *s, fh_arena *arena)
{
	if (!s)
		return "";
	while (*s == ' ' || *s == '\t' || *s == '<')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == '>' || s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
		     s[n - 1] == '\n'))
		n--;
	return arena_strndup(arena, s, n);
}

/*
 * Text in UTF-8 from bytes in charset: a label of ISO-8859-1, US-ASCII or
 * none is read as Windows-1252 (mail programs label cp1252 text so, and the
 * two agree outside 0x80-0x9F, where ISO-8859-1 has only unused controls);
 * bytes that are valid UTF-8 under such a label are UTF-8; a label iconv
 * does not know, or bytes the label does not fit, fall back the same way,
 * and finally to ISO-8859-1, which cannot fail.  Line ends become "\n";
 * NUL and the other controls but tab go.
 */
static char *to_utf8(const char *bytes, size_t n, const char *charset, fh_arena *arena)
{
	bool latin = !charset || !*charset || !strcasecmp(charset, "iso-8859-1") ||
		     !strcasecmp(charset, "latin1") || !strcasecmp(charset, "us-ascii") ||
		     !strcasecmp(charset, "ascii");
	bool utf8 = charset && (!strcasecmp(charset, "utf-8") || !strcasecmp(charset, "utf8"));
	gchar *conv = NULL;
	gsize out_len = 0;
	if ((latin || utf8) && g_utf8_validate(bytes, (gssize)n, NULL))
		conv = g_strndup(bytes, n), out_len = n;
	if (!conv && !latin && !utf8)
		conv = g_convert(bytes, (gssize)n, "UTF-8", charset, NULL, &out_len, NULL);
	if (!conv)
		conv = g_convert(bytes, (gssize)n, "UTF-8", "WINDOWS-1252", NULL, &out_len, NULL);
	if (!conv)
		conv = g_convert(bytes, (gssize)n, "UTF-8", "ISO-8859-1", NULL, &out_len, NULL);
	if (!conv)
		return arena_strdup(arena, "");
	char *out = arena_alloc(arena, out_len + 1);
	size_t o = 0;
	for (size_t i = 0; i < out_len; i++) {
		unsigned char c = (unsigned char)conv[i];
		if (c == '\r') {
			out[o++] = '\n';
			if (i + 1 < out_len && conv[i + 1] == '\n')
				i++;
		} else if (c >= 0x20 || c == '\n' || c == '\t') {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
	g_free(conv);
	return out;
}

char *mail_unflow(const char *text, bool delsp, fh_arena *arena)
{
	GString *out = g_string_new(NULL);
	const char *p = text;
	int joining_depth = -1; /* the quote depth of the paragraph being joined, -1 none */
	while (*p) {
		size_t len = strcspn(p, "\n");
		const char *line = p;
		p += len + (p[len] == '\n');
		int depth = 0;
		while (len && *line == '>')
			depth++, line++, len--;
		if (len && *line == ' ') /* space-stuffing (RFC 3676 §4.4) */
			line++, len--;
		bool signature = len == 3 && memcmp(line, "-- ", 3) == 0;
		bool soft = !signature && len && line[len - 1] == ' ';
		if (joining_depth >= 0 && depth != joining_depth)
			g_string_append_c(out, '\n'); /* a quoted paragraph never runs on */
		if (joining_depth < 0 || depth != joining_depth) {
			for (int i = 0; i < depth; i++)
				g_string_append_c(out, '>');
			if (depth)
				g_string_append_c(out, ' ');
		}
		g_string_append_len(out, line, (gssize)(soft && delsp ? len - 1 : len));
		if (soft) {
			joining_depth = depth;
		} else {
			g_string_append_c(out, '\n');
			joining_depth = -1;
		}
	}
	if (joining_depth >= 0)
		g_string_append_c(out, '\n');
	char *r = arena_strndup(arena, out->str, out->len);
	g_string_free(out, TRUE);
	return r;
}

/* ---- HTML -------------------------------------------------------------------- */

static bool block_element(const char *name)
{
	static const char *const blocks[] = {
		"p", "div", "li", "tr", "table", "ul", "ol", "blockquote", "h1", "h2", "h3",
		"h4", "h5", "h6", "pre", "hr", "section", "article", "header", "footer",
		"address", "dd", "dt", "dl", NULL};
	for (size_t i = 0; blocks[i]; i++)
		if (!strcasecmp(name, blocks[i]))
			return true;
	return false;
}

/* Ends the current line unless it is ended already. */
static void newline(GString *s)
{
	if (s->len && s->str[s->len - 1] != '\n')
		g_string_append_c(s, '\n');
}

/* Text nodes with their runs of white space as one space; a no-break space is a space. */
static void append_text(GString *s, const char *t)
{
	for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
		bool space = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
			     (p[0] == 0xc2 && p[1] == 0xa0);
		if (space) {
			if (p[0] == 0xc2)
				p++;
			if (s->len && s->str[s->len - 1] != ' ' && s->str[s->len - 1] != '\n')
				g_string_append_c(s, ' ');
			continue;
		}
		g_string_append_c(s, (char)*p);
	}
}

static void walk_html(GString *s, xmlNode *node, int depth)
{
	for (xmlNode *n = node; n; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				append_text(s, (const char *)n->content);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		const char *name = (const char *)n->name;
		if (!strcasecmp(name, "script") || !strcasecmp(name, "style") ||
		    !strcasecmp(name, "head") || !strcasecmp(name, "title"))
			continue;
		if (!strcasecmp(name, "br")) {
			/* a space left before the break goes */
			if (s->len && s->str[s->len - 1] == ' ')
				g_string_truncate(s, s->len - 1);
			g_string_append_c(s, '\n');
			continue;
		}
		bool block = block_element(name);
		if (block)
			newline(s);
		if (depth < 200)
			walk_html(s, n->children, depth + 1);
		if (block)
			newline(s);
	}
}

char *mail_html_to_text(const char *html, size_t size, fh_arena *arena)
{
	if (size > INT32_MAX)
		return arena_strdup(arena, "");
	htmlDocPtr doc = htmlReadMemory(html, (int)size, NULL, "UTF-8",
					HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
					HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	GString *s = g_string_new(NULL);
	if (doc)
		walk_html(s, xmlDocGetRootElement(doc), 0);
	xmlFreeDoc(doc);
	/* each line trimmed, and no more than one blank line in a row */
	GString *out = g_string_new(NULL);
	const char *p = s->str;
	int blanks = 0;
	while (*p) {
		size_t len = strcspn(p, "\n");
		const char *line = p;
		p += len + (p[len] == '\n');
		while (len && *line == ' ')
			line++, len--;
		while (len && line[len - 1] == ' ')
			len--;
		if (!len) {
			blanks += out->len > 0;
			continue;
		}
		if (blanks)
			g_string_append_c(out, '\n');
		blanks = 0;
		g_string_append_len(out, line, (gssize)len);
		g_string_append_c(out, '\n');
	}
	char *r = arena_strndup(arena, out->str, out->len);
	g_string_free(out, TRUE);
	g_string_free(s, TRUE);
	return r;
}

/* ---- the message ------------------------------------------------------------- */

typedef struct parse_ctx {
	fh_arena *arena;
	const char *broken;      /* the first structural problem GMime reported */
	GString *text;           /* the plain text so far */
	GString *html;           /* the text of HTML parts, for a message with no plain text */
	mail_attachment *atts;
	size_t n_atts;
} parse_ctx;

static void on_warning(gint64 offset, GMimeParserWarning code, const gchar *item, gpointer data)
{
	(void)offset;
	(void)item;
	parse_ctx *ctx = data;
	const char *why = NULL;
	switch (code) {
	case GMIME_WARN_MALFORMED_MULTIPART: why = "a multipart part holds no parts"; break;
	case GMIME_WARN_TRUNCATED_MESSAGE: why = "the message is truncated"; break;
	case GMIME_WARN_MALFORMED_MESSAGE: why = "the message is malformed"; break;
	case GMIME_CRIT_INVALID_HEADER_NAME: why = "a header's name is not a header name"; break;
	case GMIME_CRIT_CONFLICTING_HEADER: why = "two headers conflict"; break;
	case GMIME_CRIT_CONFLICTING_PARAMETER: why = "two header parameters conflict"; break;
	case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY: why = "a multipart part has no boundary"; break;
	case GMIME_CRIT_NESTING_OVERFLOW: why = "the MIME parts are nested too deep"; break;
	case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
		why = "a MIME part has neither headers nor content";
		break;
	default: break; /* duplicated headers, 8-bit headers ...: common and harmless */
	}
	if (why && !ctx->broken)
		ctx->broken = why;
}

/* The decoded bytes of a leaf part, into arena (NUL-terminated past size). */
static unsigned char *part_bytes(GMimePart *part, size_t *size, fh_arena *arena)
{
	*size = 0;
	GMimeDataWrapper *w = g_mime_part_get_content(part);
	if (!w)
		return (unsigned char *)arena_strdup(arena, "");
	GMimeStream *mem = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(w, mem);
	GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	unsigned char *out = arena_alloc(arena, ba->len + 1);
	if (ba->len) /* an empty part: GMime keeps no buffer */
		memcpy(out, ba->data, ba->len);
	*size = ba->len;
	g_object_unref(mem);
	return out;
}

static const char *lower(const char *s, fh_arena *arena)
{
	char *r = arena_strdup(arena, s ? s : "");
	for (char *p = r; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return r;
}

static void add_attachment(parse_ctx *ctx, GMimePart *part, GMimeContentType *ct)
{
	if (ctx->n_atts >= MAIL_INBOUND_MAX_ATTACHMENTS)
		return;
	mail_attachment *a = &ctx->atts[ctx->n_atts++];
	const char *name = g_mime_part_get_filename(part);
	a->filename = name ? to_utf8(name, strlen(name), "utf-8", ctx->arena) : "";
	a->content_type = lower(arena_printf(ctx->arena, "%s/%s",
					     g_mime_content_type_get_media_type(ct),
					     g_mime_content_type_get_media_subtype(ct)),
				ctx->arena);
	a->data = part_bytes(part, &a->size, ctx->arena);
}

static void append_block(GString *s, const char *text)
{
	if (!*text)
		return;
	if (s->len && s->str[s->len - 1] != '\n')
		g_string_append_c(s, '\n');
	if (s->len)
		g_string_append_c(s, '\n');
	g_string_append(s, text);
}

static void walk_message(parse_ctx *ctx, GMimeMessage *msg, int depth);

/* A text part's text in UTF-8, flowed lines joined, HTML turned to text. */
static const char *part_text(parse_ctx *ctx, GMimePart *part, GMimeContentType *ct, bool html)
{
	size_t n;
	unsigned char *bytes = part_bytes(part, &n, ctx->arena);
	const char *charset = g_mime_content_type_get_parameter(ct, "charset");
	if (html) {
		/* libxml2 reads UTF-8: convert first, so a meta charset cannot mislead it */
		char *utf8 = to_utf8((const char *)bytes, n, charset, ctx->arena);
		return mail_html_to_text(utf8, strlen(utf8), ctx->arena);
	}
	char *text = to_utf8((const char *)bytes, n, charset, ctx->arena);
	const char *format = g_mime_content_type_get_parameter(ct, "format");
	if (format && !strcasecmp(format, "flowed")) {
		const char *delsp = g_mime_content_type_get_parameter(ct, "delsp");
		text = mail_unflow(text, delsp && !strcasecmp(delsp, "yes"), ctx->arena);
	}
	return text;
}

static void walk_part(parse_ctx *ctx, GMimeObject *obj, int depth, bool in_alternative)
{
	if (!obj)
		return;
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int count = g_mime_multipart_get_count(mp);
		bool alternative = g_mime_content_type_is_type(ct, "multipart", "alternative");
		if (alternative) {
			/* the plain alternative when there is one, else the last the reader can show */
			int chosen = -1;
			for (int i = 0; i < count && chosen < 0; i++) {
				GMimeContentType *c = g_mime_object_get_content_type(
					g_mime_multipart_get_part(mp, i));
				if (g_mime_content_type_is_type(c, "text", "plain"))
					chosen = i;
			}
			if (chosen >= 0) {
				walk_part(ctx, g_mime_multipart_get_part(mp, chosen), depth, true);
				return;
			}
		}
		for (int i = 0; i < count; i++)
			walk_part(ctx, g_mime_multipart_get_part(mp, i), depth, alternative);
		return;
	}
	if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
		if (inner && depth < MAIL_INBOUND_MAX_DEPTH)
			walk_message(ctx, inner, depth + 1);
		return;
	}
	if (!GMIME_IS_PART(obj))
		return;
	GMimePart *part = GMIME_PART(obj);
	GMimeContentDisposition *disp = g_mime_object_get_content_disposition(obj);
	bool attachment = disp && g_mime_content_disposition_is_attachment(disp);
	bool plain = g_mime_content_type_is_type(ct, "text", "plain");
	bool html = g_mime_content_type_is_type(ct, "text", "html");
	if (!attachment && (plain || html)) {
		const char *text = part_text(ctx, part, ct, html);
		append_block(html ? ctx->html : ctx->text, text);
		(void)in_alternative;
		return;
	}
	add_attachment(ctx, part, ct);
}

static void walk_message(parse_ctx *ctx, GMimeMessage *msg, int depth)
{
	if (depth > 0) {
		/* a message forwarded as an attachment: its own text, introduced */
		InternetAddressList *from = g_mime_message_get_from(msg);
		char *who = from ? internet_address_list_to_string(from, NULL, FALSE) : NULL;
		const char *subject = g_mime_message_get_subject(msg);
		char *intro = g_strdup_printf("---------- Forwarded message ----------\nFrom: %s\n"
					      "Subject: %s\n", who ? who : "",
					      subject ? subject : "");
		append_block(ctx->text, intro);
		g_free(intro);
		g_free(who);
		size_t before_text = ctx->text->len;
		GString *outer_html = ctx->html;
		ctx->html = g_string_new(NULL);
		walk_part(ctx, g_mime_message_get_mime_part(msg), depth, false);
		if (ctx->text->len == before_text)
			g_string_append(ctx->text, ctx->html->str);
		g_string_free(ctx->html, TRUE);
		ctx->html = outer_html;
		return;
	}
	walk_part(ctx, g_mime_message_get_mime_part(msg), depth, false);
}

static const char *header(GMimeMessage *msg, const char *name)
{
	return g_mime_object_get_header(GMIME_OBJECT(msg), name);
}

/* The local date of the first Received header's stamp (RFC 5322 §3.6.7), or "". */
static const char *received_on(GMimeMessage *msg, fh_arena *arena)
{
	GMimeHeader *h = g_mime_header_list_get_header(
		g_mime_object_get_header_list(GMIME_OBJECT(msg)), "Received");
	const char *value = h ? g_mime_header_get_value(h) : NULL;
	const char *semi = value ? strrchr(value, ';') : NULL;
	GDateTime *when = semi ? g_mime_utils_header_decode_date(semi + 1) : NULL;
	if (!when)
		return "";
	GDateTime *local = g_date_time_to_local(when);
	const char *out = local ? arena_printf(arena, "%04d-%02d-%02d", g_date_time_get_year(local),
					       g_date_time_get_month(local),
					       g_date_time_get_day_of_month(local))
				: "";
	if (local)
		g_date_time_unref(local);
	g_date_time_unref(when);
	return out;
}

/* Whether a machine wrote it, and which header says so (RFC 3834 §5; RFC 2076). */
static const char *automatic(GMimeMessage *msg, bool bounce)
{
	const char *v = header(msg, "Auto-Submitted");
	if (v && strncasecmp(v, "no", 2) != 0)
		return "Auto-Submitted";
	v = header(msg, "Precedence");
	while (v && *v == ' ')
		v++;
	if (v && (!strncasecmp(v, "bulk", 4) || !strncasecmp(v, "list", 4) ||
		  !strncasecmp(v, "junk", 4)))
		return "Precedence";
	if (header(msg, "X-Autoreply") || header(msg, "X-Autorespond"))
		return "X-Autoreply";
	if (bounce)
		return "Content-Type: multipart/report";
	return NULL;
}

fh_status mail_inbound_parse(const void *raw, size_t size, fh_arena *arena, mail_inbound *out,
			     fh_error *err)
{
	memset(out, 0, sizeof *out);
	parse_ctx ctx = {.arena = arena, .text = g_string_new(NULL), .html = g_string_new(NULL)};
	ctx.atts = arena_array(arena, MAIL_INBOUND_MAX_ATTACHMENTS, sizeof *ctx.atts);

	GMimeStream *stream = g_mime_stream_mem_new_with_buffer(raw, size);
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	GMimeParserOptions *opts = g_mime_parser_options_new();
	g_mime_parser_options_set_warning_callback(opts, on_warning, &ctx);
	GMimeMessage *msg = g_mime_parser_construct_message(parser, opts);

	fh_status s = FH_OK;
	InternetAddressList *from = msg ? g_mime_message_get_from(msg) : NULL;
	InternetAddress *sender = NULL;
	for (int i = 0; from && i < internet_address_list_length(from) && !sender; i++) {
		InternetAddress *a = internet_address_list_get_address(from, i);
		if (INTERNET_ADDRESS_IS_MAILBOX(a))
			sender = a;
	}
	const char *addr = sender ? internet_address_mailbox_get_addr(
					    INTERNET_ADDRESS_MAILBOX(sender)) : NULL;
	/* what the headers say, also for a message that cannot be read whole */
	out->from_address = addr && strchr(addr, '@') ? lower(addr, arena) : "";
	const char *name = sender ? internet_address_get_name(sender) : NULL;
	out->from_name = name ? to_utf8(name, strlen(name), "utf-8", arena) : "";
	const char *subject = msg ? g_mime_message_get_subject(msg) : NULL;
	char *subj = to_utf8(subject ? subject : "", subject ? strlen(subject) : 0, "utf-8", arena);
	for (char *p = subj; *p; p++) /* one line */
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	out->subject = subj;
	out->message_id = unbracket(msg ? g_mime_message_get_message_id(msg) : NULL, arena);
	out->text = "";
	out->received_on = msg ? received_on(msg, arena) : "";
	if (!msg)
		s = error_set(err, FH_EINVAL, "message", NULL, "is not an email message");
	else if (!*out->from_address)
		s = error_set(err, FH_EINVAL, "message", NULL, "has no From address");

	if (!s) {
		GMimeContentType *top = g_mime_object_get_content_type(
			g_mime_message_get_mime_part(msg));
		out->bounce = top && g_mime_content_type_is_type(top, "multipart", "report");
		walk_message(&ctx, msg, 0);
		if (ctx.broken)
			s = error_set(err, FH_EINVAL, "message", NULL, "cannot be read: %s",
				      ctx.broken);
	}
	if (!s) {
		const char *irt = header(msg, "In-Reply-To");
		const char *refs_text = header(msg, "References");
		GMimeReferences *irt_refs = irt ? g_mime_references_parse(opts, irt) : NULL;
		GMimeReferences *refs = refs_text ? g_mime_references_parse(opts, refs_text) : NULL;
		int n_irt = irt_refs ? g_mime_references_length(irt_refs) : 0;
		int n_refs = refs ? g_mime_references_length(refs) : 0;
		out->in_reply_to = n_irt ? unbracket(g_mime_references_get_message_id(irt_refs, 0),
						     arena) : "";
		out->references = arena_array(arena, (size_t)(n_irt + n_refs) + 1,
					      sizeof *out->references);
		for (int i = 0; i < n_irt; i++)
			out->references[out->n_references++] =
				unbracket(g_mime_references_get_message_id(irt_refs, i), arena);
		for (int i = 0; i < n_refs; i++)
			out->references[out->n_references++] =
				unbracket(g_mime_references_get_message_id(refs, i), arena);
		if (irt_refs)
			g_mime_references_free(irt_refs);
		if (refs)
			g_mime_references_free(refs);
		out->html_only = ctx.text->len == 0 && ctx.html->len > 0;
		out->text = arena_strndup(arena, out->html_only ? ctx.html->str : ctx.text->str,
					  out->html_only ? ctx.html->len : ctx.text->len);
		out->automatic_why = automatic(msg, out->bounce);
		out->automatic = out->automatic_why != NULL;
		out->attachments = ctx.atts;
		out->n_attachments = ctx.n_atts;
	}
	g_string_free(ctx.text, TRUE);
	g_string_free(ctx.html, TRUE);
	if (msg)
		g_object_unref(msg);
	g_mime_parser_options_free(opts);
	g_object_unref(parser);
	g_object_unref(stream);
	return s;
}
