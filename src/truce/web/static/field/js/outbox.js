// The outbox: every finalised report is written to IndexedDB before
// anything is sent, and stays there with its state:
//
//   queued    waiting to be sent (again)
//   sending   being sent now (after a reload it is simply sent again:
//             the server answers a resent report as it did the first time)
//   received  the server has it, and every evidence file: receipt holds the
//             server's id, content hash and ledger entry
//   refused   the server said no, with every reason; it would say no again
//
// An item keeps the public key that signed it (signedWith): a report must
// reach the server while that key is valid, so the key is replaced only
// once none signed with it is waiting (rekey.js).
//
// Sending goes oldest first. When the server is out of reach (or fails),
// sending pauses with exponential backoff (2 s doubling to 2 min, with
// jitter; the pause is kept in IndexedDB) and then resumes where it
// stopped. It never gives up: not on errors, not across reloads or days.
// One tab at a time sends (Web Locks). Nothing here ever deletes an item.

import { api, ApiError, retryable } from "./api.js";
import { canonical } from "./canonical.js";
import * as db from "./db.js";
import { uploadEvidence } from "./upload.js";

export const BASE_DELAY_MS = 2000;
export const MAX_DELAY_MS = 120000;
export const events = new EventTarget();

let timer = null;
let rules = null;
let running = false;

function changed(item) {
  events.dispatchEvent(new CustomEvent("change", { detail: item }));
}

export function backoff(attempts) {
  const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(delay * (0.75 + Math.random() * 0.5));
}

/** Queue a signed report and its evidence ([{blob, sha256, size, type, name}]);
 *  ``signedWith`` is the public key that signed it (rekey.js waits for these). */
export async function enqueue(signed, files = [], signedWith = null) {
  const evidence = files.map((f) => ({ key: `${signed.id}/${f.sha256}`, sha256: f.sha256, size: f.size, type: f.type, name: f.name, uploaded: false }));
  const item = {
    id: signed.id, createdAt: new Date().toISOString(), body: signed, text: canonical(signed), signedWith,
    evidence, state: "queued", attempts: 0, lastError: null, reasons: [], receipt: null,
  };
  await db.putItemWithBlobs(item, files.map((f) => [`${signed.id}/${f.sha256}`, f.blob]));
  changed(item);
  schedule(0);
  return item;
}

export async function items() {
  const list = await db.all("outbox");
  return list.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
}

function pending(item) {
  return item.state === "queued" || item.state === "sending";
}

async function update(id, change) {
  const item = await db.updateItem(id, (i) => ({ ...i, ...change(i) }));
  if (item) changed(item);
  return item;
}

async function sendOne(item) {
  await update(item.id, () => ({ state: "sending" }));
  const { data: accepted } = await api("/api/reports", { method: "POST", json: item.text });
  await update(item.id, (i) => ({ receipt: { ...(i.receipt || {}), id: accepted.id, received: accepted.received, content_hash: accepted.content_hash } }));
  for (const [n, file] of item.evidence.entries()) {
    if (file.uploaded) continue;
    const blob = await db.get("blobs", file.key);
    try {
      await uploadEvidence(item.id, file, blob, (rules && rules.chunk_bytes) || 1048576, (done, size) => {
        events.dispatchEvent(new CustomEvent("progress", { detail: { id: item.id, file: n, done, size } }));
      });
      await update(item.id, (i) => ({ evidence: i.evidence.map((e, k) => (k === n ? { ...e, uploaded: true, refused: null } : e)) }));
    } catch (error) {
      if (retryable(error) || error.status === 401) throw error;
      await update(item.id, (i) => ({ evidence: i.evidence.map((e, k) => (k === n ? { ...e, refused: error.reasons } : e)) }));
    }
  }
  const { data: found } = await api(`/api/field/receipts?ids=${encodeURIComponent(item.id)}`);
  const receipt = found.data[0];
  return update(item.id, (i) => ({
    state: "received", lastError: null, reasons: [],
    receipt: { ...i.receipt, ledger_seq: receipt.ledger_seq, ledger_hash: receipt.ledger_hash, evidence: receipt.evidence },
    evidenceMatches: i.evidence.every((e) => receipt.evidence.includes(e.sha256)),
  }));
}

