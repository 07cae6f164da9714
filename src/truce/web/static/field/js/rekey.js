// Replacing this device's signing key (POST /api/users/me/key): a new
// non-extractable Ed25519 key pair, and a request naming it that the
// current key signs (docs/ledger.md, "Keys and roles").
//
// The server checks a report against the key valid when it receives it, so
// a report signed with the current key must reach the server before the key
// changes, or it would be refused. The outbox is therefore sent first, and
// the key is replaced only when no report signed with it is still waiting;
// reports made meanwhile wait for the replacement and are signed with the
// new key. If the answer to the request is lost, the new key is kept aside
// (device.nextKey) until the server says which key it holds (settle()).

import { api, ApiError } from "./api.js";
import { generateDeviceKey, signReport } from "./crypto.js";
import * as db from "./db.js";
import * as outbox from "./outbox.js";

export const REQUEST_TYPE = "truce.key-replacement/v1";

/** Why the key was not replaced: {code} names a message ("key.<code>"), params fill it. */
export class KeyError extends Error {
  constructor(code, params = {}) {
    super(params.reason || code);
    this.code = code;
    this.params = params;
  }
}

let busy = null;

/** Resolves when no replacement is under way (the report form waits on it). */
export function idle() {
  return busy || Promise.resolve();
}

function switched(device, key, validFrom) {
  const earlier = { publicKey: device.publicKey, from: device.keyFrom || device.enrolledAt, until: validFrom };
  const { nextKey: _done, ...rest } = device;
  return { ...rest, privateKey: key.privateKey, publicKey: key.publicKey, keyFrom: validFrom, earlierKeys: [...(device.earlierKeys || []), earlier] };
}

/** If a replacement's answer was lost, ask the server which key it holds and
 *  follow it; returns the device as it is now (unchanged when offline). */
export async function settle(device) {
  if (!device || !device.nextKey) return device;
  let current;
  try { current = (await api("/api/users/me")).data.public_key; } catch { return device; }
  let now = device;
  if (current === device.nextKey.publicKey) now = switched(device, device.nextKey, device.nextKey.requestedAt);
  else { const { nextKey: _dropped, ...rest } = device; now = rest; }
  await db.put("device", now, "self");
  return now;
}

async function replace(device, reason) {
  if (navigator.onLine === false) throw new KeyError("offline");
  device = await settle(device);
  const waiting = (await outbox.flush()).filter((i) => (i.signedWith || device.publicKey) === device.publicKey);
  if (waiting.length) throw new KeyError("waiting", { n: waiting.length });
  const key = await generateDeviceKey();
  const request = await signReport({ type: REQUEST_TYPE, user: device.name, replaces: device.publicKey, public_key: key.publicKey, reason }, device.privateKey);
  await db.put("device", { ...device, nextKey: { ...key, requestedAt: new Date().toISOString() } }, "self");
  let answer;
  try {
    answer = (await api("/api/users/me/key", { method: "POST", json: request })).data;
  } catch (error) {
    if (error instanceof ApiError) {
      await db.put("device", device, "self"); // refused: the new key is dropped, the old one stays
      throw new KeyError("refused", { reason: error.reasons.map((r) => r.reason).join("; ") || error.message });
    }
    const now = await settle(await db.get("device", "self"));
    if (now.publicKey === key.publicKey) return now; // it was replaced; only the answer was lost
    throw new KeyError("offline");
  }
  const now = switched(device, key, answer.valid_from);
  await db.put("device", now, "self");
  return now;
}

/** Replace the key of ``device`` (from IndexedDB) giving ``reason``; resolves
 *  with the device as stored after, or throws KeyError (the old key stays). */
export function replaceKey(device, reason) {
  if (busy) return Promise.reject(new KeyError("busy"));
  busy = replace(device, reason).finally(() => { busy = null; });
  return busy;
}
