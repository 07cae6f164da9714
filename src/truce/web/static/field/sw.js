// The field app's service worker: keeps the app shell so that /field/ opens
// and takes reports with no network and no server. Shell files are served
// from the cache at once and refreshed from the server in the background
// (stale-while-revalidate), so a new version arrives on the next start.
// API calls are never cached here: the app keeps what it needs in IndexedDB.

const CACHE = "truce-field-shell-v2";
const SHELL = [
  "/field/", "/field/app.css", "/field/manifest.webmanifest", "/field/icon.svg", "/field/icon-192.png", "/field/icon-512.png",
  "/field/js/app.js", "/field/js/api.js", "/field/js/canonical.js", "/field/js/crypto.js", "/field/js/db.js",
  "/field/js/device.js", "/field/js/enrol_scan.js", "/field/js/format.js", "/field/js/i18n.js", "/field/js/map.js",
  "/field/js/outbox.js", "/field/js/rekey.js", "/field/js/scan.js", "/field/js/upload.js", "/field/js/validate.js",
  "/field/i18n/languages.json", "/field/i18n/en.json", "/field/i18n/ru.json",
  "/static/vendor/leaflet/leaflet.js", "/static/vendor/leaflet/leaflet.css",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { cache: "reload" })))).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((names) => Promise.all(names.filter((n) => n.startsWith("truce-field-") && n !== CACHE).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

function shellKey(url) {
  if (url.pathname === "/field" || url.pathname === "/field/" || url.pathname === "/field/index.html") return "/field/";
  return url.pathname;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const key = shellKey(url);
  // vendored libraries are kept as they are first used (jsQR only when a code is scanned)
  if (!SHELL.includes(key) && !url.pathname.startsWith("/static/vendor/leaflet/") && !url.pathname.startsWith("/static/vendor/jsqr/")) return;
  event.respondWith(caches.open(CACHE).then(async (cache) => {
    const kept = await cache.match(key);
    const fresh = fetch(request).then((response) => {
      if (response.ok) cache.put(key, response.clone());
      return response;
    });
    if (kept) {
      event.waitUntil(fresh.catch(() => undefined));
      return kept;
    }
    return fresh;
  }));
});
