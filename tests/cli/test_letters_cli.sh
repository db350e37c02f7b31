#!/usr/bin/env bash
# Every letter of every procedure, from a case taken through the procedure
# with `fairhearing case act` on a demo database: each kind renders (text,
# HTML and a PDF checked with pdfinfo and pdftotext), is recorded on the
# case with its audit event, and is refused, naming what is missing, when
# its required content is not yet recorded (DOMAIN §4; 001 §9.2, §7.5,
# B Stage 2, B Stage 3, Appendix A; 003).
# usage: test_letters_cli.sh PATH/TO/fairhearing [K/N]
# With K/N it is shard K of N (tests/cli/tap.sh): the parts are the eight
# procedures' walks and then the letters outside a walk, on a database of
# the shard's own.
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/tap.sh"
shard_set "${2:-1/1}"
procs=$here/../../procedures
tmp=$(mktemp -d /tmp/fh-letters-XXXXXX)
trap 'fh_db_cleanup; rm -rf "$tmp"' EXIT
db=$(fh_db demo)
FAIRHEARING_TODAY=2026-01-05 fh_demo "$fh" "$db" 2026-01-05 ||
  { echo "Bail out! init --demo failed: $(tail -3 "$tmp/init.out")"; exit 1; }

have_pdf_tools=1
command -v pdfinfo >/dev/null && command -v pdftotext >/dev/null || have_pdf_tools=0

day=2026-03-02
next() { day=$(date -d "$day + ${1:-1} days" +%F); } # moves "today" on
fhx() { FAIRHEARING_TODAY=$day "$fh" "$@"; }          # runs the CLI on $day
act() { # act REF ACTION [PARAMS...]: must succeed
  run fhx case act --db "$db" "$@"
  [ "$rc" -eq 0 ] || { ok 1 "$2 on $1 ($day)"; diag "$err"; }
}
letters_of() { fh_sql "$db" "SELECT count(*) FROM letters l JOIN cases c ON c.id = l.case_id WHERE c.reference = '$1'"; }

# letter_ok LABEL REF KIND [ARGS...]: issued and recorded, with its event;
# its PDF is A4 and holds the case reference and $want (when set).
want=
letter_ok() {
  local label=$1 ref=$2 kind=$3
  shift 3
  local before after
  # the case's letters and the letter_issued events, in one look
  counts="SELECT (SELECT count(*) FROM letters l JOIN cases c ON c.id = l.case_id WHERE c.reference = '$ref')
    || ' ' || (SELECT count(*) FROM events WHERE action = 'letter_issued')
    || ' ' || (SELECT coalesce(max(l.id), 0) FROM letters l JOIN cases c ON c.id = l.case_id WHERE c.reference = '$ref')"
  before=($(fh_sql "$db" "$counts"))
  run fhx letter issue --db "$db" --case "$ref" --kind "$kind" --format pdf --out "$tmp/l.pdf" "$@"
  expect_rc 0 "$label: $kind issued (${rule_of[$kind]})"
  after=($(fh_sql "$db" "$counts"))
  expect_eq "${after[0]}" $((before[0] + 1)) "$label: $kind recorded on the case"
  expect_eq "${after[1]}" $((before[1] + 1)) "$label: $kind has its audit event"
  run fhx letter show --db "$db" --case "$ref" --id "${after[2]}" --format html --out "$tmp/l.html"
  grep -q "<h1>" "$tmp/l.html" && grep -q "$ref" "$tmp/l.html"; ok $? "$label: $kind as HTML"
  if [ $have_pdf_tools = 1 ]; then
    pdfinfo "$tmp/l.pdf" >"$tmp/info" 2>&1 && grep -q 'Page size: *595.28 x 841.89' "$tmp/info"
    ok $? "$label: $kind is an A4 PDF"
    local text
    text=$(pdftotext -layout "$tmp/l.pdf" - 2>/dev/null | tr -s ' \n' ' ')
    expect_contains "$text" "$ref" "$label: the PDF carries the reference"
    expect_contains "$text" "Page 1 of" "$label: the PDF's pages are numbered"
    [ -n "$want" ] && expect_contains "$text" "$want" "$label: the PDF says '$want'"
  fi
  want=
}

