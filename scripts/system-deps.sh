#!/usr/bin/env bash
# Install the Debian packages schoon's tests and PDF reports need, if they are missing:
# PostgreSQL (tests against a real server), Pango/HarfBuzz/fonts (WeasyPrint), poppler-utils (pdftoppm),
# Chromium (the browser tests drive Debian's build, never a downloaded one) and npm (fetches axe-core).
set -euo pipefail
packages=(postgresql libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
# Chromium and npm count as present when their command is (npm often comes with a Node.js build that is not
# Debian's, e.g. NodeSource's, whose nodejs package conflicts with Debian's npm package).
command -v chromium >/dev/null 2>&1 || dpkg -s chromium >/dev/null 2>&1 || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing Debian packages: ${missing[*]} (install them with apt-get as root)" >&2
    exit 1
  fi
  echo "installing Debian packages: ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
