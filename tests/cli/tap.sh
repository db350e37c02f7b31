# A few lines of TAP for the shell tests: source it, call `ok`/`check`, then `done_testing`.
# Each check prints "ok N - description" or "not ok N - description" with
# what was expected and what came instead as a "#" comment.
tap_n=0
tap_failed=0

diag() { # every line of the arguments as a TAP comment
  printf '%s\n' "$*" | sed 's/^/#   /'
}

ok() { # ok CONDITION-EXIT-STATUS DESCRIPTION
  tap_n=$((tap_n + 1))
  if [ "$1" -eq 0 ]; then echo "ok $tap_n - $2"; else echo "not ok $tap_n - $2"; tap_failed=$((tap_failed + 1)); fi
}

# run CMD...: runs it, keeping $out, $err and $rc for the checks that follow.
run() {
  out=$("$@" 2>/tmp/fh-tap-err.$$); rc=$?
  err=$(cat /tmp/fh-tap-err.$$); rm -f /tmp/fh-tap-err.$$
}

expect_rc() { # expect_rc CODE DESCRIPTION
  [ "$rc" -eq "$1" ]; local s=$?
  ok $s "$2 (exit $1)"
  [ $s -eq 0 ] || diag "got exit $rc; stdout: ${out:0:300}; stderr: ${err:0:300}"
}

expect_contains() { # expect_contains HAYSTACK NEEDLE DESCRIPTION
  case "$1" in *"$2"*) ok 0 "$3" ;; *) ok 1 "$3"; diag "'$2' not in: ${1:0:400}" ;; esac
}

expect_eq() { # expect_eq GOT WANT DESCRIPTION
  [ "$1" = "$2" ]; local s=$?
  ok $s "$3"
  [ $s -eq 0 ] || diag "got '$1', want '$2'"
}

done_testing() {
  echo "1..$tap_n"
  [ $tap_failed -eq 0 ]
}
