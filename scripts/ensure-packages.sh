#!/usr/bin/env bash
# Install the Debian packages the project needs, only those that are missing:
#   chromium             browser tests (Playwright drives Debian's build; no browser download)
#   poppler-utils        pdftoppm/pdftotext for the PDF tests
#   libharfbuzz-subset0  font subsetting for WeasyPrint's PDFs
#   zbar-tools           decoding the printed QR codes in the tests
#   softhsm2             a software PKCS#11 token for the signing tests
#   gettext              makemessages/compilemessages (the translation tests)
# Usage: ensure-packages.sh [package …]   (default: all of the above)
set -euo pipefail
packages=("$@")
if [ ${#packages[@]} -eq 0 ]; then
  packages=(chromium poppler-utils libharfbuzz-subset0 zbar-tools softhsm2 gettext)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Wait for another apt run (up to 10 minutes) instead of failing on its lock.
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
for p in "${missing[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    echo "Could not install Debian package $p; install it by hand and run again." >&2
    exit 1
  fi
done
