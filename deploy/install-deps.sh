#!/usr/bin/env bash
# Installs what jaarkalender needs to build, run and test on Debian 12. Idempotent: installs only
# what is missing, and runs apt-get update only when something is.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config clang-format
  clang libclang-rt-14-dev                                        # libFuzzer targets
  libsqlite3-dev libssl-dev                                       # the daemon's store and tokens
  libcurl4-openssl-dev                                            # SMTP for reminder e-mail
  python3-aiosmtpd                                                # mail tests (/usr/bin/python3)
  chromium fonts-dejavu-core                                      # web page tests (playwright-core)
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev   # Boost 1.81, not Debian's 1.74
  libical-dev libtomlplusplus-dev libspdlog-dev
  catch2                                                          # v2.13
  python3-icalendar                                               # feed tests (/usr/bin/python3)
  coinor-cbc                                                      # the planner's exact referee (tests)
  libcairo2-dev libpango1.0-dev libxlsxwriter-dev                 # the jaarplanning as PDF and .xlsx
  poppler-utils python3-openpyxl                                  # export tests (/usr/bin/python3)
  libpq-dev                                                       # the PostgreSQL store
  libzip-dev libexpat1-dev                                        # the formatie from an .xlsx
  libzstd-dev                                                     # plans kept compressed in memory
  libqrencode-dev zbar-tools                                      # the subscribe link as a QR code; its test reads it back
  postgresql postgresql-client                                    # its tests: a throw-away cluster
  nginx-light openssl                                             # the shipped nginx site, tested
)
# ical.js runs on Node.js; a machine that already has node (and npm) keeps its own.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# ical.js for the feed tests, pinned by tests/feeds/package-lock.json.
here=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -d "$here/tests/feeds/node_modules/ical.js" ]; then
  (cd "$here/tests/feeds" && npm ci --no-audit --no-fund --loglevel=error)
fi
# playwright-core (drives Debian's chromium; downloads no browser) and axe-core for the web tests,
# pinned by tests/web/package-lock.json.
if [ ! -d "$here/tests/web/node_modules/playwright-core" ] || [ ! -d "$here/tests/web/node_modules/axe-core" ]; then
  (cd "$here/tests/web" && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "install-deps: ok"
