/*
 * Unit tests for src/mail/mail_message.c: the bytes of an email as RFC 5322
 * (headers, CRLF lines of at most 998 octets), RFC 2047 (encoded words of
 * at most 75 characters) and RFC 2045 (one text part) want them, and the
 * refusals that keep a value from becoming a header.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "mail_message.h"

/* 2026-11-23 08:05:09 UTC, a Monday */
#define MONDAY ((time_t)1795421109)

static mail_message sample(void)
{
	return (mail_message){
		.from = "complaints@council.example",
		.to = "officer@council.example",
		.subject = "Fairhearing: your deadlines",
		.body = "Line one\nLine two\n",
		.date = MONDAY,
		.message_id = "fairhearing-remind-1@fairhearing.invalid",
		.auto_submitted = true,
	};
}

static char *compose_ok(const mail_message *m)
{
	char *out = NULL;
	fh_error err = {0};
	if (mail_message_compose(m, &out, &err))
		fail_msg("mail_message_compose refused it: %s: %s", err.field, err.message);
	return out;
}

static void test_headers_in_order_rfc5322(void **state)
{
	(void)state;
	mail_message m = sample();
	char *out = compose_ok(&m);
	assert_string_equal(out, "From: complaints@council.example\r\n"
				 "To: officer@council.example\r\n"
				 "Date: Mon, 23 Nov 2026 08:05:09 +0000\r\n"
				 "Subject: Fairhearing: your deadlines\r\n"
				 "Message-ID: <fairhearing-remind-1@fairhearing.invalid>\r\n"
				 "MIME-Version: 1.0\r\n"
				 "Content-Type: text/plain; charset=utf-8\r\n"
				 "Content-Transfer-Encoding: 8bit\r\n"
				 "Auto-Submitted: auto-generated\r\n"
				 "\r\n"
				 "Line one\r\nLine two\r\n");
	free(out);
	/* mail a person wrote carries no Auto-Submitted (RFC 3834) */
	m.auto_submitted = false;
	out = compose_ok(&m);
	assert_null(strstr(out, "Auto-Submitted"));
	free(out);
}

static void test_body_lines_end_in_crlf_rfc5322(void **state)
{
	(void)state;
	mail_message m = sample();
	m.body = "already\r\nmixed\nno end";
	char *out = compose_ok(&m);
	const char *body = strstr(out, "\r\n\r\n");
	assert_non_null(body);
	assert_string_equal(body + 4, "already\r\nmixed\r\nno end\r\n");
	free(out);
}

static void test_long_body_line_refused_rfc5322_2_1_1(void **state)
{
	(void)state;
	char line[1001];
	memset(line, 'x', 999);
	line[999] = '\0';
	mail_message m = sample();
	m.body = line;
	char *out = NULL;
	fh_error err = {0};
	assert_int_equal(mail_message_compose(&m, &out, &err), FH_EINVAL);
	assert_null(out);
	assert_string_equal(err.field, "body");
	assert_string_equal(err.source, "RFC 5322 §2.1.1");
	assert_non_null(strstr(err.message, "998"));
	line[998] = '\0'; /* exactly 998 octets is allowed */
	out = compose_ok(&m);
	free(out);
}

/* Decodes each =?UTF-8?B?...?= word of a Subject header back to text,
 * checking each is at most 75 characters (RFC 2047 §2). */
static void decode_subject(const char *msg, char *text, size_t size)
{
	const char *p = strstr(msg, "Subject: ");
	assert_non_null(p);
	p += 9;
	size_t len = 0;
	text[0] = '\0';
	for (;;) {
		assert_memory_equal(p, "=?UTF-8?B?", 10);
		const char *end = strstr(p + 10, "?=");
		assert_non_null(end);
		size_t word = (size_t)(end + 2 - p);
		if (word > 75)
			fail_msg("RFC 2047 §2: an encoded word of %zu characters", word);
		size_t got;
		assert_int_equal(sodium_base642bin((unsigned char *)text + len, size - len - 1, p + 10,
						   (size_t)(end - p - 10), NULL, &got, NULL,
						   sodium_base64_VARIANT_ORIGINAL), 0);
		len += got;
		text[len] = '\0';
		p = end + 2;
		if (strncmp(p, "\r\n ", 3))
			break; /* the last word: the next header follows */
		p += 3;
	}
	assert_memory_equal(p, "\r\nMessage-ID:", 13);
}

