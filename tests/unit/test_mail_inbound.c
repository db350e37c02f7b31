/*
 * Unit tests for src/mail/mail_inbound.c: format=flowed (RFC 3676), the
 * text of HTML, charsets and their fallbacks, the headers that mark mail a
 * machine wrote (RFC 3834) or a delivery report (RFC 3464), the references
 * a reply names (RFC 5322 §3.6.4), and the refusals that send a message to
 * quarantine, and what a delivery report says (mail_report_read, RFC 3464),
 * its parts decoded first.  The corpus of whole messages is tests/cli/test_mail_cli.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "mail_inbound.h"
#include "mail_report.h"

static fh_arena arena = ARENA_INIT;

static int setup(void **state)
{
	(void)state;
	mail_inbound_start();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(&arena);
	mail_inbound_stop();
	return 0;
}

static mail_inbound parse_ok(const char *raw)
{
	mail_inbound m;
	fh_error err = {0};
	fh_status s = mail_inbound_parse(raw, strlen(raw), &arena, &m, &err);
	if (s)
		fail_msg("refused: %s", err.message);
	return m;
}

static void test_unflow_rfc3676(void **state)
{
	(void)state;
	/* soft breaks join; a hard break stays; the signature separator is not flowed */
	assert_string_equal(mail_unflow("one \ntwo\nthree\n-- \nsig\n", false, &arena),
			    "one two\nthree\n-- \nsig\n");
	/* delsp=yes: the space before the soft break goes */
	assert_string_equal(mail_unflow("wrapped-\xc2\xa0\nword \nend\n", false, &arena),
			    "wrapped-\xc2\xa0\nword end\n");
	assert_string_equal(mail_unflow("abc \ndef\n", true, &arena), "abcdef\n");
	/* space-stuffing undone (RFC 3676 §4.4) */
	assert_string_equal(mail_unflow(" From here\n", false, &arena), "From here\n");
	/* quoted lines join only at the same depth, and keep their marks */
	assert_string_equal(mail_unflow(">> deep \n>> er\n> shallow\n", false, &arena),
			    ">> deep er\n> shallow\n");
	assert_string_equal(mail_unflow("> quoted \nnot quoted\n", false, &arena),
			    "> quoted \nnot quoted\n");
}

static void test_html_to_text(void **state)
{
	(void)state;
	const char *html = "<html><head><title>T</title><style>p{}</style></head><body>"
			   "<p>It&#8217;s &#x201c;late&#x201D; &amp; &lt;wrong&gt;&nbsp;now.</p>"
			   "<ul><li>one</li><li>two</li></ul>line<br>break<br><br><br>"
			   "<script>var x = '<p>no</p>';</script><div>  spaced   out  </div></body></html>";
	assert_string_equal(mail_html_to_text(html, strlen(html), &arena),
			    "It\xe2\x80\x99s \xe2\x80\x9clate\xe2\x80\x9d & <wrong> now.\none\ntwo\n"
			    "line\nbreak\n\nspaced out\n");
	/* broken HTML is still read */
	assert_string_equal(mail_html_to_text("<p>a<b>b</p>c", 13, &arena), "ab\nc\n");
	assert_string_equal(mail_html_to_text("", 0, &arena), "");
}

static void test_charsets(void **state)
{
	(void)state;
	/* labelled UTF-8 but not: read as Windows-1252 */
	mail_inbound m = parse_ok("From: a@example.org\nContent-Type: text/plain; charset=utf-8\n\n"
				  "\x93quoted\x94 \x80" "5\n");
	assert_string_equal(m.text, "\xe2\x80\x9cquoted\xe2\x80\x9d \xe2\x82\xac" "5\n");
	/* no label, valid UTF-8: kept */
	m = parse_ok("From: a@example.org\n\ncaf\xc3\xa9\n");
	assert_string_equal(m.text, "caf\xc3\xa9\n");
	/* a charset iconv knows */
	m = parse_ok("From: a@example.org\nContent-Type: text/plain; charset=iso-8859-15\n\n\xa4\n");
	assert_string_equal(m.text, "\xe2\x82\xac\n");
	/* one iconv does not know: Windows-1252 */
	m = parse_ok("From: a@example.org\nContent-Type: text/plain; charset=x-martian\n\n\xa3" "1\n");
	assert_string_equal(m.text, "\xc2\xa3" "1\n");
	/* NUL and other controls go, CRLF is LF, a tab stays */
	m = parse_ok("From: a@example.org\r\n\r\na\x01" "b\tc\r\nd\n");
	assert_string_equal(m.text, "ab\tc\nd\n");
}

