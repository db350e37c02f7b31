#!/usr/bin/env bash
# Runs one browser spec: makes sure playwright-core and axe-core are there
# (scripts/install-node-tools.sh; a no-op when they are), then the spec,
# which prints TAP.
# usage: run.sh SPEC.js PATH/TO/fairhearing BUILD_DIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
if ! out=$(bash "$here/../../scripts/install-node-tools.sh" 2>&1); then
  echo "Bail out! the browser test tools could not be installed: $out"
  exit 1
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "Bail out! /usr/bin/chromium is missing (scripts/install-deps.sh installs it)"
  exit 1
fi
exec node "$here/$(basename "$1")" "$2" "$3"
