// Ed25519 keys and signatures, and SHA-256, with WebCrypto only.
// The device's private key is made non-extractable: it can sign, and it can
// be kept in IndexedDB (a CryptoKey is structured-cloneable), but its bytes
// can never be read back by any script, ours included.

import { signedBytes } from "./canonical.js";

const ED25519 = { name: "Ed25519" };

export function b64(bytes) {
  let s = "";
  const u = new Uint8Array(bytes);
  for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode(...u.subarray(i, i + 0x8000));
  return btoa(s);
}

export function fromB64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

export function hex(bytes) {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}

export function supported() {
  return !!(globalThis.crypto && crypto.subtle && globalThis.indexedDB);
}

/** A new key pair: {privateKey (non-extractable CryptoKey), publicKey (base64 of 32 raw bytes)}. */
export async function generateDeviceKey() {
  const pair = await crypto.subtle.generateKey(ED25519, false, ["sign", "verify"]);
  const raw = await crypto.subtle.exportKey("raw", pair.publicKey);
  return { privateKey: pair.privateKey, publicKey: b64(raw) };
}

/** A private key from a 32-byte RFC 8032 seed: only for test vectors such as
 *  the worked example of docs/canonical-form.md. */
export async function keyFromSeed(seed) {
  const prefix = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];
  const pkcs8 = new Uint8Array([...prefix, ...seed]);
  return crypto.subtle.importKey("pkcs8", pkcs8, ED25519, false, ["sign"]);
}

/** The report with its "signature": Ed25519 over the canonical form without it. */
export async function signReport(report, privateKey) {
  const signature = await crypto.subtle.sign(ED25519, privateKey, signedBytes(report));
  return { ...report, signature: b64(signature) };
}

/** SHA-256 of a Blob or bytes, as 64 lower-case hex digits. */
export async function sha256Hex(data) {
  const buffer = data instanceof Blob ? await data.arrayBuffer() : data;
  return hex(await crypto.subtle.digest("SHA-256", buffer));
}
