// The canonical form of docs/canonical-form.md, byte for byte the server's
// truce.domain.canonical.canonical_bytes: keys sorted at every level, no
// whitespace, strings as JSON.stringify writes them (only '"', '\' and
// control characters escaped, everything else literal), numbers in the
// shortest form that reads back to the same double.
//
// JavaScript and Python agree on numbers only where neither uses an
// exponent, so numbers outside that range are refused here rather than
// signed in a form the server would write differently.

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function checkNumber(n, path) {
  if (!Number.isFinite(n)) throw new RangeError(`${path}: NaN and Infinity have no canonical form`);
  if (Number.isInteger(n)) {
    if (Math.abs(n) > MAX_SAFE) throw new RangeError(`${path}: integer beyond 2^53`);
    return;
  }
  const a = Math.abs(n);
  if (a < 1e-4 || a >= 1e15) throw new RangeError(`${path}: ${n} would be written with an exponent`);
}

function sortDeep(value, path) {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") { checkNumber(value, path); return value; }
  if (Array.isArray(value)) return value.map((v, i) => sortDeep(v, `${path}[${i}]`));
  if (typeof value === "object") {
    const out = {};
    // code-point order; every key in a report is ASCII, where this is the byte order too
    for (const key of Object.keys(value).sort()) {
      if (value[key] === undefined) continue;
      out[key] = sortDeep(value[key], path ? `${path}.${key}` : key);
    }
    return out;
  }
  throw new TypeError(`${path}: ${typeof value} is not a JSON value`);
}

/** The canonical text of a JSON value. */
export function canonical(value) {
  return JSON.stringify(sortDeep(value, ""));
}

/** The canonical UTF-8 bytes of a JSON value. */
export function canonicalBytes(value) {
  return new TextEncoder().encode(canonical(value));
}

/** What a signature covers: the report without its "signature" field. */
export function signedBytes(report) {
  const { signature: _ignored, ...unsigned } = report;
  return canonicalBytes(unsigned);
}