static void test_subject_encoded_words_rfc2047(void **state)
{
	(void)state;
	/* long enough for several words, with two-byte and three-byte
	 * characters where a cut could fall inside one */
	const char *subject = "Fairhearing: your deadlines at Cyngor Sir Ynys Môn — Gwasanaethau "
			      "Plant, 2 overdue, 3 due soon (2026-11-23) – “à bientôt”";
	mail_message m = sample();
	m.subject = subject;
	char *out = compose_ok(&m);
	char text[400];
	decode_subject(out, text, sizeof text);
	assert_string_equal(text, subject);
	/* each word is whole UTF-8 on its own: none starts with a continuation byte */
	const char *p = strstr(out, "Subject: ") + 9;
	while (!strncmp(p, "=?UTF-8?B?", 10)) {
		unsigned char first[4];
		size_t got;
		const char *end = strstr(p + 10, "?=");
		assert_int_equal(sodium_base642bin(first, sizeof first, p + 10, 4, NULL, &got, NULL,
						   sodium_base64_VARIANT_ORIGINAL), 0);
		assert_int_not_equal(first[0] & 0xC0, 0x80);
		p = end + 2;
		if (strncmp(p, "\r\n ", 3))
			break;
		p += 3;
	}
	free(out);
}

static void test_no_value_becomes_a_header(void **state)
{
	(void)state;
	static const struct {
		const char *field;
		mail_message m;
	} cases[] = {
		{"from", {.from = "a@b.example>\r\nBcc: x@y", .to = "o@c.example", .subject = "s",
			  .body = "b", .message_id = "i@d"}},
		{"to", {.from = "a@b.example", .to = "o@c.example\r\nBcc: x@y", .subject = "s",
			.body = "b", .message_id = "i@d"}},
		{"to", {.from = "a@b.example", .to = "no-at-sign", .subject = "s", .body = "b",
			.message_id = "i@d"}},
		{"subject", {.from = "a@b.example", .to = "o@c.example", .subject = "s\r\nBcc: x@y",
			     .body = "b", .message_id = "i@d"}},
		{"message_id", {.from = "a@b.example", .to = "o@c.example", .subject = "s",
				.body = "b", .message_id = "i@d>\r\nBcc: x@y"}},
		{"message_id", {.from = "a@b.example", .to = "o@c.example", .subject = "s",
				.body = "b", .message_id = "no-at-sign"}},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *out = NULL;
		fh_error err = {0};
		assert_int_equal(mail_message_compose(&cases[i].m, &out, &err), FH_EINVAL);
		assert_null(out);
		assert_string_equal(err.field, cases[i].field);
	}
}

static void test_plain_addresses_rfc5321(void **state)
{
	(void)state;
	assert_true(mail_address_plain("complaints@council.example"));
	assert_false(mail_address_plain("@council.example"));
	assert_false(mail_address_plain("complaints@"));
	assert_false(mail_address_plain("Complaints <complaints@council.example>"));
	assert_false(mail_address_plain("a@b.example,c@d.example"));
	assert_false(mail_address_plain(NULL));
	char long_address[300];
	memset(long_address, 'a', sizeof long_address);
	memcpy(long_address + 240, "@council.example", 17); /* 256 bytes */
	assert_false(mail_address_plain(long_address));
	memcpy(long_address + 237, "@council.example", 17); /* 253 bytes */
	assert_true(mail_address_plain(long_address));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headers_in_order_rfc5322),
		cmocka_unit_test(test_body_lines_end_in_crlf_rfc5322),
		cmocka_unit_test(test_long_body_line_refused_rfc5322_2_1_1),
		cmocka_unit_test(test_subject_encoded_words_rfc2047),
		cmocka_unit_test(test_no_value_becomes_a_header),
		cmocka_unit_test(test_plain_addresses_rfc5321),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
