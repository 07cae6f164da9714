// Every rule the server applies to a report, checked on the device before
// the report is signed, with every problem returned at once.
//
// Most rules come from the server itself: the report document's JSON Schema
// (GET /api/field/rules, from truce.service.report_format.ObserverReport)
// gives types, enumerations, ranges, lengths, patterns and unknown fields.
// The rest are the server's own checks, mirrored here, each naming where
// the server makes it:
//   - bearing_deg and distance_m together (Observation._bearing_with_distance)
//   - a kind's details (ObserverReport._kind_has_its_details)
//   - observed_at not ahead of the clock by more than future_tolerance_s,
//     and with a UTC offset (service.observer_reports.submit_observer_report)
//   - the position and every estimated target inside the theatre
//     (service.observer_reports.check_in_theatre; the estimate here is
//     spherical, the server's ellipsoidal: they differ by metres)
//   - each evidence file within max_upload_bytes and of an allowed type
//     (service.uploads.start_upload)
//
// A problem is {field: "observations.0.distance_m", code, params}; the
// interface turns codes into words through the message catalogue.

function resolve(schema, root) {
  if (schema && schema.$ref) {
    const name = schema.$ref.replace("#/$defs/", "");
    return resolve(root.$defs[name], root);
  }
  return schema;
}

function typeOk(type, value) {
  switch (type) {
    case "null": return value === null;
    case "string": return typeof value === "string";
    case "integer": return Number.isInteger(value);
    case "number": return typeof value === "number" && Number.isFinite(value);
    case "boolean": return typeof value === "boolean";
    case "array": return Array.isArray(value);
    case "object": return value !== null && typeof value === "object" && !Array.isArray(value);
    default: return true;
  }
}

function check(schema, value, path, root, problems) {
  schema = resolve(schema, root);
  if (!schema) return;
  if (schema.anyOf) {
    // the first branch whose type fits decides (pydantic's "X or null")
    const branch = schema.anyOf.map((s) => resolve(s, root)).find((s) => !s.type || typeOk(s.type, value));
    if (!branch) { problems.push({ field: path, code: "type", params: {} }); return; }
    check(branch, value, path, root, problems);
    return;
  }
  if (schema.type && !typeOk(schema.type, value)) {
    problems.push({ field: path, code: value === null || value === "" ? "required" : "type", params: { type: schema.type } });
    return;
  }
  if (schema.enum && !schema.enum.includes(value)) problems.push({ field: path, code: "enum", params: { allowed: schema.enum.join(", ") } });
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength) problems.push({ field: path, code: "required", params: {} });
    if (schema.maxLength !== undefined && value.length > schema.maxLength) problems.push({ field: path, code: "too_long", params: { max: schema.maxLength } });
    if (schema.pattern && !new RegExp(schema.pattern).test(value)) problems.push({ field: path, code: "pattern", params: {} });
    if (schema.format === "uuid" && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) problems.push({ field: path, code: "pattern", params: {} });
    if (schema.format === "date-time" && Number.isNaN(Date.parse(value))) problems.push({ field: path, code: "time", params: {} });
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push({ field: path, code: "min", params: { min: schema.minimum } });
    if (schema.maximum !== undefined && value > schema.maximum) problems.push({ field: path, code: "max", params: { max: schema.maximum } });
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) problems.push({ field: path, code: "above", params: { min: schema.exclusiveMinimum } });
    if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) problems.push({ field: path, code: "below", params: { max: schema.exclusiveMaximum } });
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) problems.push({ field: path, code: "too_many", params: { max: schema.maxItems } });
    value.forEach((v, i) => check(schema.items, v, join(path, i), root, problems));
  }
  if (schema.type === "object" && typeOk("object", value)) {
    for (const name of schema.required || []) {
      if (value[name] === undefined) problems.push({ field: join(path, name), code: "required", params: {} });
    }
    for (const [name, v] of Object.entries(value)) {
      if (v === undefined) continue; // left out: the canonical form drops it
      const sub = (schema.properties || {})[name];
      if (!sub) {
        if (schema.additionalProperties === false) problems.push({ field: join(path, name), code: "unknown_field", params: {} });
        continue;
      }
      check(sub, v, join(path, name), root, problems);
    }
  }
}

