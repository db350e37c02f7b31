#!/usr/bin/env bash
# The public pages' benchmark (issue 6 §4): `make bench` runs it through
# bench/run.sh.
#   bash bench/web.sh BUILD_DIR
# Serves a copy of the 100,000-case database of bench/server.sh (made once
# by it, or here), fills in the online form once with curl to get a draft
# and a tracking link, then asks for each public page with wrk on one
# connection and reads the server's own timing of each request from its
# access log (the "ms" field: from the request's arrival to the end of its
# answer), so the figures are server-side render times, not the client's.
# Also weighs each page: its HTML and the stylesheet it links.
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
duration=${FH_BENCH_SECONDS:-5}
ninja -C "$build" fairhearing bench/bench_gen_cases >/dev/null
fh=$build/fairhearing
work=$build/bench-server
mkdir -p "$work"
export FAIRHEARING_TODAY=2026-11-23

bench_cases_db
bench_copy web
echo "database: $(sqlite3 "$db" "SELECT count(*) FROM cases") cases"

log=$work/web-access.log
bench_serve "$work/web-server.out" "$log" --threads 2

# One complete form, for a draft (check your answers) and a tracking link.
jar=$work/web-jar
rm -f "$jar"
page=$(curl -sf -c "$jar" -b "$jar" "$base/o/bct/form/kind")
token=$(grep -o 'name="csrf_token" value="[^"]*"' <<<"$page" | head -1 | sed 's/.*value="//; s/"$//')
step() { curl -sf -o /dev/null -c "$jar" -b "$jar" "$base/o/bct/form/$1" --data-urlencode "csrf_token=$token" "${@:2}"; }
step kind -d kind=complaint
step who -d about=child
step child -d child_given_name=Sam -d relationship=parent -d consent=given
step contact -d given_name=Jo -d preferred_contact=email -d email=jo@example.com
step service -d service=Fostering
step what -d summary='A benchmark complaint' -d details='Measured pages' -d outcome='None'
curl -sf -o /dev/null -c "$jar" -b "$jar" "$base/o/bct/form/documents" -F "csrf_token=$token" -F continue=1
step share -d share=no
step equality
cookie=$(awk '$6 == "fh_form" || $6 == "fh_csrf" {printf "%s=%s; ", $6, $7}' "$jar")
sent=$(curl -sf -c "$jar" -b "$jar" "$base/o/bct/form/check" --data-urlencode "csrf_token=$token")
track=$(grep -o 'href="/o/bct/track/[^"]*"' <<<"$sent" | sed 's/href="//; s/"$//')
# A second draft for check your answers (the first was sent).
rm -f "$jar"
page=$(curl -sf -c "$jar" -b "$jar" "$base/o/bct/form/kind")
token=$(grep -o 'name="csrf_token" value="[^"]*"' <<<"$page" | head -1 | sed 's/.*value="//; s/"$//')
step kind -d kind=compliment
step who -d about=self_adult
step contact -d given_name=Jo -d preferred_contact=email -d email=jo@example.com
step service -d service=Fostering
step what -d summary='Thank you' -d details='Very kind staff'
curl -sf -o /dev/null -c "$jar" -b "$jar" "$base/o/bct/form/documents" -F "csrf_token=$token" -F continue=1
step share -d share=no
step equality
cookie=$(awk '$6 == "fh_form" || $6 == "fh_csrf" {printf "%s=%s; ", $6, $7}' "$jar")

css=$(curl -sf "$base/o/bct/" | grep -oE '/assets/site\.css\?v=[0-9a-f]+')
css_bytes=$(curl -sf "$base$css" | wc -c)
echo "machine: $(nproc) cores; server: 2 worker threads; wrk -t1 -c1 -d${duration}s per page"
printf '%-34s %9s %9s %9s %9s %11s\n' page requests "p50 ms" "p99 ms" "max ms" "bytes+css"
for path in /o/bct/ /o/bct/young-people /o/bct/form/kind /o/bct/form/what /o/bct/form/check "$track"; do
  # The server appends to its log: count the lines before, read the ones after.
  seen=$(wc -l <"$log")
  wrk -t1 -c1 -d"${duration}s" -H "Cookie: $cookie" "$base$path" >/dev/null
  sleep 0.2
  html=$(curl -sf -H "Cookie: $cookie" "$base$path" | wc -c)
  name=$path
  [ "$path" = "$track" ] && name="/o/bct/track/{token}"
  tail -n +"$((seen + 1))" "$log" | grep -aF "\"path\":\"$path\"" | grep -aF '"status":200' |
    sed -E 's/.*"ms":([0-9.]+).*/\1/' | sort -g |
    awk -v name="$name" -v bytes=$((html + css_bytes)) '{ v[NR] = $1 }
      END {
        if (NR == 0) { printf "%-34s no 200 answers\n", name; exit }
        p50 = int(NR * 0.50); if (p50 < 1) p50 = 1
        p99 = int(NR * 0.99); if (p99 < 1) p99 = 1
        printf "%-34s %9d %9.3f %9.3f %9.3f %11d\n", name, NR, v[p50], v[p99], v[NR], bytes
      }'
done
bench_peak_memory
kill -TERM "$pid"
wait "$pid" 2>/dev/null || true
trap - EXIT
