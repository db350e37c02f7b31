#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, AddressSanitizer and UBSan, in their
# own build directory so the gcc builds are untouched) and runs each for
# SECONDS over the kept corpus, speaking TAP: one line per target.
#
# usage: run.sh [--build DIR] [SECONDS]     (defaults: build-fuzz, 60)
#        FUZZ_TARGETS="case_json http" run.sh ...   runs only those
#
# New inputs the fuzzer finds go to DIR/corpus/NAME (the kept corpus in
# tests/fuzz/corpus/NAME is read, never written); a crash leaves its input
# in DIR/artifacts/ and the TAP line says where.  Skips (TAP "1..0 # SKIP")
# only when clang or its libFuzzer runtime is missing.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$root/build-fuzz
if [ "${1:-}" = --build ]; then build=$2; shift 2; fi
seconds=${1:-60}
case "$seconds" in ''|*[!0-9]*) echo "run.sh: SECONDS must be a whole number, not '$seconds'" >&2; exit 2 ;; esac

# The targets: every fuzz_NAME.c beside this script (or FUZZ_TARGETS).
targets=${FUZZ_TARGETS:-$(cd "$here" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')}

probe=$(mktemp -d /tmp/fh-fuzz-probe-XXXXXX)
trap 'rm -rf "$probe"' EXIT
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);\n%s\n' \
  'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }' >"$probe/p.c"
if ! command -v clang >/dev/null || ! clang -fsanitize=fuzzer "$probe/p.c" -o "$probe/p" 2>"$probe/err"; then
  echo "1..0 # SKIP clang's libFuzzer runtime is missing (scripts/install-deps.sh installs clang and libclang-rt-14-dev)"
  exit 0
fi

if [ ! -f "$build/build.ninja" ]; then
  if ! CC=clang nice meson setup "$build" "$root" --buildtype=debug -Db_sanitize=address,undefined \
      -Dfuzz=true >"$probe/setup.log" 2>&1; then
    echo "Bail out! meson setup of $build failed: $(tail -3 "$probe/setup.log")"
    exit 1
  fi
fi
ninja_targets=$(for t in $targets; do printf 'tests/fuzz/fuzz_%s ' "$t"; done)
# shellcheck disable=SC2086
if ! nice ninja -C "$build" $ninja_targets >"$probe/build.log" 2>&1; then
  echo "Bail out! building the fuzz targets failed: $(grep -m3 -E 'error|FAILED' "$probe/build.log")"
  exit 1
fi

n=0 failed=0
for t in $targets; do
  n=$((n + 1))
  mkdir -p "$build/corpus/$t" "$build/artifacts"
  dict=()
  [ -f "$here/$t.dict" ] && dict=(-dict="$here/$t.dict")
  log=$build/fuzz-$t.log
  # -timeout: one input taking over 10 s is a hang, reported as a failure.
  "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" "${dict[@]}" \
    "$build/corpus/$t" "$here/corpus/$t" >"$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  if [ $rc -eq 0 ]; then
    echo "ok $n - fuzz_$t: ${runs:-?} inputs in ${seconds}s, no crash, leak, hang or undefined behaviour"
  else
    failed=$((failed + 1))
    echo "not ok $n - fuzz_$t found a failure (exit $rc)"
    grep -m1 -E 'ERROR|SUMMARY|runtime error|Assertion' "$log" | sed 's/^/#   /'
    grep -m1 -E "Test unit written to" "$log" | sed 's/^/#   /'
    echo "#   full log: $log"
  fi
done
echo "1..$n"
[ $failed -eq 0 ]
