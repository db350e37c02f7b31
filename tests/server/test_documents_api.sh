#!/usr/bin/env bash
# Documents on a case over HTTP: uploading each safe type as the raw body,
# listing, downloading byte for byte as an attachment, the audit event
# (without the content) and the access log; refusals (unsafe or lying
# content types 415, a missing or bad filename 400, an empty body 422, an
# oversized one 413); the confidential rule (complaints team and
# adjudicator only) and need to know (other tenants and unassigned officers
# 404).  The route-by-role matrix is in routes.tsv.
# usage: test_documents_api.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
server_setup "$fh"
A=$(auth complaints)

# A bct complaint with the investigator and the adjudicator assigned (and the
# independent person and panel member not), and a second bct case to try ids across cases.
ref=$(fh_sql "$db" "SELECT c.reference FROM cases c JOIN organisations o ON o.id = c.org_id
  WHERE o.code = 'bct' AND c.kind = 'complaint' ORDER BY c.id LIMIT 1")
ref2=$(fh_sql "$db" "SELECT c.reference FROM cases c JOIN organisations o ON o.id = c.org_id
  WHERE o.code = 'bct' AND c.reference <> '$ref' ORDER BY c.id LIMIT 1")
for pair in investigator:investigating_officer adjudicator:adjudicating_officer; do
  login=${pair%%:*} role=${pair#*:}
  fh_sql "$db" "INSERT INTO case_assignments (case_id, stage, user_id, user_email, role, assigned_on)
    SELECT c.id, 1, u.id, u.email, '$role', '2026-11-20' FROM cases c, users u
    WHERE c.reference = '$ref' AND u.email = '$login@bct.demo'"
done
fh_sql "$db" "UPDATE case_assignments SET ended_at = '2026-11-21' WHERE ended_at IS NULL AND
  user_id IN (SELECT id FROM users WHERE email IN ('independent@bct.demo', 'panel@bct.demo')) AND
  case_id = (SELECT id FROM cases WHERE reference = '$ref')"
[ -n "$ref" ] && [ -n "$ref2" ]; ok $? "two bct cases to work on ($ref, $ref2)"
D=/api/v1/cases/$ref/documents

# --- one file of each safe type -------------------------------------------------
printf '%%PDF-1.7\n%%\342\343\317\323\n1 0 obj\n' >"$tmp/letter.pdf"
printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000\000\001' >"$tmp/photo.png"   # NUL bytes inside
printf '\377\330\377\340\000\020JFIF\000' >"$tmp/scan.jpg"
printf 'Notes of a phone call with Mrs Khan.\n' >"$tmp/notes.txt"
printf 'PK\003\004\024\000\006\000[Content_Types].xml' >"$tmp/report.docx"
upload() { # upload FILE TYPE NAME [VISIBILITY] [LOGIN]: sets $code, $body
  local q="filename=$3"
  [ -n "${4:-}" ] && q+="&visibility=$4"
  http POST "$D?$q" -H "$(auth "${5:-complaints}")" -H "Content-Type: $2" --data-binary "@$1"
}
docx=application/vnd.openxmlformats-officedocument.wordprocessingml.document
n=0
for spec in "letter.pdf application/pdf" "photo.png image/png" "scan.jpg image/jpeg" \
            "notes.txt text/plain;%20charset=utf-8" "report.docx $docx"; do
  file=${spec%% *} type=${spec#* }
  upload "$tmp/$file" "${type//%20/ }" "$file"
  expect_eq "$code" 201 "upload $file as ${type//%20/ }: 201"
  n=$((n + 1))
  case $file in letter.pdf)
    pdf_id=$(jq -r .id <<<"$body")
    expect_contains "$headers" "Location: $D/$pdf_id" "201 says where the document is"
    expect_eq "$(jq -r .sha256 <<<"$body")" "$(sha256sum "$tmp/letter.pdf" | cut -c1-64)" "the answer carries the file's SHA-256"
    expect_eq "$(jq -r '.visibility + " " + (.size|tostring)' <<<"$body")" "staff $(stat -c %s "$tmp/letter.pdf")" \
      "visibility defaults to staff; the size is the file's" ;;
  photo.png) png_id=$(jq -r .id <<<"$body") ;;
  notes.txt) expect_eq "$(jq -r .content_type <<<"$body")" text/plain "the type is kept without its parameters" ;;
  esac
done

http GET "$D" -H "$A"
expect_eq "$code" 200 "the list: 200"
expect_eq "$(jq -r '.documents | length' <<<"$body")" $n "lists every document"
expect_eq "$(jq -r '.documents[0] | has("content")' <<<"$body")" false "the list has metadata, not content"

# --- downloading -------------------------------------------------------------------
for id_file in "$pdf_id letter.pdf" "$png_id photo.png"; do
  id=${id_file% *} file=${id_file#* }
  code=$(curl -sS -o "$tmp/down" -D "$tmp/headers" -w '%{http_code}' -H "$A" "$base$D/$id")
  headers=$(tr -d '\r' <"$tmp/headers")
  expect_eq "$code" 200 "download $file: 200"
  cmp -s "$tmp/down" "$tmp/$file"; ok $? "$file comes back byte for byte"
done
expect_contains "$headers" 'Content-Type: image/png' "the download has the stored type"
expect_contains "$headers" 'Content-Disposition: attachment; filename="photo.png"' "the download is an attachment"
expect_contains "$headers" 'X-Content-Type-Options: nosniff' "and is not to be sniffed"
expect_eq "$(fh_sql "$db" "SELECT a.what || ' ' || a.actor || ' ' || a.detail FROM access_log a
  JOIN cases c ON c.id = a.case_id WHERE c.reference = '$ref' ORDER BY a.id DESC LIMIT 1")" \
  "document complaints@bct.demo $png_id photo.png" "a download is in the access log"
upload "$tmp/notes.txt" text/plain "R%C3%A9sum%C3%A9%20d'appel.txt"
expect_eq "$(jq -r .filename <<<"$body")" "Résumé d'appel.txt" "a UTF-8 filename is kept"
http GET "$D/$(jq -r .id <<<"$body")" -H "$A"
expect_contains "$headers" "filename*=UTF-8''R%C3%A9sum%C3%A9%20d%27appel.txt" "and sent percent-encoded (RFC 8187) for download"

# --- the audit chain ------------------------------------------------------------------
expect_eq "$(fh_sql "$db" "SELECT e.data FROM events e JOIN cases c ON c.id = e.case_id
  WHERE c.reference = '$ref' AND e.action = 'document_added' ORDER BY e.id LIMIT 1" | jq -r '"\(.filename) \(.size)"')" "letter.pdf $(stat -c %s "$tmp/letter.pdf")" "an upload is a document_added event with filename and size"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM events WHERE action = 'document_added' AND data LIKE '%Mrs Khan%'")" 0 \
  "the event never carries the content"
run "$fh" audit verify --db "$db"
expect_rc 0 "the audit chain verifies after uploads"

# --- refusals ----------------------------------------------------------------------------
printf '<html><script>alert(1)</script></html>' >"$tmp/page.html"
refused() { # refused STATUS FIELD DESCRIPTION
  expect_eq "$code $(jq -r .error.field <<<"$body")" "$1 $2" "$3"
}
upload "$tmp/page.html" text/html page.html; refused 415 null "text/html: 415"
upload "$tmp/page.html" application/pdf page.pdf; refused 415 content "HTML claiming to be a PDF: 415 naming content"
upload "$tmp/page.html" image/svg+xml x.svg; refused 415 null "SVG (it can carry script): 415"
http POST "$D?filename=x.pdf" -H "$A" --data-binary "@$tmp/letter.pdf" -H 'Content-Type:'
refused 415 null "no Content-Type: 415"
http POST "$D" -H "$A" -H 'Content-Type: application/pdf' --data-binary "@$tmp/letter.pdf"
refused 400 filename "no filename: 400 naming filename"
upload "$tmp/letter.pdf" application/pdf "..%2Fetc%2Fpasswd"; refused 400 filename "a path as filename: 400"
upload "$tmp/letter.pdf" application/pdf "a%0D%0ASet-Cookie:%20x.pdf"; refused 400 filename "a CR LF in the filename: 400"
upload "$tmp/letter.pdf" application/pdf "a%22.pdf"; refused 400 filename "a quote in the filename: 400"
upload "$tmp/letter.pdf" application/pdf "a.pdf" public; refused 400 visibility "an unknown visibility: 400 naming visibility"
: >"$tmp/empty.txt"
upload "$tmp/empty.txt" text/plain empty.txt; refused 422 content "an empty document: 422 naming content"
head -c 1100000 /dev/zero | tr '\0' 'a' >"$tmp/big.txt"
upload "$tmp/big.txt" text/plain big.txt
expect_eq "$code" 413 "a document over the server's body limit: 413"
http GET "$D/abc" -H "$A"; refused 400 id "a document id that is not a number: 400"
http GET "$D/99999" -H "$A"; refused 404 id "an unknown document: 404"
http GET "/api/v1/cases/$ref2/documents/$pdf_id" -H "$A"
expect_eq "$code" 404 "a document asked for under another case: 404"
http PUT "$D/$pdf_id" -H "$A"
expect_eq "$code" 405 "a document is not replaced: 405"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM documents")" $((n + 1)) "no refused upload left anything behind"

# --- confidential documents ---------------------------------------------------------------
upload "$tmp/notes.txt" text/plain addendum.txt confidential investigator
refused 403 visibility "an investigator may not keep a confidential document: 403"
upload "$tmp/notes.txt" text/plain addendum.txt confidential
expect_eq "$code" 201 "the complaints team may"
conf_id=$(jq -r .id <<<"$body")
for who in complaints:200 adjudicator:200 investigator:404 manager:404 head:404 director:404 admin:404; do
  login=${who%%:*} want=${who#*:}
  http GET "$D/$conf_id" -H "$(auth "$login")"
  expect_eq "$code" "$want" "download the confidential document as $login: $want"
  http GET "$D" -H "$(auth "$login")"
  listed=$(jq -r "[.documents[] | select(.id == $conf_id)] | length" <<<"$body")
  expect_eq "$listed" "$([ "$want" = 200 ] && echo 1 || echo 0)" "listed to $login only if they may see it"
done
http GET "/api/v1/cases/$ref/history" -H "$(auth manager)"
expect_eq "$(jq -r "[.events[] | select(.action == \"document_added\" and .data.filename == \"addendum.txt\")] | length" <<<"$body")" 0 \
  "the history hides a confidential document's name from a manager"
http GET "/api/v1/cases/$ref/history" -H "$A"
expect_eq "$(jq -r "[.events[] | select(.action == \"document_added\" and .data.filename == \"addendum.txt\")] | length" <<<"$body")" 1 \
  "and shows it to the complaints team"
# The rule is the caller's place on this case (authz_may_see_confidential; 001 B
# Stage 2), not a role held somewhere in the organisation: a manager who is also an
# adjudicating officer of bct sees the case (manager) but not its confidential
# material until assigned to it.
fh_sql "$db" "INSERT INTO user_roles (user_id, org_id, role) SELECT u.id, o.id,
  'adjudicating_officer' FROM users u, organisations o WHERE u.email = 'manager@bct.demo' AND o.code = 'bct'"
http GET "$D/$conf_id" -H "$(auth manager)"
expect_eq "$code" 404 "001 B Stage 2: an adjudicating officer not on the case may not see its confidential document"
http GET "/api/v1/cases/$ref/history" -H "$(auth manager)"
expect_eq "$(jq -r "[.events[] | select(.action == \"document_added\" and .data.filename == \"addendum.txt\")] | length" <<<"$body")" 0 \
  "001 B Stage 2: nor the confidential event's content"
fh_sql "$db" "INSERT INTO case_assignments (case_id, stage, user_id, user_email, role, assigned_on)
  SELECT c.id, 1, u.id, u.email, 'adjudicating_officer', '2026-11-20' FROM cases c, users u
  WHERE c.reference = '$ref' AND u.email = 'manager@bct.demo'"
http GET "$D/$conf_id" -H "$(auth manager)"
expect_eq "$code" 200 "001 B Stage 2: once assigned to the case as its adjudicating officer, they may"
fh_sql "$db" "DELETE FROM case_assignments WHERE user_email = 'manager@bct.demo'"
fh_sql "$db" "DELETE FROM user_roles WHERE role = 'adjudicating_officer' AND
  user_id = (SELECT id FROM users WHERE email = 'manager@bct.demo')"
http GET "$D/$conf_id" -H "$(auth manager)"
expect_eq "$code" 404 "and a manager alone, again, may not"

# --- need to know ---------------------------------------------------------------------------
upload "$tmp/notes.txt" text/plain interview.txt "" investigator
expect_eq "$code" 201 "an assigned investigator may upload"
for login in independent panel; do # (their assignments to $ref were ended above)
  http GET "$D" -H "$(auth "$login")"
  expect_eq "$code" 404 "an officer not assigned ($login) gets 404 for the list"
  http GET "$D/$pdf_id" -H "$(auth "$login")"
  expect_eq "$code" 404 "... and for a document"
done
http GET "$D/$pdf_id" -H "$(auth complaints bcp)"
expect_eq "$code" 404 "another tenant gets 404 for a document"
upload "$tmp/notes.txt" text/plain x.txt "" complaints; other_before=$(fh_sql "$db" "SELECT count(*) FROM documents")
http POST "$D?filename=x.txt" -H "$(auth complaints bcp)" -H 'Content-Type: text/plain' --data-binary "@$tmp/notes.txt"
expect_eq "$code" 404 "another tenant cannot upload to the case: 404"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM documents")" "$other_before" "and nothing was stored"
http GET "$D"
expect_eq "$code" 401 "nobody signed in: 401"

done_testing