static void test_automatic_rfc3834(void **state)
{
	(void)state;
	mail_inbound m = parse_ok("From: a@example.org\nAuto-Submitted: no\n\nhi\n");
	assert_false(m.automatic);
	m = parse_ok("From: a@example.org\nAuto-Submitted: auto-generated\n\nhi\n");
	assert_true(m.automatic);
	assert_string_equal(m.automatic_why, "Auto-Submitted");
	m = parse_ok("From: a@example.org\nPrecedence: bulk\n\nhi\n");
	assert_true(m.automatic);
	assert_string_equal(m.automatic_why, "Precedence");
	m = parse_ok("From: a@example.org\nPrecedence: first-class\n\nhi\n");
	assert_false(m.automatic);
	m = parse_ok("From: postmaster@example.org\nContent-Type: multipart/report; "
		     "report-type=delivery-status; boundary=b\n\n--b\nContent-Type: text/plain\n\n"
		     "failed\n--b--\n");
	assert_true(m.bounce);
	assert_true(m.automatic);
}

static void test_references_rfc5322(void **state)
{
	(void)state;
	mail_inbound m = parse_ok("From: Ann <ANN@Example.org>\nMessage-ID: <m1@x>\n"
				  "In-Reply-To: <sent-2@fh>\nReferences: <sent-1@fh> <sent-2@fh>\n\n.\n");
	assert_string_equal(m.from_address, "ann@example.org");
	assert_string_equal(m.from_name, "Ann");
	assert_string_equal(m.message_id, "m1@x");
	assert_string_equal(m.in_reply_to, "sent-2@fh");
	assert_int_equal(m.n_references, 3);
	assert_string_equal(m.references[0], "sent-2@fh");
	assert_string_equal(m.references[1], "sent-1@fh");
	assert_string_equal(m.references[2], "sent-2@fh");
}

static void test_received_on_rfc5322_3_6_7(void **state)
{
	(void)state;
	/* the first Received header is the one the organisation's own server added */
	mail_inbound m = parse_ok("Received: by mx.council.example; Fri, 20 Nov 2026 18:02:11 +0000\n"
				  "Received: from far.example by relay.example; Thu, 19 Nov 2026 "
				  "10:00:00 +0000\nFrom: a@example.org\n\nhi\n");
	assert_string_equal(m.received_on, "2026-11-20");
	m = parse_ok("From: a@example.org\n\nhi\n");
	assert_string_equal(m.received_on, "");
	m = parse_ok("Received: by mx; no date here\nFrom: a@example.org\n\nhi\n");
	assert_string_equal(m.received_on, "");
}

static void test_alternative_prefers_plain(void **state)
{
	(void)state;
	mail_inbound m = parse_ok("From: a@example.org\nContent-Type: multipart/alternative; boundary=b\n\n"
				  "--b\nContent-Type: text/html\n\n<p>html</p>\n"
				  "--b\nContent-Type: text/plain\n\nplain\n--b--\n");
	/* the line end before a boundary is the boundary's (RFC 2046 §5.1.1) */
	assert_string_equal(m.text, "plain");
	assert_false(m.html_only);
	assert_int_equal(m.n_attachments, 0);
	m = parse_ok("From: a@example.org\nContent-Type: text/html\n\n<p>only &amp; html</p>\n");
	assert_true(m.html_only);
	assert_string_equal(m.text, "only & html\n");
}

