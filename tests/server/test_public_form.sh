#!/usr/bin/env bash
# The public's online form over HTTP (src/web/web_complaint.c): its
# refusals (no CSRF token, the wrong content type, an oversized upload, bad
# answers named field by field), that nothing is written when it refuses,
# and that a complete form records one case through the store with its
# events and a tracking link that only the right token opens; and that
# files waiting in drafts are capped per client address (issue 16 item 4).
# usage: test_public_form.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
server_setup "$fh"

jar=$tmp/jar
count() { fh_sql "$db" "$1"; }
cases_before=$(count "SELECT count(*) FROM cases")

# A browser's first visit: the page carries a token, the cookie its twin.
http GET /o/bct/form/kind -c "$jar" -b "$jar"
expect_eq "$code" 200 "the form's first page answers 200"
token=$(grep -o 'name="csrf_token" value="[^"]*"' <<<"$body" | head -1 | sed 's/.*value="//; s/"$//')
[ ${#token} -eq 43 ]; ok $? "the page carries a CSRF token in a hidden field"
expect_contains "$headers" "fh_csrf=$token; Path=/; HttpOnly; SameSite=Strict" \
  "the same token is set in an HttpOnly SameSite=Strict cookie"

form() { # form STEP [CURL ARGS]: POST a step with the jar's cookies
  local step=$1; shift
  http POST "/o/bct/form/$step" -c "$jar" -b "$jar" "$@"
}

# CSRF (web.h): a missing or wrong token is refused before the handler runs.
form kind -d kind=complaint
expect_eq "$code" 403 "a form sent without its CSRF token is refused (403)"
expect_contains "$body" "This form has expired" "the refusal says the form has expired"
expect_contains "$headers" "text/html" "the refusal is a page"
form kind -d kind=complaint -d "csrf_token=${token%?}x"
expect_eq "$code" 403 "a form sent with a wrong CSRF token is refused (403)"
http POST /o/bct/form/kind -d kind=complaint -d "csrf_token=$token"
expect_eq "$code" 403 "a token without its cookie (another site's page posting it) is refused (403)"
expect_eq "$(count "SELECT count(*) FROM web_drafts")" 0 "nothing was written by the refused forms"

# The body must be a form.
form kind -H 'Content-Type: application/json' --data "{\"kind\":\"complaint\",\"csrf_token\":\"$token\"}"
expect_eq "$code" 415 "a JSON body is refused (415)"
expect_contains "$headers" "text/html" "the 415 is a page"
form kind --data-binary $'kind=complaint&csrf_token='"$token"'&x=%00'
expect_eq "$code" 400 "a value holding a NUL byte is refused (400)"
expect_contains "$body" "x: this answer holds characters that are not text" "the 400 names the field"

# Broken multipart bodies are refused with 400, never read past their end.
for case in "no boundary|multipart/form-data|--x\r\n" \
            "no parts|multipart/form-data; boundary=zz|hello" \
            "no end to the headers|multipart/form-data; boundary=zz|--zz\r\nContent-Disposition: form-data; name=\"a\"" \
            "cut short|multipart/form-data; boundary=zz|--zz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue" \
            "a part without a name|multipart/form-data; boundary=\"zz\"|--zz\r\nX: y\r\n\r\nvalue\r\n--zz--\r\n"; do
  IFS='|' read -r what type payload <<<"$case"
  form documents -H "Content-Type: $type" --data-binary "$(printf "$payload")"
  expect_eq "$code" 400 "a multipart body with $what is refused (400)"
done

fields=$(for i in $(seq 1 1001); do printf 'f%d=x&' "$i"; done)
form kind --data "${fields}csrf_token=$token"
expect_eq "$code" 400 "a form with more than 1,000 fields is refused (400)"

# Bad answers: 422, an error summary linking to each field, nothing saved.
form kind -d "csrf_token=$token"
expect_eq "$code" 422 "a page sent with its question unanswered is shown again (422)"
expect_contains "$body" '<a href="#kind">Select what you would like to tell us</a>' \
  "the error summary links to the field"
expect_contains "$body" '<p class="error-message" id="kind-error">' "the field shows its own error"
expect_contains "$body" 'aria-describedby="kind-error"' "the error is tied to the field for screen readers"
form kind -d "csrf_token=$token" -d kind=grievance
expect_eq "$code" 422 "a kind that is not one of the options is refused (422)"
expect_eq "$(count "SELECT count(*) FROM web_drafts")" 0 "nothing is saved from a page with errors"

# A good first page starts a draft, keyed by a cookie (nothing in the URL).
form kind -d "csrf_token=$token" -d kind=complaint
expect_eq "$code" 303 "a complete page goes on (303)"
expect_contains "$headers" "Location: /o/bct/form/who" "... to the next question"
expect_contains "$headers" "fh_form=fhf_" "the answers are kept under a random token in a cookie"
expect_contains "$headers" "Path=/o/bct/form/; Max-Age=7200; HttpOnly; SameSite=Strict" \
  "the draft's cookie is scoped to the form, HttpOnly and SameSite=Strict"
expect_eq "$(count "SELECT count(*) FROM web_drafts")" 1 "one draft is kept"
expect_eq "$(count "SELECT count(*) FROM web_drafts WHERE answers LIKE '%complaint%'")" 1 "it holds the answer"

form who -d "csrf_token=$token" -d about=child
expect_contains "$headers" "Location: /o/bct/form/child" "someone telling us for a child is asked about the child"
form child -d "csrf_token=$token" -d relationship=parent -d child_dob-day=31 -d child_dob-month=2 -d child_dob-year=2015
expect_eq "$code" 422 "the child's page with missing answers is shown again"
expect_contains "$body" "<a href=\"#child_given_name\">Enter the child's name</a>" "the child's name is asked for"
expect_contains "$body" '<a href="#child_dob">Their date of birth must be a real date</a>' "31 February is not a real date"
expect_contains "$body" '<a href="#consent">Select whether the child agrees to you telling us this</a>' \
  "the child's agreement is asked for (000 \"Friends or relatives\"; 001 §7.4)"
expect_contains "$body" 'value="31"' "what was typed is kept on the page"
form child -d "csrf_token=$token" -d child_given_name='Sam <b>' -d relationship=parent -d consent=given \
  -d child_address='1 Test Street'
expect_eq "$code" 303 "the child's page complete"
form contact -d "csrf_token=$token" -d given_name=Alex -d preferred_contact=email -d email=not-an-email
expect_eq "$code" 422 "a bad email address is refused"
expect_contains "$body" '<a href="#email">Enter an email address in the right format' "the email field is named"
form contact -d "csrf_token=$token" -d given_name=Alex -d preferred_contact=post
expect_contains "$body" '<a href="#address">Enter your address, so we can write to you</a>' \
  "letters by post need an address"
form contact -d "csrf_token=$token" -d given_name=Alex -d family_name=Smith -d preferred_contact=email -d email=alex@example.com
expect_eq "$code" 303 "the contact page complete"
form service -d "csrf_token=$token" -d "service=$(head -c 201 /dev/zero | tr '\0' s)"
expect_contains "$body" "The service must be 200 characters or fewer" "an over-long answer is refused with its limit"
form service -d "csrf_token=$token" -d service=Fostering
form what -d "csrf_token=$token" -d summary='No visits' -d details='Nobody came'
expect_contains "$body" '<a href="#outcome">Tell us what would put things right</a>' \
  "a complaint asks what would put it right (004)"
form what -d "csrf_token=$token" -d summary='No visits' -d details='Nobody came' -d outcome='An apology'
expect_eq "$code" 303 "the what-happened page complete"

# Uploads: multipart on this route only; limits; the bytes must match the name.
head -c $((5 * 1024 * 1024 + 10)) /dev/zero | tr '\0' a >"$tmp/big.txt"
form documents -F "csrf_token=$token" -F continue=1 -F "document=@$tmp/big.txt"
expect_eq "$code" 413 "a file over 5 MB is refused (413)"
expect_contains "$body" "document: each file must be smaller than 5 MB" "the refusal names the field and the limit"
head -c $((12 * 1024 * 1024)) /dev/zero >"$tmp/huge.bin"
form documents -F "csrf_token=$token" -F "document=@$tmp/huge.bin"
expect_eq "$code" 413 "a body over the upload limit is refused before it is read (413)"
expect_contains "$headers" "text/html" "the 413 is a page"
printf 'not really a pdf' >"$tmp/fake.pdf"
form documents -F "csrf_token=$token" -F continue=1 -F "document=@$tmp/fake.pdf"
expect_eq "$code" 422 "a file whose bytes are not its type is refused"
expect_contains "$body" '<a href="#document">The file is empty, or is not the kind of file its name says</a>' \
  "the upload field is named"
form what -F "csrf_token=$token" -F summary=x
expect_eq "$code" 422 "multipart is parsed on a page without files too (the step decides what it needs)"
# Drafts may hold 256 MB of files in all: past that, uploads pause.
count "INSERT INTO web_drafts (token_hash, org_id, created_at, expires_at)
  VALUES ($(fh_blob "$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"), 1, '2026-11-23T00:00:00Z', '2099-01-01T00:00:00Z');
  INSERT INTO web_draft_files (draft_id, filename, content_type, size, content)
  VALUES ((SELECT max(id) FROM web_drafts), 'big.pdf', 'application/pdf', 300000000, $(fh_blob 00))"
printf 'Letter of 3 May' >"$tmp/letter.txt"
form documents -F "csrf_token=$token" -F add=1 -F "document=@$tmp/letter.txt"
expect_eq "$code" 422 "when drafts hold too much, an upload is refused ..."
expect_contains "$body" "We cannot take files at the moment" "... saying so, and that it can be sent later"
count "DELETE FROM web_draft_files WHERE filename = 'big.pdf'; DELETE FROM web_drafts WHERE expires_at = '2099-01-01T00:00:00Z'"
form documents -F "csrf_token=$token" -F add=1 -F "document=@$tmp/letter.txt"
expect_contains "$headers" "Location: /o/bct/form/documents" "Add this file stays on the page"
expect_eq "$(count "SELECT count(*) FROM web_draft_files")" 1 "the file is kept with the draft"
file_id=$(count "SELECT id FROM web_draft_files")
form documents -d "csrf_token=$token" -d "remove=$file_id"
expect_contains "$headers" "Location: /o/bct/form/documents" "Remove stays on the page"
expect_eq "$(count "SELECT count(*) FROM web_draft_files")" 0 "the file is taken off the draft"
form documents -F "csrf_token=$token" -F add=1 -F "document=@$tmp/letter.txt"
form documents -F "csrf_token=$token" -F continue=1
form share -d "csrf_token=$token"
expect_contains "$body" '<a href="#share">' "consent to share must be answered (001 §7.8)"
form share -d "csrf_token=$token" -d share=no
form equality -d "csrf_token=$token" -d eq_dob-day=1 -d eq_dob-month=1 -d eq_dob-year=2090
expect_contains "$body" '<a href="#eq_dob">Date of birth must be in the past</a>' "a date of birth in the future is refused"
form equality -d "csrf_token=$token" -d eq_language=Test-Language-7 -d eq_sex=female
expect_contains "$headers" "Location: /o/bct/form/check" "the last page goes to check your answers"

# Changing an answer from check your answers: back to check, unless the
# change brings questions that were not answered for it.
form who -d "csrf_token=$token" -d about=self_adult -d return=check
expect_contains "$headers" "Location: /o/bct/form/check" "a change that needs nothing more goes back to check"
form who -d "csrf_token=$token" -d about=child -d return=check
expect_contains "$headers" "Location: /o/bct/form/child" \
  "telling us for a child again asks about the child again (001 §7.3, §7.4)"
form child -d "csrf_token=$token" -d child_given_name='Sam <b>' -d relationship=parent -d consent=given \
  -d child_address='1 Test Street' -d return=check
expect_contains "$headers" "Location: /o/bct/form/check" "... and then goes back to check"

http GET /o/bct/form/check -b "$jar"
expect_contains "$body" "Sam &lt;b&gt;" "answers are escaped on the check page"
expect_contains "$body" 'href="/o/bct/form/contact?change=1"' "each answer has a change link"
expect_eq "$(count "SELECT count(*) FROM cases") " "$cases_before " "nothing is recorded before Send"

form check -d send=1
expect_eq "$code" 403 "Send without the token is refused too"
# issue 17 item 5: BCT's file asks for an acknowledgement of online-form contacts by email
"$fh" org export --db "$db" bct | jq '.policy.email = {from: "complaints@bct.example",
  public_url: "https://complaints.bct.example", acknowledge: ["email", "online_form"]}' >"$tmp/bct-ack.json"
"$fh" org apply --db "$db" "$tmp/bct-ack.json" >/dev/null
form check -d "csrf_token=$token"
expect_eq "$code" 200 "Send records the complaint"
ref=$(grep -o 'id="reference">[^<]*' <<<"$body" | sed 's/.*>//')
expect_eq "$(count "SELECT count(*) FROM cases")" "$((cases_before + 1))" "one case is recorded ($ref)"
expect_eq "$(count "SELECT channel || ' ' || kind FROM cases WHERE reference = '$ref'")" "online_form complaint" \
  "as an online-form complaint (001 §6.1; 004)"
expect_eq "$(fh_list "$db" "SELECT e.action FROM events e JOIN cases c ON c.id = e.case_id
  WHERE c.reference = '$ref' ORDER BY e.seq" ' ')" "recorded document_added online_form acknowledgement_queued" \
  "its events: recorded, the document, the form's own (consent to share and the link), the acknowledgement queued"
expect_eq "$(count "SELECT m.kind || '|' || m.state || '|' || m.recipient FROM outbound_messages m JOIN cases c ON c.id = m.case_id WHERE c.reference = '$ref'")" \
  "acknowledgement|queued|alex@example.com" "issue 17 item 5: an online-form contact with an email address is acknowledged by email, as BCT's file asks"
ack_body=$(count "SELECT o.body FROM outbox o JOIN cases c ON c.id = o.case_id WHERE c.reference = '$ref'")
expect_contains "$ack_body" "We will contact you by Wednesday 25 November 2026" \
  "000 \"Stage Two\": the email gives the acknowledgement date the page gives"
expect_contains "$ack_body" "https://complaints.bct.example/o/bct/track/fhl_" "and a tracking link of its own"
expect_eq "$(count "SELECT DISTINCT actor FROM events e JOIN cases c ON c.id = e.case_id WHERE c.reference = '$ref'")" \
  "system:online-form" "the actor is the online form"
expect_eq "$(count "SELECT p.role || ':' || p.relationship || ':' || p.consent FROM case_parties p JOIN cases c ON c.id = p.case_id
  WHERE c.reference = '$ref' ORDER BY p.id LIMIT 1")" "complainant:parent:given" "the parent complains for the child, with consent"
expect_eq "$(count "SELECT pe.address FROM case_parties p JOIN people pe ON pe.id = p.person_id JOIN cases c ON c.id = p.case_id
  WHERE c.reference = '$ref' AND p.role = 'child'")" "1 Test Street" "the child's name and address are recorded (000)"
expect_eq "$(count "SELECT count(*) FROM equality_monitoring WHERE preferred_language = 'Test-Language-7' AND sex = 'Female'")" 1 \
  "the equality answers are stored apart (000)"
expect_eq "$(count "SELECT count(*) FROM web_drafts")" 0 "the draft is gone once sent"
expect_contains "$body" 'id="due">25 November 2026' "the confirmation gives the acknowledgement date: 2 working days after 23 November (000; 004)"
link=$(grep -o 'href="/o/bct/track/[^"]*"' <<<"$body" | sed 's/href="//; s/"$//')
expect_eq "$(count "SELECT count(*) FROM case_tracking WHERE token_hash = $(fh_blob "$(printf %s "${link##*/}" | b2sum -l 256 | cut -c1-64)")")" 1 \
  "only the tracking token's BLAKE2b-256 digest is stored"

form check -d "csrf_token=$token"
expect_eq "$code" 410 "sending the same form twice does not record it twice (410)"

http GET "$link"
expect_eq "$code" 200 "the tracking link opens the case"
expect_contains "$body" "$ref" "it shows the reference"
expect_contains "$body" "25 November 2026" "and when we will acknowledge it"
expect_eq "$(count "SELECT count(*) FROM access_log a JOIN cases c ON c.id = a.case_id WHERE c.reference = '$ref'
  AND a.detail = 'private tracking link'")" 1 "the view is logged as a read of personal data"
"$fh" org export --db "$db" bct | jq 'del(.policy.email)' >"$tmp/bct-no-ack.json"
"$fh" org apply --db "$db" "$tmp/bct-no-ack.json" >/dev/null
last=${link: -1}; [ "$last" = A ] && other=B || other=A
http GET "${link%?}$other"
expect_eq "$code" 404 "a wrong token is refused (404)"
http GET "${link/\/bct\//\/bcp\/}"
expect_eq "$code" 404 "the token under another organisation is refused (404)"

# A compliment: nothing to put right, no clock, passed on (002).
jar=$tmp/jar-compliment
http GET /o/bcp/form/kind -c "$jar" -b "$jar"
token=$(grep -o 'name="csrf_token" value="[^"]*"' <<<"$body" | head -1 | sed 's/.*value="//; s/"$//')
cform() { local step=$1; shift; http POST "/o/bcp/form/$step" -c "$jar" -b "$jar" -d "csrf_token=$token" "$@"; }
cform kind -d kind=compliment
cform who -d about=self_adult
expect_contains "$headers" "Location: /o/bcp/form/contact" "an adult telling us about themselves is not asked about a child"
cform contact -d given_name=Pat -d preferred_contact=phone -d phone='01202 123456'
cform service -d service='Family support'
cform what -d summary='Thank you' -d details='The family support worker was kind and quick.'
expect_contains "$headers" "Location: /o/bcp/form/documents" "a compliment is not asked what would put it right"
cform documents
cform share -d share=no
cform equality
cform check
expect_eq "$code" 200 "the compliment is sent"
expect_contains "$body" "Compliment sent" "the panel says what was sent"
expect_contains "$body" "We will pass what you said on" "with no clock, it says it will be passed on"
cref=$(grep -o 'id="reference">[^<]*' <<<"$body" | sed 's/.*>//')
expect_eq "$(count "SELECT kind || ' ' || route FROM cases WHERE reference = '$cref'")" "compliment recorded" \
  "a compliment is recorded, not triaged ($cref)"

# A case whose stage has been answered: the page says how and by when to
# ask for the next stage, from the procedure's window (001 B Stage 2).
answered=$(fh_json_pick "$db" "SELECT c.reference, l.state FROM cases c JOIN case_lifecycle l ON l.case_id = c.id
  JOIN organisations o ON o.id = c.org_id WHERE o.code = 'bct' AND c.state = 'open' ORDER BY c.id" \
  '.stages[-1].status == "responded"')
[ -n "$answered" ]; ok $? "a demo case with a stage response to follow ($answered)"
known=fhl_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=' | cut -c1-43)
count "INSERT INTO case_tracking (case_id, token_hash, created_at) SELECT id,
  $(fh_blob "$(printf %s "$known" | b2sum -l 256 | cut -c1-64)"), '2026-11-23T09:00:00Z' FROM cases WHERE reference = '$answered'"
http GET "/o/bct/track/$known"
expect_eq "$code" 200 "its tracking link opens it"
expect_contains "$body" "we sent our response on" "it says the stage has been answered"
expect_contains "$body" "If you are not happy with our response" "it says how to go further"
expect_contains "$body" "you can ask for Stage 2" "with the window the procedure allows (001 B Stage 2)"

# Draft storage per client address (issue 16 item 4): files waiting in one
# address's unsent forms are capped (serve --drafts-per-address), so one
# client cannot fill the shared 256 MB and pause uploads for everyone.
# Behind a trusted proxy, X-Forwarded-For names each client.
server_stop
serve_args=(--drafts-per-address 1 --trusted-proxy 127.0.0.1)
server_start "$fh"
head -c 600000 /dev/zero | tr '\0' a >"$tmp/notes.txt"
aform() { # aform STEP [CURL ARGS]: POST a step from $addr through the proxy
  local step=$1; shift
  http POST "/o/bcp/form/$step" -c "$jar" -b "$jar" -H "X-Forwarded-For: $addr" -F "csrf_token=$token" "$@"
}
start_form() { # start_form ADDRESS NAME: a new browser at ADDRESS, up to the documents page
  addr=$1 jar=$tmp/jar-$2
  http GET /o/bcp/form/kind -c "$jar" -b "$jar" -H "X-Forwarded-For: $addr"
  token=$(grep -o 'name="csrf_token" value="[^"]*"' <<<"$body" | head -1 | sed 's/.*value="//; s/"$//')
  aform kind -F kind=compliment
  aform who -F about=self_adult
  aform contact -F given_name=Pat -F preferred_contact=phone -F phone='01202 123456'
  aform service -F service='Family support'
  aform what -F summary='Thank you' -F details='Kind and quick.'
  expect_contains "$headers" "Location: /o/bcp/form/documents" "a form from $addr reaches its documents page"
}
start_form 198.51.100.7 greedy
aform documents -F add=1 -F "document=@$tmp/notes.txt"
expect_contains "$headers" "Location: /o/bcp/form/documents" \
  "a 600 kB file from one address is kept under its 1 MB --drafts-per-address (issue 16 item 4)"
expect_eq "$(count "SELECT count(*) FROM web_drafts WHERE client_ip = '198.51.100.7'")" 1 \
  "the draft records the client address behind the trusted proxy"
aform documents -F add=1 -F "document=@$tmp/notes.txt"
expect_eq "$code" 422 "a second file that would take the address past its cap is refused (issue 16 item 4)"
expect_contains "$body" '<a href="#document">You have sent us as many files as we can keep for now.' \
  "... in the error summary, naming the upload field"
expect_contains "$body" "you can send it to us later by email or post" "... saying how to send it instead"
start_form 198.51.100.7 greedy-again
aform documents -F add=1 -F "document=@$tmp/notes.txt"
expect_eq "$code" 422 "a new form from the same address shares its cap (issue 16 item 4)"
expect_eq "$(count "SELECT count(*) FROM web_draft_files f JOIN web_drafts d ON d.id = f.draft_id
  WHERE d.client_ip = '198.51.100.7'")" 1 "the refused files were not kept"
start_form 203.0.113.9 other
aform documents -F add=1 -F "document=@$tmp/notes.txt"
expect_contains "$headers" "Location: /o/bcp/form/documents" \
  "another address can still upload while the first is at its cap (issue 16 item 4)"
expect_eq "$(count "SELECT count(*) FROM web_draft_files f JOIN web_drafts d ON d.id = f.draft_id
  WHERE d.client_ip = '203.0.113.9'")" 1 "its file is kept with its draft"

"$fh" serve --db "$db" --listen 127.0.0.1:0 --drafts-per-address 0 >"$tmp/flag.out" 2>&1
expect_eq "$?" 2 "--drafts-per-address 0 is a usage error (exit 2)"
expect_contains "$(cat "$tmp/flag.out")" "serve: --drafts-per-address: '0' is not 1..1048576 MB" \
  "... naming the flag and the reason"

done_testing
