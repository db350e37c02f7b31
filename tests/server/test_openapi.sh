#!/usr/bin/env bash
# docs/openapi.yaml is valid OpenAPI 3 (by a standard validator from npm,
# installed by scripts/install-node-tools.sh) and documents exactly the
# routes of src/server/routes.c; docs/api.md mentions every one of them.
# usage: test_openapi.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/../cli/tap.sh"

out=$(bash "$root/scripts/install-node-tools.sh" 2>&1)
ok $? "the OpenAPI validator is installed"
[ -n "$out" ] && diag "$out"

ops=$(node "$here/validate_openapi.js" "$root/node_modules" "$root/docs/openapi.yaml" 2>"${TMPDIR:-/tmp}/fh-openapi.$$")
rc=$?
ok $rc "docs/openapi.yaml is valid OpenAPI 3"
[ $rc -eq 0 ] || diag "$(cat "${TMPDIR:-/tmp}/fh-openapi.$$")"
rm -f "${TMPDIR:-/tmp}/fh-openapi.$$"

routes=$(grep -oE '^\s*\{"(GET|POST|PUT|PATCH|DELETE)", "[^"]+"' "$root/src/server/routes.c" |
  sed -E 's/^\s*\{"([A-Z]+)", "([^"]+)"/\1 \2/' | sort)
# The HTML pages (under /o/, /staff and /assets/) are not the JSON API:
# docs/web.md describes each of them instead.
pages=$(grep -E ' /(o|staff|assets)(/|$)' <<<"$routes")
routes=$(grep -vE ' /(o|staff|assets)(/|$)' <<<"$routes")
while read -r method path; do
  [ -n "$method" ] || continue
  grep -qF -- "$method $path" "$root/docs/web.md"
  ok $? "docs/web.md describes $method $path"
done <<<"$pages"

expect_eq "$ops" "$routes" "the OpenAPI file documents exactly the server's routes"

while read -r method path; do
  grep -qF -- "$method $path" "$root/docs/api.md"
  ok $? "docs/api.md describes $method $path"
done <<<"$routes"

done_testing
