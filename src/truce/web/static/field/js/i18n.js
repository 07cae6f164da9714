// Message catalogues: /field/i18n/<code>.json, one flat object of
// "key": "text with {placeholders}". English is the fallback for a key a
// catalogue lacks. A new language is one more file and one more line in
// languages.json; nothing else changes.

let current = {};
let english = {};
let code = "en";
let names = { en: "English" };

async function fetchJson(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

export async function languages() {
  try { names = await fetchJson("/field/i18n/languages.json"); } catch { /* English only */ }
  return names;
}

export function language() {
  return code;
}

/** The language to start in: the saved choice, else the browser's, else English. */
export function preferred(saved) {
  if (saved && names[saved]) return saved;
  for (const tag of navigator.languages || [navigator.language || "en"]) {
    const base = tag.toLowerCase().split("-")[0];
    if (names[base]) return base;
  }
  return "en";
}

export async function setLanguage(wanted) {
  if (!Object.keys(english).length) english = await fetchJson("/field/i18n/en.json");
  code = names[wanted] ? wanted : "en";
  current = code === "en" ? english : await fetchJson(`/field/i18n/${code}.json`).catch(() => english);
  document.documentElement.lang = code;
  apply(document);
}

export function t(key, params = {}) {
  const text = current[key] ?? english[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (params[name] ?? `{${name}}`));
}

export function has(key) {
  return key in current || key in english;
}

/** Fill every [data-i18n] (text), [data-i18n-aria] (aria-label), [data-i18n-placeholder]. */
export function apply(root) {
  root.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll("[data-i18n-aria]").forEach((el) => el.setAttribute("aria-label", t(el.dataset.i18nAria)));
  root.querySelectorAll("[data-i18n-placeholder]").forEach((el) => el.setAttribute("placeholder", t(el.dataset.i18nPlaceholder)));
}
