#!/usr/bin/env bash
# The corpus of received email the mail tests pipe into `fairhearing mail
# receive`, each message shaped as real mail programs and servers write it.
# usage: corpus.sh DIR   (writes DIR/NAME.eml; a few need REF and PARTY:
# corpus.sh DIR REF PARTY_ADDRESS OUTBOUND_ID)
set -eu
d=$1 ref=${2:-BCT-2026-00001} party=${3:-parent@example.org} outbound=${4:-letter-1@fairhearing.example}
mkdir -p "$d"
crlf() { sed 's/$/\r/'; }

# A minimal PDF and a minimal Word document (a .docx is a ZIP package).
printf '%%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%%%EOF\n' >"$d/letter.pdf"
printf 'PK\003\004\024\000\000\000\010\000word/document.xml contact notes' >"$d/notes.docx"

# 1. multipart/mixed with a PDF attachment, from Thunderbird
{
cat <<MSG
From: "Amira Khan" <Amira.Khan@example.org>
To: complaints@bct.example
Subject: Contact with my son was cancelled
Date: Mon, 23 Nov 2026 09:12:00 +0000
Message-ID: <pdf-1@mail.example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="------------b1"

This is a multi-part message in MIME format.
--------------b1
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 7bit

Contact was cancelled twice this month.
The letter is attached.

--------------b1
Content-Type: application/pdf; name="letter.pdf"
Content-Disposition: attachment; filename="letter.pdf"
Content-Transfer-Encoding: base64

$(base64 "$d/letter.pdf")
--------------b1--
MSG
} | crlf >"$d/pdf.eml"

# 2. a base64 Word file, labelled application/octet-stream as Outlook on the web does
cat >"$d/docx.eml" <<MSG
From: Sam Taylor <sam.taylor@example.net>
To: complaints@bct.example
Subject: My notes from the review meeting
Message-ID: <docx-1@example.net>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="_004_"

--_004_
Content-Type: text/plain; charset="us-ascii"

Please see my notes.

--_004_
Content-Type: application/octet-stream; name="notes.docx"
Content-Disposition: attachment; filename="notes.docx"
Content-Transfer-Encoding: base64

$(base64 "$d/notes.docx")
--_004_--
MSG

# 3. HTML only, from a phone (quoted-printable, entities, a style block)
cat >"$d/html.eml" <<'MSG'
From: <jo.bloggs@example.com>
To: complaints@bct.example
Subject: Sent from my phone
Message-ID: <html-1@phone.example.com>
MIME-Version: 1.0
Content-Type: text/html; charset="utf-8"
Content-Transfer-Encoding: quoted-printable

<html><head><style>p {color: red}</style></head><body><div dir=3D"auto">The soci=
al worker didn&#39;t come &amp; nobody rang.<br>Fees &pound;40 &ndash; unpaid.</div=
><div dir=3D"auto"><br></div><p>Jo</p><script>alert(1)</script></body></html>
MSG

# 4. a forwarded chain: the complaint forwarded inline by a councillor's office
cat >"$d/forward.eml" <<'MSG'
From: Office of Cllr Smith <office@councillor.example>
To: complaints@bct.example
Subject: Fwd: complaint about school transport
Message-ID: <fwd-1@councillor.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: text/plain; charset=utf-8

Please deal with the message below.

--outer
Content-Type: message/rfc822

From: Parent <parent2@example.org>
Subject: School transport
Message-ID: <inner-1@example.org>
Content-Type: text/plain; charset=utf-8

The bus did not come for a week.
--outer--
MSG

# 5. a bounce from Postfix (multipart/report, RFC 3464)
cat >"$d/bounce.eml" <<'MSG'
From: MAILER-DAEMON@mx.bct.example (Mail Delivery System)
To: complaints@bct.example
Subject: Undelivered Mail Returned to Sender
Message-ID: <bounce-1@mx.bct.example>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B1/mx"

--B1/mx
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.bct.example.
I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

--B1/mx
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.bct.example
Final-Recipient: rfc822; nobody@example.org
Action: failed
Status: 5.1.1

--B1/mx--
MSG

