#!/usr/bin/env bash
# Installs the Debian packages Fairhearing builds and tests with, and only those
# that are missing, so that a second run costs a few dpkg look-ups and nothing more.
# Used by `make`, `make run` and `make test`; safe to run by hand.
set -euo pipefail

packages=(
  meson ninja-build pkg-config    # build
  libsqlite3-dev sqlite3          # embedded store (sqlite3 CLI: tests inspect databases)
  libpq-dev                       # PostgreSQL store (libpq)
  postgresql-15 postgresql-client-15   # make test: a throwaway cluster (scripts/pg-cluster.sh), psql
  libsodium-dev                   # BLAKE2b hash chain, argon2id, random tokens
  libjansson-dev                  # JSON
  libcmocka-dev                   # unit tests
  libmicrohttpd-dev               # HTTP server
  curl jq                         # server tests: HTTP requests, JSON answers
  libcairo2-dev libpango1.0-dev   # PDF letters, bundles and reports (real text layout)
  libxlsxwriter-dev unzip         # XLSX reports (unzip: tests open the workbook)
  poppler-utils                   # pdfinfo/pdftotext: tests check every PDF
  libcurl4-openssl-dev            # reminders over SMTP; mail fetch over IMAP
  libgmime-3.0-dev                # mail receive: reading received email (MIME, RFC 2047, charsets)
  libxml2-dev                     # mail receive: the text of an HTML-only email
  liboath-dev                     # second factor: RFC 6238 TOTP codes, base32
  libqrencode-dev                 # second factor: the enrolment QR code, drawn on the server
  dovecot-imapd                   # mail fetch tests: a real IMAP server on loopback (scripts/imap-server.sh)
  openssl                         # remind tests: a certificate for the SMTP sink's STARTTLS
  clang libclang-rt-14-dev        # libFuzzer targets (make fuzz, and briefly in make test)
  chromium                        # browser tests (driven by playwright-core from npm)
  wrk                             # make bench: HTTP load
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
