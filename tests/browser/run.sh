#!/usr/bin/env bash
# Real-browser tests of the built site: Debian's headless Chromium driven by
# playwright-core (never a downloaded browser), over file:// and loopback HTTP.
# Installs chromium with apt-get when /usr/bin/chromium is missing (CI is root
# on Debian), installs the locked npm packages, builds the fixture site (and
# the real content/ when the repository has one) and runs `node --test` over
# every *.test.mjs here.
# Fails — never skips — when the browser cannot be installed or started.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

if [ ! -x "$CHROMIUM" ]; then
  echo "run.sh: $CHROMIUM missing; installing Debian's chromium" >&2
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium
fi
"$CHROMIUM" --version

cd "$here"
# playwright-core never downloads browsers; the variable makes that explicit.
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$repo"
cargo build --quiet
sites=("$work/fixture")
cargo run --quiet -- build --content tests/fixtures/reading/content --out "$work/fixture"
if [ -d "$repo/content" ]; then
  cargo run --quiet -- build --content content --out "$work/report"
  sites+=("$work/report")
fi

export DOSSIER_ARTIFACTS="${DOSSIER_ARTIFACTS:-$repo/target/browser-artifacts}"
status=0
cd "$here"
for site in "${sites[@]}"; do
  name="$(basename "$site")"
  echo "== browser tests against the $name site" >&2
  fixture=0; [ "$name" = fixture ] && fixture=1
  DOSSIER_SITE="$site" DOSSIER_FIXTURE="$fixture" DOSSIER_ARTIFACTS="$DOSSIER_ARTIFACTS/$name" \
    node --test --test-concurrency=1 ./*.test.mjs || status=$?
done
exit "$status"
