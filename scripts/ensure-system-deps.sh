#!/usr/bin/env bash
# Install the system programs the test suite drives, when they are missing:
#   chromium  - Debian's headless browser for the real-browser tests (Playwright drives it)
#   tj3       - TaskJuggler, the scheduling peer used for cross-checks
#   soffice   - LibreOffice Calc, opens and re-saves the Excel workbooks in the interop tests
#   postgresql - the database server the store tests start (scripts/postgres.sh)
# Needs root and apt-get (Debian/Ubuntu). Elsewhere it only says what is missing; the tests
# that need a program skip without it, except under CI=true where the browser test fails.
set -uo pipefail
declare -A pkg=([chromium]=chromium [tj3]=tj3 [soffice]=libreoffice-calc-nogui)
missing=()
for cmd in "${!pkg[@]}"; do
  command -v "$cmd" > /dev/null 2>&1 || missing+=("${pkg[$cmd]}")
done
# PostgreSQL's programs are not on PATH on Debian: look for initdb where it installs them
ls /usr/lib/postgresql/*/bin/initdb > /dev/null 2>&1 || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get > /dev/null 2>&1; then
  echo "Installing ${missing[*]} with apt-get ..."
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null; }; then
    echo "warning: could not install ${missing[*]}; the tests that need them will skip (CI: fail)" >&2
  fi
else
  echo "note: ${missing[*]} not installed (needs root + apt-get: sudo apt-get install ${missing[*]});" \
       "the tests that need them will skip" >&2
fi
exit 0