async function pause() {
  return (await db.get("prefs", "sync")) || { failures: 0, until: 0 };
}

async function pass() {
  const self = await db.get("device", "self");
  if (!self) return;
  for (const item of await items()) {
    if (!pending(item)) continue;
    try {
      await sendOne(item);
      await db.put("prefs", { failures: 0, until: 0 }, "sync");
    } catch (error) {
      if (error instanceof ApiError && !retryable(error) && error.status !== 401) {
        await update(item.id, () => ({ state: "refused", reasons: error.reasons, lastError: error.message }));
        continue;
      }
      // out of reach, a server error, or the token refused: pause, then resume here
      const failures = (await pause()).failures + 1;
      await db.put("prefs", { failures, until: Date.now() + backoff(failures) }, "sync");
      await update(item.id, (i) => ({
        state: "queued", attempts: i.attempts + 1,
        lastError: error instanceof ApiError ? `${error.status}: ${error.message}` : "offline",
      }));
      break;
    }
  }
}

async function run() {
  timer = null;
  if (running) return;
  // The browser knows it has no network: wait for its "online" event
  // (start() listens) rather than mark an item "sending" that cannot go.
  if (navigator.onLine === false) return;
  const { until } = await pause();
  if (until > Date.now()) { schedule(until - Date.now()); return; }
  running = true;
  try {
    if (navigator.locks) await navigator.locks.request("truce-field-sync", { ifAvailable: true }, (lock) => (lock ? pass() : null));
    else await pass();
  } catch (error) {
    console.error("outbox", error);
  } finally {
    running = false;
  }
  if ((await items()).some(pending)) {
    const { until: next } = await pause();
    schedule(next > Date.now() ? next - Date.now() : 0);
  }
  events.dispatchEvent(new CustomEvent("idle"));
}

export function schedule(ms) {
  if (timer !== null) clearTimeout(timer);
  timer = setTimeout(run, Math.max(0, ms));
}

/** Try every waiting report now (the network is back, or the user asked). */
export async function sendNow() {
  const { failures } = await pause();
  await db.put("prefs", { failures, until: 0 }, "sync");
  schedule(0);
}

/** Send every waiting report now, ignoring the pause, and wait until that
 *  pass is over; resolves with the items still waiting after it. */
export async function flush() {
  const { failures } = await pause();
  await db.put("prefs", { failures, until: 0 }, "sync");
  if (timer !== null) { clearTimeout(timer); timer = null; }
  while (running) await new Promise((resolve) => setTimeout(resolve, 100));
  await run();
  return (await items()).filter(pending);
}

/** When sending resumes, if it is paused (ms since the epoch), else 0. */
export async function pausedUntil() {
  const { until } = await pause();
  return until > Date.now() ? until : 0;
}

export function start(currentRules) {
  rules = currentRules;
  addEventListener("online", () => sendNow());
  schedule(0);
}

export function setRules(currentRules) {
  rules = currentRules;
}

/** The outbox as JSON lines of signed reports: `truce observer sync --outbox FILE` sends them. */
export async function exportJsonl() {
  return (await items()).map((i) => i.text).join("\n") + "\n";
}

/** Receipts as CSV, to reconcile with the mission's records. */
export async function exportReceiptsCsv() {
  const rows = [["id", "kind", "observed_at", "state", "received", "content_hash", "ledger_seq", "ledger_hash", "evidence"]];
  for (const i of await items()) {
    const r = i.receipt || {};
    rows.push([i.id, i.body.kind, i.body.observed_at, i.state, r.received || "", r.content_hash || "", r.ledger_seq ?? "", r.ledger_hash || "", i.evidence.map((e) => e.sha256).join(" ")]);
  }
  return rows.map((row) => row.map((v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))).join(",")).join("\n") + "\n";
}
