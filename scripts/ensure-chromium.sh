#!/usr/bin/env bash
# Make sure Debian's Chromium is at /usr/bin/chromium for the browser tests (Playwright drives it).
# Installs Debian's package when it is missing; never downloads a browser any other way.
set -euo pipefail
CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  exit 0
fi
echo "Chromium is not installed: installing Debian's chromium package" >&2
export DEBIAN_FRONTEND=noninteractive
# Wait for another apt run (up to 10 minutes) instead of failing on its lock.
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium >/dev/null
if [ ! -x "$CHROMIUM" ]; then
  echo "Chromium is still missing at $CHROMIUM after 'apt-get install chromium'." >&2
  echo "Install Debian's chromium package by hand, then run the browser tests again." >&2
  exit 1
fi
echo "Chromium installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")" >&2