# 6. an out-of-office reply
cat >"$d/ooo.eml" <<'MSG'
From: Pat Officer <pat@partner.example>
To: complaints@bct.example
Subject: Automatic reply: Your complaint
Message-ID: <ooo-1@partner.example>
Auto-Submitted: auto-replied
X-Auto-Response-Suppress: All
Content-Type: text/plain; charset=utf-8

I am out of the office until Monday.
MSG

# 7. Windows-1252: a pound sign and curly quotes; taken by the organisation's
# mail server on the Friday and delivered on the Monday (the database was down)
printf 'Received: from mail.example.co.uk by mx.bct.example (Postfix) with ESMTPS id 4Xb2;\n\tFri, 20 Nov 2026 18:02:11 +0000 (GMT)\nFrom: Dee Evans <dee@example.co.uk>\nTo: complaints@bct.example\nSubject: Refund\nMessage-ID: <cp1252-1@example.co.uk>\nContent-Type: text/plain; charset="windows-1252"\nContent-Transfer-Encoding: 8bit\n\nI paid \243120 for the \223contact\224 session \226 it didn\222t happen.\n' >"$d/cp1252.eml"

# 8. ISO-8859-1
printf 'From: =?iso-8859-1?q?Ren=E9e_Dupr=E9?= <renee@example.fr>\nTo: complaints@bct.example\nSubject: R\351union annul\351e\nMessage-ID: <latin1-1@example.fr>\nContent-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: 8bit\n\nLa r\351union a \351t\351 annul\351e. Caf\351 ferm\351.\n' >"$d/latin1.eml"

# 9. an RFC 2047 subject (UTF-8, base64) with format=flowed text and delsp
cat >"$d/flowed.eml" <<'MSG'
From: =?UTF-8?B?w5NzY2FyIE/igJlCcmllbg==?= <oscar@example.ie>
To: complaints@bct.example
Subject: =?UTF-8?B?Q29tcGxhaW50IOKAkyBmb3N0ZXIgY2FyZSDigJxyZXZpZXfigJ0=?=
Message-ID: <flowed-1@example.ie>
Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes

This is one long line that the mail program has wrapped at  
seventy-two characters and flowed.
 From the beginning, a space-stuffed line.
> quoted and  
> flowed
-- 
Oscar
MSG

# 10. an executable attachment, and a ZIP with no place on a case
cat >"$d/exe.eml" <<MSG
From: Lee Grant <lee@example.org>
To: complaints@bct.example
Subject: Invoice attached
Message-ID: <exe-1@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="x"

--x
Content-Type: text/plain

Open the invoice.
--x
Content-Type: application/octet-stream; name="invoice.exe"
Content-Disposition: attachment; filename="invoice.exe"
Content-Transfer-Encoding: base64

$(printf 'MZ\220\000\003\000\000\000' | base64)
--x
Content-Type: application/zip; name="photos.zip"
Content-Disposition: attachment; filename="photos.zip"
Content-Transfer-Encoding: base64

$(printf 'PK\003\004zipped' | base64)
--x--
MSG

# 11. malformed MIME: a multipart with no boundary
cat >"$d/malformed.eml" <<'MSG'
From: Broken Client <broken@example.org>
To: complaints@bct.example
Subject: help
Message-ID: <broken-1@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed

--
Content-Type: text/plain

half a message
MSG

# 12. binary garbage
printf '\000\001\002\377\376garbage\000\n\033[2J\r\n\377\000' >"$d/garbage.eml"

# 13. a reply naming the case in its subject, from a party of the case
cat >"$d/reply-party.eml" <<MSG
From: A Parent <$party>
To: complaints@bct.example
Subject: Re: $ref your letter
Message-ID: <reply-party-1@example.org>
Content-Type: text/plain; charset=utf-8

Thank you. <b>I still</b> want a meeting.
MSG

# 14. the same subject from a stranger
cat >"$d/reply-stranger.eml" <<MSG
From: Someone Else <stranger@example.org>
To: complaints@bct.example
Subject: RE: $ref
Message-ID: <reply-stranger-1@example.org>
Content-Type: text/plain; charset=utf-8

I heard about this case.
MSG

