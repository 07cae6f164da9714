#!/usr/bin/env bash
# Fetch Leaflet + Leaflet.markercluster from the npm registry (only when not
# already in build/npm) and copy their dist files into the package's static
# vendor dir, so the web pages need no CDN. The copies are git-ignored.
set -euo pipefail
cd "$(dirname "$0")/.."

NPM_DIR=build/npm
DEST=src/truce/web/static/vendor/leaflet
LEAFLET_VERSION="${LEAFLET_VERSION:-1.9}"
CLUSTER_VERSION="${CLUSTER_VERSION:-1.5}"

if ! command -v npm >/dev/null 2>&1; then
  echo "leaflet: npm not found, installing Node.js/npm from Debian"
  scripts/install-system-deps.sh
fi

L="$NPM_DIR/node_modules/leaflet/dist"
C="$NPM_DIR/node_modules/leaflet.markercluster/dist"
if [ ! -f "$L/leaflet.js" ] || [ ! -f "$C/leaflet.markercluster.js" ]; then
  mkdir -p "$NPM_DIR"
  npm install --prefix "$NPM_DIR" --no-audit --no-fund --loglevel=error \
    "leaflet@${LEAFLET_VERSION}" "leaflet.markercluster@${CLUSTER_VERSION}"
fi

mkdir -p "$DEST/images"
cp "$L/leaflet.js" "$L/leaflet.js.map" "$L/leaflet.css" "$DEST/" 2>/dev/null \
  || cp "$L/leaflet.js" "$L/leaflet.css" "$DEST/"
cp "$L"/images/* "$DEST/images/"
cp "$C/leaflet.markercluster.js" "$C/MarkerCluster.css" "$C/MarkerCluster.Default.css" "$DEST/"
[ -f "$C/leaflet.markercluster.js.map" ] && cp "$C/leaflet.markercluster.js.map" "$DEST/"
# Licences travel with the copies.
cp "$NPM_DIR/node_modules/leaflet/LICENSE" "$DEST/LICENSE.leaflet" 2>/dev/null || true
cp "$NPM_DIR/node_modules/leaflet.markercluster/MIT-LICENCE.txt" "$DEST/LICENSE.markercluster" 2>/dev/null || true
echo "leaflet: vendored into $DEST"
