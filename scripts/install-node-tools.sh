#!/usr/bin/env bash
# Installs the npm packages the tests use, into ./node_modules (kept out of
# git by .gitignore), pinned to exact versions, and only when missing, so a
# second run costs a few directory checks: the OpenAPI validator
# (tests/server/test_openapi.sh), and playwright-core with axe-core for the
# browser tests (they drive Debian's /usr/bin/chromium; nothing downloads a
# browser), and oidc-provider, a certified OpenID Provider the single
# sign-on tests start on loopback (tests/sso/).  Needs node and npm (Debian's,
# or any on PATH) and the npm registry.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
packages=("@apidevtools/swagger-parser@10.1.1" "playwright-core@1.65.1" "axe-core@4.14.1"
          "oidc-provider@9.13.3")
missing=()
for p in "${packages[@]}"; do
  name=${p%@*}
  [ -f "$root/node_modules/$name/package.json" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v npm >/dev/null 2>&1; then
  echo "install-node-tools: npm is needed (apt-get install npm)" >&2
  exit 1
fi
# npm removes whatever it was not asked for this time, so all are named.
echo "install-node-tools: installing ${missing[*]}" >&2
cd "$root"
npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error "${packages[@]}" >&2