# 15. a reply naming a message Fairhearing sent (In-Reply-To), no reference in the subject
cat >"$d/reply-thread.eml" <<MSG
From: $party
To: complaints@bct.example
Subject: Re: your letter
Message-ID: <reply-thread-1@example.org>
In-Reply-To: <$outbound>
References: <$outbound>
Content-Type: text/plain; charset=utf-8

Replying to your letter.
MSG

# 16. a bounce from Postfix whose returned headers were re-encoded in base64
# on the way (a relay that re-encodes every text part, as Google's does):
# RFC 3464 with Content-Transfer-Encoding: base64 on the text/rfc822-headers
{
cat <<MSG
Return-Path: <>
From: MAILER-DAEMON@mx.bct.example (Mail Delivery System)
To: complaints@bct.example
Subject: Undelivered Mail Returned to Sender
Message-ID: <20261123.b64-1@mx.bct.example>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="7D2E41A0B.1763889012/mx.bct.example"

This is a MIME-encapsulated message.

--7D2E41A0B.1763889012/mx.bct.example
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.bct.example.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. (Message-ID: <not-this@example.org>)

--7D2E41A0B.1763889012/mx.bct.example
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.bct.example
X-Postfix-Queue-ID: 7D2E41A0B
X-Postfix-Sender: rfc822; complaints@bct.example
Arrival-Date: Mon, 23 Nov 2026 09:30:12 +0000 (GMT)

Final-Recipient: rfc822; $party
Original-Recipient: rfc822;$party
Action: failed
Status: 5.2.2
Remote-MTA: dns; mx.example.org
Diagnostic-Code: smtp; 552 5.2.2 <$party>: mailbox full

--7D2E41A0B.1763889012/mx.bct.example
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers
Content-Transfer-Encoding: base64

$(printf 'Return-Path: <complaints@bct.example>\r\nFrom: complaints@bct.example\r\nTo: %s\r\nSubject: Your complaint (%s)\r\nMessage-ID:\r\n <%s>\r\nDate: Mon, 23 Nov 2026 09:30:10 +0000\r\nMIME-Version: 1.0\r\n' "$party" "$ref" "$outbound" | base64 -w 76)

--7D2E41A0B.1763889012/mx.bct.example--
MSG
} | crlf >"$d/bounce-postfix-base64.eml"

# 17. an Exchange Online non-delivery report returning the whole message as
# message/rfc822 in base64, its delivery status in base64 as well
{
cat <<MSG
From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@bct.example>
To: <complaints@bct.example>
Subject: Undeliverable: Your complaint ($ref)
Message-ID: <0c9d5a1e-ndr-4e5b@EXCH02.prod.outlook.example>
Date: Mon, 23 Nov 2026 09:31:40 +0000
Auto-Submitted: auto-replied
X-MS-Exchange-Message-Is-Ndr:
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="_000_0c9d5a1e_"

--_000_0c9d5a1e_
Content-Type: multipart/alternative; boundary="_001_0c9d5a1e_"

--_001_0c9d5a1e_
Content-Type: text/plain; charset="us-ascii"

Your message to $party couldn't be delivered.

--_001_0c9d5a1e_
Content-Type: text/html; charset="us-ascii"

<html><body><p>Your message to <b>$party</b> couldn't be delivered.</p></body></html>

--_001_0c9d5a1e_--

--_000_0c9d5a1e_
Content-Type: message/delivery-status
Content-Transfer-Encoding: base64

$(printf 'Reporting-MTA: dns;EXCH02.prod.outlook.example\r\nReceived-From-MTA: dns;mail.bct.example\r\nArrival-Date: Mon, 23 Nov 2026 09:31:38 +0000\r\n\r\nFinal-Recipient: rfc822;%s\r\nAction: failed\r\nStatus: 5.1.10\r\nDiagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup\r\n' "$party" | base64 -w 76)

--_000_0c9d5a1e_
Content-Type: message/rfc822
Content-Transfer-Encoding: base64

$(printf 'From: complaints@bct.example\r\nTo: %s\r\nSubject: Your complaint (%s)\r\nMessage-ID: <%s>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease find attached our letter about your case %s.\r\nMessage-ID: <not-this-either@example.org>\r\n' "$party" "$ref" "$outbound" "$ref" | base64 -w 76)

--_000_0c9d5a1e_--
MSG
} | crlf >"$d/bounce-exchange-base64.eml"
