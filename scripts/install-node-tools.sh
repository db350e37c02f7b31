#!/usr/bin/env bash
# Installs the npm packages the tests use, into ./node_modules (kept out of
# git by .gitignore), pinned to exact versions, and only when missing, so a
# second run costs one directory check.  Today that is the OpenAPI
# validator (tests/server/test_openapi.sh).  Needs node and npm (Debian's,
# or any on PATH) and the npm registry.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
packages=("@apidevtools/swagger-parser@10.1.1")
if [ -f "$root/node_modules/@apidevtools/swagger-parser/package.json" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "install-node-tools: npm is needed (apt-get install npm)" >&2
  exit 1
fi
echo "install-node-tools: installing ${packages[*]}" >&2
cd "$root"
npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error "${packages[@]}" >&2
