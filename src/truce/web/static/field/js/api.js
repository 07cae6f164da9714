// Calls to the truce API from the device: the token from enrolment, and
// errors as {status, reasons: [{field, reason}], detail} from problem+json.

import * as db from "./db.js";

export class ApiError extends Error {
  constructor(status, detail, reasons) {
    super(detail);
    this.status = status;
    this.reasons = reasons;
  }
}

/** A network failure or an answer that says "try again later". */
export function retryable(error) {
  return !(error instanceof ApiError) || error.status >= 500 || error.status === 429 || error.status === 408;
}

export async function device() {
  return db.get("device", "self");
}

export async function api(path, { method = "GET", json, body, headers = {}, token } = {}) {
  const h = { Accept: "application/json", ...headers };
  const self = token === undefined ? await device() : null;
  const bearer = token || (self && self.token);
  if (bearer) h.Authorization = `Bearer ${bearer}`;
  let payload = body;
  if (json !== undefined) { h["Content-Type"] = "application/json"; payload = typeof json === "string" ? json : JSON.stringify(json); }
  const response = await fetch(path, { method, headers: h, body: payload, cache: "no-store" });
  const type = response.headers.get("content-type") || "";
  const data = type.includes("json") ? await response.json().catch(() => null) : await response.text();
  if (!response.ok) {
    const detail = (data && data.detail) || response.statusText || `HTTP ${response.status}`;
    const reasons = (data && data.errors) || [{ field: "", reason: detail }];
    throw new ApiError(response.status, detail, reasons);
  }
  return { data, response };
}
