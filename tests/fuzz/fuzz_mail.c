/*
 * Fuzz target: a received email as `fairhearing mail receive` reads it
 * (mail_inbound_parse: GMime's MIME, our charset fallbacks, format=flowed
 * and the HTML-to-text of an HTML-only message).  A refusal must say why;
 * an accepted message must have a sender with an "@", a subject of one
 * line, text and names in valid UTF-8, and attachments whose bytes and
 * type are there.  A message read as a delivery report (mail_report_read,
 * each part decoded first) gives at most MAIL_REPORT_MAX_IDS Message-IDs,
 * none empty, and an action, status and recipient that are strings.
 */
#include <assert.h>
#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mail_inbound.h"
#include "mail_report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool started;
	if (!started) {
		mail_inbound_start(); /* once for the process, as the command does */
		started = true;
	}
	fh_arena arena = ARENA_INIT;
	mail_inbound m;
	fh_error err = {0};
	if (mail_inbound_parse(data, size, &arena, &m, &err)) {
		assert(err.message[0] != '\0');
		assert(m.from_address && m.subject && m.message_id);
	} else {
		assert(strchr(m.from_address, '@'));
		assert(!strchr(m.subject, '\n'));
		assert(g_utf8_validate(m.subject, -1, NULL));
		assert(g_utf8_validate(m.from_name, -1, NULL));
		assert(g_utf8_validate(m.text, -1, NULL));
		assert(!strchr(m.text, '\r'));
		assert(m.n_attachments <= MAIL_INBOUND_MAX_ATTACHMENTS);
		for (size_t i = 0; i < m.n_attachments; i++) {
			assert(m.attachments[i].data && m.attachments[i].content_type);
			assert(strchr(m.attachments[i].content_type, '/'));
			assert(g_utf8_validate(m.attachments[i].filename, -1, NULL));
		}
		for (size_t i = 0; i < m.n_references; i++)
			assert(m.references[i]);
		if (m.bounce) {
			mail_report report;
			mail_report_read(data, size, &arena, &report);
			assert(report.n_original_ids <= MAIL_REPORT_MAX_IDS);
			for (size_t i = 0; i < report.n_original_ids; i++)
				assert(report.original_ids[i] && report.original_ids[i][0]);
			assert(report.action && report.status && report.recipient);
		}
	}
	arena_free(&arena);
	return 0;
}
