#!/usr/bin/env bash
# Install the Debian packages truce needs (PostgreSQL + PostGIS, Chromium,
# poppler, fonts, WeasyPrint's libraries, Node.js/npm, jq for the documented examples), only those missing.
# Idempotent: when everything is present it only runs dpkg-query and exits.
set -euo pipefail

PG_MAJOR="${PG_MAJOR:-15}"   # what Debian 12 (bookworm) ships

PACKAGES=(
  postgresql
  "postgresql-${PG_MAJOR}"
  "postgresql-${PG_MAJOR}-postgis-3"
  "postgresql-${PG_MAJOR}-postgis-3-scripts"
  chromium
  poppler-utils
  jq
  fonts-dejavu-core
  libpango-1.0-0
  libpangoft2-1.0-0
  libpangocairo-1.0-0
  libharfbuzz0b
  libharfbuzz-subset0
  libfontconfig1
  shared-mime-info
)

is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

missing=()
for pkg in "${PACKAGES[@]}"; do
  is_installed "$pkg" || missing+=("$pkg")
done

# npm: the machine may have Node.js from another source that bundles npm;
# only fall back to Debian's packages when no npm is on PATH at all.
if ! command -v npm >/dev/null 2>&1; then
  is_installed nodejs || missing+=(nodejs)
  missing+=(npm)
fi

if [ "${#missing[@]}" -eq 0 ]; then
  echo "system-deps: all present"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo -n)
else
  echo "system-deps: need root (or sudo) to install: ${missing[*]}" >&2
  exit 1
fi

echo "system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
  --no-install-recommends -o Dpkg::Options::=--force-confdef \
  -o Dpkg::Options::=--force-confold "${missing[@]}"
echo "system-deps: done"