static void test_refusals_go_to_quarantine(void **state)
{
	(void)state;
	static const struct {
		const char *raw, *why;
	} cases[] = {
		{"Subject: no sender\n\nhi\n", "has no From address"},
		{"From: not an address\n\nhi\n", "has no From address"},
		{"From: a@example.org\nContent-Type: multipart/mixed\n\n--x\n\nhi\n",
		 "cannot be read: a multipart part has no boundary"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		mail_inbound m;
		fh_error err = {0};
		assert_int_equal(mail_inbound_parse(cases[i].raw, strlen(cases[i].raw), &arena, &m,
						    &err), FH_EINVAL);
		assert_string_equal(err.field, "message");
		assert_string_equal(err.message, cases[i].why);
	}
	/* what the headers said is still there, for the quarantine's list */
	mail_inbound m;
	fh_error err = {0};
	const char *raw = "From: B <b@example.org>\nSubject: help\nMessage-ID: <q@x>\n"
			  "Content-Type: multipart/mixed\n\nhi\n";
	assert_int_equal(mail_inbound_parse(raw, strlen(raw), &arena, &m, &err), FH_EINVAL);
	assert_string_equal(m.from_address, "b@example.org");
	assert_string_equal(m.subject, "help");
	assert_string_equal(m.message_id, "q@x");
}

/* RFC 3464: the returned headers in base64 (as Google's relays send them) are
 * decoded; a Message-ID in the notice for people, or in the body of the
 * returned message, is not read; the status part gives Action and Status. */
static void test_report_rfc3464_base64(void **state)
{
	(void)state;
	/* "From: a@b\r\nMessage-ID: <sent-1@bct.example>\r\n\r\nMessage-ID: <body@x>\r\n" */
	const char *raw =
		"From: MAILER-DAEMON@mx.example\r\nMessage-ID: <r1@mx.example>\r\n"
		"MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status;"
		" boundary=\"R\"\r\n\r\n--R\r\nContent-Type: text/plain\r\n\r\n"
		"Message-ID: <notice@x>\r\n\r\n--R\r\nContent-Type: message/delivery-status\r\n"
		"Content-Transfer-Encoding: base64\r\n\r\n"
		"UmVwb3J0aW5nLU1UQTogZG5zOyBteAoKRmluYWwtUmVjaXBpZW50OiByZmM4MjI7IHBAZXhhbXBs\r\n"
		"ZS5vcmcKQWN0aW9uOiBGYWlsZWQKU3RhdHVzOiA1LjEuMSAodXNlciB1bmtub3duKQo=\r\n"
		"\r\n--R\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n"
		"RnJvbTogYUBiDQpNZXNzYWdlLUlEOiA8c2VudC0xQGJjdC5leGFtcGxlPg0KDQpNZXNzYWdlLUlE\r\n"
		"OiA8Ym9keUB4Pg0K\r\n--R--\r\n";
	mail_report r;
	mail_report_read(raw, strlen(raw), &arena, &r);
	assert_int_equal(r.n_original_ids, 1);
	assert_string_equal(r.original_ids[0], "sent-1@bct.example");
	assert_string_equal(r.action, "failed");
	assert_string_equal(r.status, "5.1.1");
	assert_string_equal(r.recipient, "p@example.org");
	/* not a report: nothing read, whatever its headers say */
	const char *plain = "From: a@b\r\nMessage-ID: <x@y>\r\n\r\nAction: failed\r\n";
	mail_report_read(plain, strlen(plain), &arena, &r);
	assert_int_equal(r.n_original_ids, 0);
	assert_string_equal(r.action, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unflow_rfc3676),
		cmocka_unit_test(test_html_to_text),
		cmocka_unit_test(test_charsets),
		cmocka_unit_test(test_automatic_rfc3834),
		cmocka_unit_test(test_references_rfc5322),
		cmocka_unit_test(test_received_on_rfc5322_3_6_7),
		cmocka_unit_test(test_alternative_prefers_plain),
		cmocka_unit_test(test_refusals_go_to_quarantine),
		cmocka_unit_test(test_report_rfc3464_base64),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
