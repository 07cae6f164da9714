#!/usr/bin/env bash
# Fetch Swagger UI (swagger-ui-dist) and ReDoc from the npm registry (only
# when not already in build/npm) and copy the files /docs and /redoc need
# into the package's static vendor dir, so the API docs work with no
# internet. The copies are git-ignored. Tarballs only (`npm pack`): both
# ship self-contained browser bundles, so no dependency tree is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

NPM_DIR=build/npm
DEST=src/truce/web/static/vendor/apidocs
SWAGGER_VERSION="${SWAGGER_VERSION:-5}"
REDOC_VERSION="${REDOC_VERSION:-2.5}"

if ! command -v npm >/dev/null 2>&1; then
  echo "apidocs: npm not found, installing Node.js/npm from Debian"
  scripts/install-system-deps.sh
fi

unpack() {  # unpack NAME SPEC: npm pack the package into build/npm/NAME (once)
  local name="$1" spec="$2"
  [ -f "$NPM_DIR/$name/package.json" ] && return 0
  mkdir -p "$NPM_DIR/$name"
  local tarball
  tarball="$(cd "$NPM_DIR" && npm pack --silent "$spec" | tail -1)"
  tar -xzf "$NPM_DIR/$tarball" -C "$NPM_DIR/$name" --strip-components=1
  rm -f "$NPM_DIR/$tarball"
}

unpack swagger-ui-dist "swagger-ui-dist@${SWAGGER_VERSION}"
unpack redoc "redoc@${REDOC_VERSION}"

S="$NPM_DIR/swagger-ui-dist"
R="$NPM_DIR/redoc"
mkdir -p "$DEST"
cp "$S/swagger-ui-bundle.js" "$S/swagger-ui.css" "$S/favicon-32x32.png" "$DEST/"
cp "$R/bundles/redoc.standalone.js" "$DEST/"
# ReDoc's sidebar footer loads its logo from cdn.redoc.ly: point it at an empty
# inline image, so that nothing on /redoc reaches the internet.
sed -i 's#https://cdn.redoc.ly/redoc/logo-mini.svg#data:image/svg+xml,%3Csvg%20xmlns%3D%22http%3A%2F%2Fwww.w3.org%2F2000%2Fsvg%22%2F%3E#g' \
  "$DEST/redoc.standalone.js"
# Licences travel with the copies.
cp "$S/LICENSE" "$DEST/LICENSE.swagger-ui"
cp "$R/LICENSE" "$DEST/LICENSE.redoc" 2>/dev/null || true
echo "apidocs: vendored into $DEST"
