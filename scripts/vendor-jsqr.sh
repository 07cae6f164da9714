#!/usr/bin/env bash
# Fetch jsQR (a QR code decoder in plain JavaScript, Apache-2.0, no
# dependencies) from the npm registry (only when not already in build/npm)
# and copy its browser bundle into the package's static vendor dir: the field
# app decodes an enrolment QR code with it where the browser has no
# BarcodeDetector. The copy is git-ignored. A tarball only (`npm pack`).
set -euo pipefail
cd "$(dirname "$0")/.."

NPM_DIR=build/npm
DEST=src/truce/web/static/vendor/jsqr
JSQR_VERSION="${JSQR_VERSION:-1.4}"

if ! command -v npm >/dev/null 2>&1; then
  echo "jsqr: npm not found, installing Node.js/npm from Debian"
  scripts/install-system-deps.sh
fi

J="$NPM_DIR/jsqr"
if [ ! -f "$J/dist/jsQR.js" ]; then
  mkdir -p "$J"
  tarball="$(cd "$NPM_DIR" && npm pack --silent "jsqr@${JSQR_VERSION}" | tail -1)"
  tar -xzf "$NPM_DIR/$tarball" -C "$J" --strip-components=1
  rm -f "$NPM_DIR/$tarball"
fi

mkdir -p "$DEST"
cp "$J/dist/jsQR.js" "$DEST/"
# The licence travels with the copy.
cp "$J/LICENSE" "$DEST/LICENSE.jsqr" 2>/dev/null || true
echo "jsqr: vendored into $DEST"
