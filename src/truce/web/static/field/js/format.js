// How the screens write times and sizes, in the chosen language.

import { language } from "./i18n.js";

/** An ISO time as a medium date and short time, or the text itself if it is none. */
export function when(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(language(), { dateStyle: "medium", timeStyle: "short" });
}

/** Bytes as "1.5 MB" or "12 kB". */
export function size(bytes) {
  return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} kB`;
}