function join(path, name) {
  return path === "" ? String(name) : `${path}.${name}`;
}

const EARTH_M = 6371008.8;

/** Where a bearing and distance from a point lead (spherical Earth). */
export function destination(lat, lon, bearingDeg, distanceM) {
  const r = Math.PI / 180, d = distanceM / EARTH_M, b = bearingDeg * r, p1 = lat * r;
  const p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(b));
  const l2 = lon * r + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * Math.sin(p2));
  return { latitude: p2 / r, longitude: l2 / r };
}

function inTheatre(theatre, lat, lon) {
  return theatre.south <= lat && lat <= theatre.north && theatre.west <= lon && lon <= theatre.east;
}

/**
 * Every problem with ``report`` (unsigned) and its ``files`` ([{size, type}])
 * under ``rules`` (from GET /api/field/rules), at time ``now`` (a Date).
 */
export function validateReport(report, files, rules, now = new Date()) {
  const problems = [];
  const schema = rules.schema;
  const body = { ...report, signature: report.signature || "unsigned" };
  check(schema, body, "", schema, problems);
  const kind = report.kind;
  if (kind === "incident" && !(report.observations || []).length) problems.push({ field: "observations", code: "incident_needs_observation", params: {} });
  if (kind === "restriction" && !report.restriction) problems.push({ field: "restriction", code: "required", params: {} });
  if (kind === "jamming" && !report.jamming) problems.push({ field: "jamming", code: "required", params: {} });
  (report.observations || []).forEach((o, i) => {
    const hasBearing = o.bearing_deg !== undefined && o.bearing_deg !== null;
    const hasDistance = o.distance_m !== undefined && o.distance_m !== null;
    if (hasBearing !== hasDistance) problems.push({ field: `observations.${i}.${hasBearing ? "distance_m" : "bearing_deg"}`, code: "bearing_with_distance", params: {} });
  });
  if (typeof report.observed_at === "string") {
    if (!/(Z|[+-]\d\d:\d\d)$/.test(report.observed_at)) problems.push({ field: "observed_at", code: "no_offset", params: {} });
    const when = Date.parse(report.observed_at);
    if (!Number.isNaN(when) && when > now.getTime() + rules.future_tolerance_s * 1000) problems.push({ field: "observed_at", code: "future", params: { minutes: Math.round(rules.future_tolerance_s / 60) } });
  }
  const pos = report.position || {};
  const located = typeof pos.latitude === "number" && typeof pos.longitude === "number";
  if (located && !inTheatre(rules.theatre, pos.latitude, pos.longitude)) {
    problems.push({ field: "position", code: "outside_theatre", params: rules.theatre });
  }
  if (located) {
    (report.observations || []).forEach((o, i) => {
      if (typeof o.bearing_deg === "number" && typeof o.distance_m === "number" && o.distance_m > 0) {
        const at = destination(pos.latitude, pos.longitude, o.bearing_deg, o.distance_m);
        if (!inTheatre(rules.theatre, at.latitude, at.longitude)) problems.push({ field: `observations.${i}.distance_m`, code: "estimate_outside_theatre", params: {} });
      }
    });
  }
  (files || []).forEach((f, i) => {
    if (f.size > rules.max_upload_bytes) problems.push({ field: `evidence.${i}`, code: "file_too_large", params: { name: f.name, size: f.size, max: rules.max_upload_bytes } });
    if (!rules.evidence_types.some((type) => (f.type || "").startsWith(`${type}/`))) problems.push({ field: `evidence.${i}`, code: "file_type", params: { name: f.name } });
  });
  return problems;
}