# The rule each letter comes from, for the tests' names (docs/letters.md).
declare -A rule_of=(
  [acknowledgement]="000; 003 Stage 1; 004" [not_considered]="001 §9.2"
  [sufficient_interest_refusal]="001 §7.5" [extension_notice]="001 B Stage 2; 002"
  [progress_report]="003" [stage_response]="DOMAIN §4; 001 B" [panel_invitation]="001 B Stage 3"
  [behaviour_warning]="001 Appendix A Level 1" [behaviour_restriction]="001 Appendix A Level 2")

# letter_refused LABEL REF KIND WORDS [ARGS...]: exit 2 naming what is missing, nothing recorded.
letter_refused() {
  local label=$1 ref=$2 kind=$3 words=$4
  shift 4
  local before
  before=$(letters_of "$ref")
  run fhx letter issue --db "$db" --case "$ref" --kind "$kind" "$@"
  expect_rc 2 "$label: $kind refused (${rule_of[$kind]:-})"
  expect_contains "$err" "$words" "$label: the refusal names '$words'"
  expect_eq "$(letters_of "$ref")" "$before" "$label: nothing recorded"
}

variants_of() { jq -r '.variants[]?' "$here/../../templates/letters/$1/letters.json" 2>/dev/null; }

# The whole of one procedure: every stage, every letter on the way.
# walk ORG CODE STATUTORY [FILE FROM BEFORE]: FILE is the shipped file the
# procedure is based on (default CODE); FROM and BEFORE bound the day the
# case is received, where the organisation's file chooses the procedure by
# date (orgs/demo/example.json: the LGSCO Code from 2026-04-01).
walk() {
  local org=$1 code=$2 statutory=$3
  local file=$procs/${4:-$code}.json
  local label=$code
  local ref
  [ -n "${5:-}" ] && [[ "$day" < "$5" ]] && day=$5
  [ -n "${6:-}" ] && ! [[ "$day" < "$6" ]] && day=2026-03-02
  if [ "$statutory" = yes ]; then
    ref=$(fhx case add --db "$db" --org "$org" --kind complaint --channel letter --received "$day" \
      --summary "Contact with a sister cancelled" --complainant "Amira Khan" --relationship parent \
      --address "12 Hill Street, Birmingham" --postcode "B12 9QX" \
      --child "Yusuf Khan" --child-status looked_after \
      --point "Contact was cancelled twice" --outcome "A written contact plan" \
      --point "Emails were not answered" --outcome "Replies within two days")
  else
    ref=$(fhx case add --db "$db" --org "$org" --kind complaint --channel letter --received "$day" \
      --summary "Bins missed at the family centre" --complainant "Sam Jones" --relationship self \
      --point "The centre was untidy" --outcome "A cleaning rota" \
      --point "Nobody replied" --outcome "An apology")
  fi
  [ -n "$ref" ]; ok $? "$label: a case ($ref)"
  next
  letter_refused "$label" "$ref" acknowledgement "accept it first"
  act "$ref" acknowledge
  if [ "$statutory" = yes ]; then act "$ref" triage grounds_arose_on=2026-02-20; else act "$ref" triage not_about_child=true; fi
  [ "$(jq -r .consent "$file")" = none ] || act "$ref" consent consent=given
  act "$ref" accept
  act "$ref" assign role=adjudicating_officer user=adjudicator@"$org".demo
  want="Reply expected by"
  letter_ok "$label" "$ref" acknowledgement
  for v in $(variants_of "$org"); do letter_ok "$label ($v)" "$ref" acknowledgement --variant "$v"; done
  local n stages
  stages=$(jq '.stages | length' "$file")
  for n in $(seq 1 "$stages"); do
    local s=".stages[$((n - 1))]"
    next 2
    if [ "$n" -gt 1 ]; then
      act "$ref" request_escalation reason="Still unhappy"
      act "$ref" accept_escalation
      # the stage's own acknowledgement (003 Stage 2; 000 "Stage Two"),
      # which the LGSCO Code's Stage 2 response clock starts from
      [ "$(jq -r "$s.acknowledge // empty | .length" "$file")" != "" ] && act "$ref" acknowledge
    fi
    local responder
    responder=$(jq -r "$s.responder" "$file")
    case "$responder" in adjudicating_officer|reviewing_officer)
      [ "$n" -gt 1 ] && act "$ref" assign role="$responder" user=reviewer@"$org".demo ;; esac
    # 001 §14.3: the written consent to share the stage waits for, as
    # POST /api/v1/cases/{ref}/consents records it (there is no CLI for it)
    if [ "$(jq -r "$s.consent_to_share // empty | length" "$file")" != "" ]; then
      fh_sql "$db" "INSERT INTO data_consents (case_id, person_id, purpose, written, signed, dated_on,
        recorded_by, recorded_at) SELECT c.id, cp.person_id, 'independent_consideration', 1, 1, '$day',
        'test', '$day' FROM cases c JOIN case_parties cp ON cp.case_id = c.id
        WHERE c.reference = '$ref' AND cp.role = 'complainant'"
    fi
    for role in $(jq -r "$s.required_roles[]?" "$file"); do
      [ "$role" = "$responder" ] && [ "$n" -gt 1 ] && continue # assigned above
      case $role in investigating_officer) u=investigator ;; independent_person) u=independent ;; *) u=complaints ;; esac
      act "$ref" assign role="$role" user="$u@$org.demo"
    done
    [ "$(jq -r "$s.statement_of_complaint // false" "$file")" = true ] && act "$ref" agree_statement
    local ext
    ext=$(jq -r "$s.response.extend_to // 0" "$file")
    if [ "$ext" != 0 ]; then
      letter_refused "$label stage $n" "$ref" extension_notice "no extension is recorded"
      local because notice=
      because=$(jq -r "$s.response.extension_reasons[0] // empty" "$file")
      [ "$(jq -r "$s.response.extension_notice // false" "$file")" = true ] && notice="notice_on=$day"
      if [ "$ext" = -1 ]; then
        act "$ref" extend new_due="$(date -d "$day + 40 days" +%F)" reason="A volunteer is away" $notice
        want="A volunteer is away"
        letter_ok "$label stage $n" "$ref" progress_report
      else
        act "$ref" extend to="$ext" reason="Several services are involved" ${because:+because=$because} $notice
        letter_refused "$label stage $n" "$ref" progress_report "extension_notice"
      fi
      want="New reply date"
      [ "$ext" = -1 ] && want="A volunteer is away"
      # LGSCO Code §6.5: the notice gives the Ombudsman's details
      [ "$(jq -r "$s.response.notice_gives_final_resort // false" "$file")" = true ] &&
        want=$(jq -r '.final_resort.name' "$file" | cut -c1-30)
      letter_ok "$label stage $n" "$ref" extension_notice
    fi
    for kind in $(jq -r "$s.required_reports[]?" "$file"); do
      act "$ref" record_report kind="$kind" summary="The $kind report"
    done
    if [ "$(jq -r "$s.addendum_allowed // false" "$file")" = true ]; then
      act "$ref" record_report kind=addendum summary="SECRET-ADDENDUM-$code"
      addendum_case=$ref
    fi
    if [ "$(jq -r "$s.panel // empty | .members" "$file")" != "" ]; then
      act "$ref" assign role=panel_member user=panel@"$org".demo chair=$(jq -r "$s.panel.chair" "$file")
      act "$ref" assign role=panel_member user=panel2@"$org".demo
      act "$ref" assign role=panel_member user=panel3@"$org".demo
      local pdate
      pdate=$(date -d "$day + 28 days" +%F)
      letter_refused "$label stage $n" "$ref" panel_invitation "the panel's date"
      act "$ref" schedule_panel date="$pdate" place="Council House, Room 2"
      letter_refused "$label stage $n" "$ref" panel_invitation "the papers"
      if [ "$(jq -r "$s.panel.invitation_before.length // empty" "$file")" != "" ]; then
        # 001 B Stage 3: not less than 10 working days before the panel
        saved=$day; day=$(date -d "$pdate - 3 days" +%F)
        letter_refused "$label stage $n" "$ref" panel_invitation "working days before the panel" \
          --set "papers=Stage 2 report"
        day=$saved
      fi
      want="Council House, Room 2"
      letter_ok "$label stage $n" "$ref" panel_invitation --set "papers=Stage 2 report;Independent Person's report"
      act "$ref" send_invitation
      day=$pdate
      act "$ref" record_panel
      [ "$(jq -r "$s.panel.chair_report // empty | .length" "$file")" != "" ] && { next 2; act "$ref" issue_chair_report summary="Stage 2 was adequate"; }
    fi
    letter_refused "$label stage $n" "$ref" stage_response "no finding on point 1; no finding on point 2" --stage "$n"
    next 3
    act "$ref" record_finding point=1 outcome=upheld reasoning="Contact was cancelled without notice" outcome_response="A written plan by 1 May"
    letter_refused "$label stage $n" "$ref" stage_response "no finding on point 2"
    act "$ref" record_finding point=2 outcome=not_upheld reasoning="The emails were answered in time" outcome_response="No change is needed"
    letter_refused "$label stage $n" "$ref" stage_response "response is not recorded yet"
    act "$ref" issue_response learning="Tell families before contact changes" \
      'actions:=[{"action": "Brief the team", "owner": "Team Manager", "due_on": "'"$(date -d "$day + 30 days" +%F)"'"}]'
    if [ "$n" -lt "$stages" ]; then want="Stage $((n + 1))"; else want=$(jq -r '.final_resort.name' "$file" | cut -c1-30); fi
    letter_ok "$label stage $n" "$ref" stage_response --stage "$n"
    for v in $(variants_of "$org"); do letter_ok "$label stage $n ($v)" "$ref" stage_response --stage "$n" --variant "$v"; done
    next 1
  done
  # Appendix A: the behaviour letters are fed from values given when issuing.
  letter_refused "$label" "$ref" behaviour_warning "behaviour (give it when issuing); evidence"
  want="Twelve calls a day"
  letter_ok "$label" "$ref" behaviour_warning --set "behaviour=Twelve calls a day to the same officer" --set "evidence=Call log of 1 to 12 March"
  letter_refused "$label" "$ref" behaviour_restriction "review_on" --set behaviour=x --set restrictions=y --set period="3 months"
  want="One call a week"
  letter_ok "$label" "$ref" behaviour_restriction --set "behaviour=Abusive calls" \
    --set "restrictions=One call a week, to the complaints team" --set "period=3 months" \
    --set "review_on=$(date -d "$day + 80 days" +%F)"
  next 3
}

part=0
# (in an order that puts a walk that records an addendum in the shard of
# the last part, the ninth, when there are two, four or five shards)
for w in "bct bct-statutory yes" "bct bct-non-statutory no" "bcp bcp-corporate no" \
  "bcp bcp-children-act yes" "bccc bccc yes" \
  "example example-corporate no example-corporate 2000-01-01 2026-04-01" \
  "example example-statutory yes" "example example-lgsco-code no lgsco-code 2026-04-01 9999-12-31"; do
  part=$((part + 1))
  shard_has $part && walk $w
done
# The last part: the letters outside a walk, and the case file of a case
# with a confidential addendum, which a statutory walk of this shard made,
# or the first one made here when no walk of this shard did.
if ! shard_has $((part + 1)); then
  run "$fh" audit verify --db "$db"
  expect_rc 0 "the audit chain verifies"
  done_testing
  exit
fi
[ -n "${addendum_case:-}" ] || walk bct bct-statutory yes

# 001 §9.2: a complaint not considered, with the reasons that applied.
for org in bct bcp bccc example; do
  next
  ref=$(fhx case add --db "$db" --org "$org" --kind complaint --channel email --received "$day" \
    --summary "A conference decision" --complainant "Lee Park" --relationship parent \
    --child "Ana Park" --child-status child_in_need --point "The conference was wrong")
  letter_refused "$org" "$ref" not_considered "triage has not found a reason"
  act "$ref" triage exclusions=child_protection_conference
  # bct words its reasons in its file (001 §9.1); the others' files word
  # none, so the letter gives the reason's code in words (issue 14 item 14)
  if [ "$org" = bct ]; then want="Child Protection Conferences"; else want="child protection conference"; fi
  letter_ok "$org" "$ref" not_considered
  act "$ref" decline
  [ "$org" = bcp ] || [ "$org" = bccc ] || { [ "$org" = bct ] && want="Child Protection"
    letter_ok "$org (plain)" "$ref" not_considered --variant plain; }
done

# 001 §7.5: a representative refused as not having sufficient interest.
next
ref=$(fhx case add --db "$db" --org bct --kind complaint --channel email --received "$day" \
  --summary "On behalf of a neighbour's child" --complainant "Pat Doe" --relationship sufficient_interest \
  --child "Kim Roe" --child-status looked_after --point "Visits stopped")
letter_refused bct "$ref" sufficient_interest_refusal "no refusal of sufficient interest"
act "$ref" triage sufficient_interest=refused sufficient_interest_reason="No contact with the child for five years"
want="No contact with the child for five years"
letter_ok bct "$ref" sufficient_interest_refusal

# Variants only where the organisation offers them; bad input is exit 2 with a reason.
letter_refused bccc "$(fh_sql "$db" "SELECT reference FROM cases c JOIN organisations o ON o.id = c.org_id WHERE o.code = 'bccc' ORDER BY c.id DESC LIMIT 1")" \
  acknowledgement "does not offer a child-friendly version" --variant child
run fhx letter issue --db "$db" --case "$ref" --kind thank_you
expect_rc 2 "an unknown kind"; expect_contains "$err" "no letter 'thank_you'" "the unknown kind is named"
run fhx letter issue --db "$db" --case "$ref" --kind acknowledgement --variant fancy
expect_rc 2 "an unknown variant"
run fhx letter issue --db "$db" --case "$ref" --kind behaviour_warning --set colour=red
expect_rc 2 "a value the letter does not take"; expect_contains "$err" "colour" "the value is named"
run fhx letter show --db "$db" --case "$ref" --id 999999
expect_rc 2 "a letter that does not exist"
run fhx letter list --db "$db" --case "$ref"
expect_rc 0 "letter list"; expect_contains "$out" "sufficient_interest_refusal" "the list shows the letter"
run fhx letter kinds
expect_rc 0 "letter kinds"; expect_contains "$out" "001 §9.2" "the kinds name their rules"
run fhx letter --help
expect_rc 0 "letter --help"; expect_contains "$out" "letterhead" "the help lists the subcommands"

# A dry run renders and records nothing.
before=$(letters_of "$ref")
run fhx letter issue --db "$db" --case "$ref" --kind sufficient_interest_refusal --dry-run --format text --out -
expect_rc 0 "a dry run"; expect_contains "$out" "five years" "the dry run shows the letter"
expect_eq "$(letters_of "$ref")" "$before" "a dry run records nothing"

# An administrator's template for one organisation wins over the shipped one,
mkdir -p "$tmp/mine/bct"
printf '# Our own subject\nDear {{recipient.name}},\n\n{{interest.reason}}\n' >"$tmp/mine/bct/sufficient_interest_refusal.tmpl"
run fhx letter issue --db "$db" --case "$ref" --kind sufficient_interest_refusal --templates "$tmp/mine" --dry-run --format html --out "$tmp/own.html"
expect_rc 0 "an administrator's template"
grep -q "<h1>Our own subject</h1>" "$tmp/own.html"; ok $? "the administrator's template was used"

# A letter is kept as issued: editing its template afterwards changes nothing.
run fhx letter issue --db "$db" --case "$ref" --kind sufficient_interest_refusal --templates "$tmp/mine"
expect_rc 0 "issued from the administrator's template"
kept=$(fh_sql "$db" "SELECT max(id) FROM letters")
expect_eq "$(fh_sql "$db" "SELECT template FROM letters WHERE id = $kept")" "bct/sufficient_interest_refusal.tmpl" "the letter records the template that made it"
run fhx letter show --db "$db" --case "$ref" --id "$kept"
first=$out
printf '# A different subject\nChanged.\n' >"$tmp/mine/bct/sufficient_interest_refusal.tmpl"
run fhx letter show --db "$db" --case "$ref" --id "$kept"
expect_eq "$out" "$first" "the letter reads the same after its template changed"
expect_contains "$out" "Our own subject" "as it was issued"

# The letterhead's contact details, set with their audit event.
run fhx letter letterhead --db "$db" --org example --phone "01234 567890" --email "complaints@example.gov.uk"
expect_rc 0 "letter letterhead sets the contact details"
expect_contains "$out" "phone	01234 567890" "and shows them"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM events WHERE action = 'organisation_contact_set' AND data LIKE '%01234 567890%'")" 1 "with its audit event"
run fhx letter letterhead --db "$db" --org nowhere --phone 1
expect_rc 2 "an unknown organisation"

# The case file for the Ombudsman: cover, timeline, letters, documents;
# the confidential addendum only with --confidential (001 B Stage 2).
run fhx export case --db "$db" --case "$addendum_case" --out "$tmp/file.pdf"
expect_rc 0 "export case"
if [ $have_pdf_tools = 1 ]; then
  pages=$(pdfinfo "$tmp/file.pdf" | sed -n 's/^Pages: *//p')
  letters=$(letters_of "$addendum_case")
  [ "$pages" -ge $((letters + 3)) ]; ok $? "the bundle has a cover, the timeline, each letter and the documents ($pages pages, $letters letters)"
  text=$(pdftotext "$tmp/file.pdf" - | tr -s ' \n' ' ')
  expect_contains "$text" "Case file $addendum_case" "the cover names the case"
  expect_contains "$text" "Timeline of events" "the timeline is in"
  expect_contains "$text" "Our response to your complaint" "the stage responses are in"
  expect_contains "$text" "excluded: the confidential addendum" "the cover says confidential material is excluded"
  case "$text" in *SECRET-ADDENDUM*) ok 1 "the addendum is not in the bundle" ;; *) ok 0 "the addendum is not in the bundle" ;; esac
  run fhx export case --db "$db" --case "$addendum_case" --out "$tmp/file2.pdf" --confidential
  expect_rc 0 "export case --confidential"
  expect_contains "$(pdftotext "$tmp/file2.pdf" - | tr -s ' \n' ' ')" "SECRET-ADDENDUM-" "with --confidential the addendum is in"
fi
run fhx export case --db "$db" --out "$tmp/x.pdf"
expect_rc 2 "export case without --case"
run fhx export case --db "$db" --case NOPE-1 --out "$tmp/x.pdf"
expect_rc 2 "export case of a reference that is not one"
run fhx export deadlines --db "$db" --user adjudicator@bct.demo --out "$tmp/d.ics"
expect_rc 0 "export deadlines"
head -1 "$tmp/d.ics" | grep -q $'^BEGIN:VCALENDAR\r$'; ok $? "an iCalendar file"
run fhx export deadlines --db "$db" --user nobody@bct.demo --out "$tmp/d.ics"
expect_rc 2 "export deadlines for an unknown user"; expect_contains "$err" "user" "names the user"
run fhx export --help
expect_rc 0 "export --help"

# The audit chain still verifies after all of it.
run "$fh" audit verify --db "$db"
expect_rc 0 "the audit chain verifies"

done_testing
