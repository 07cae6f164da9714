// The field app: screens (enrol, report, outbox, tasks, device, key), the
// report form for every kind, evidence capture, and the glue to the outbox.

import { api, ApiError } from "./api.js";
import { generateDeviceKey, sha256Hex, signReport, supported } from "./crypto.js";
import * as db from "./db.js";
import { renderDevice, renderKey, wireKeyForm } from "./device.js";
import { stopCamera, wireScanner } from "./enrol_scan.js";
import { size, when } from "./format.js";
import { apply, language, languages, preferred, setLanguage, t } from "./i18n.js";
import { PositionMap } from "./map.js";
import * as outbox from "./outbox.js";
import * as rekey from "./rekey.js";
import { enrolmentCode } from "./scan.js";
import { validateReport } from "./validate.js";

const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));
const form = () => $("#report-form");

const app = { rules: null, geometry: null, device: null, files: [], tasks: [], map: null, heading: null, persisted: null };
window.truceField = app; // for the browser tests and benchmarks: read-only use

// ---------- data kept on the device, refreshed when the server answers ----------

async function cached(name, path) {
  try {
    const { data } = await api(path);
    await db.put("cache", data, name);
    return data;
  } catch (error) {
    const kept = await db.get("cache", name);
    if (kept !== undefined) return kept;
    throw error;
  }
}

async function loadRules() {
  app.rules = await cached("rules", "/api/field/rules");
  outbox.setRules(app.rules);
  return app.rules;
}

// ---------- screens ----------

const SCREENS = ["enrol", "report", "outbox", "tasks", "device", "key"];
const TAB = { key: "device" }; // the tab a screen belongs to

function show(name) {
  if (!app.device) name = "enrol";
  for (const s of SCREENS) $(`#screen-${s}`).hidden = s !== name;
  $(".tabs").hidden = !app.device;
  if (name !== "enrol") stopCamera();
  for (const a of $$(".tabs a")) {
    if (a.dataset.screen === (TAB[name] || name)) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  document.body.dataset.screen = name;
  if (name === "report" && app.map) setTimeout(() => app.map.refresh(), 0);
  if (name === "outbox") renderOutbox();
  if (name === "tasks") renderTasks();
  if (name === "device") renderDevice(app);
  if (name === "key") renderKey(app);
}

function route() {
  const hash = location.hash.replace(/^#/, "");
  if (hash.startsWith("enrol=")) {
    $("#enrol-code").value = decodeURIComponent(hash.slice(6));
    show("enrol");
    return;
  }
  show(SCREENS.includes(hash) ? hash : "report");
}

function setNet() {
  const net = $("#net");
  net.textContent = navigator.onLine ? t("net.online") : t("net.offline");
  net.className = `net ${navigator.onLine ? "online" : "offline"}`;
}

// ---------- enrolment ----------

async function enrol(event) {
  event.preventDefault();
  const status = $("#enrol-status");
  const typed = $("#enrol-code").value.trim();
  const code = enrolmentCode(typed) ?? typed; // the code, or the address the QR code holds
  if (!code) { status.textContent = t("enrol.need_code"); $("#enrol-code").setAttribute("aria-invalid", "true"); return; }
  if (!supported()) { status.textContent = t("enrol.unsupported"); return; }
  status.textContent = t("enrol.working");
  try {
    const key = await generateDeviceKey();
    const { data } = await api("/api/enrol", { method: "POST", json: { code, public_key: key.publicKey }, token: "" });
    const enrolledAt = new Date().toISOString();
    app.device = { name: data.name, token: data.token, privateKey: key.privateKey, publicKey: key.publicKey, enrolledAt, keyFrom: enrolledAt };
    await db.put("device", app.device, "self");
    status.textContent = t("enrol.done", { name: data.name });
    history.replaceState(null, "", "/field/#report"); // the code leaves the address bar
    await requestPersistence();
    await startSignedIn();
    show("report");
  } catch (error) {
    status.textContent = error instanceof ApiError ? t("enrol.refused", { reason: error.message }) : t("enrol.offline");
  }
}

async function requestPersistence() {
  if (!navigator.storage || !navigator.storage.persist) { app.persisted = false; }
  else app.persisted = (await navigator.storage.persisted()) || (await navigator.storage.persist());
  const warning = $("#storage-warning");
  warning.hidden = !!app.persisted;
  warning.textContent = app.persisted ? "" : t("storage.warning");
}

// ---------- the report form ----------

function options(select, values, prefix, chosen) {
  select.replaceChildren(...values.map((v) => {
    const o = document.createElement("option");
    o.value = v;
    o.textContent = t(`${prefix}.${v}`);
    o.dataset.i18n = `${prefix}.${v}`;
    if (v === chosen) o.selected = true;
    return o;
  }));
}

function enumOf(name) {
  return app.rules.schema.$defs[name].enum;
}

function observationFieldset(n) {
  const f = document.createElement("fieldset");
  f.className = "observation";
  f.dataset.index = String(n);
  const p = `observations.${n}`;
  f.innerHTML = `
    <legend>${t("obs.title", { n: n + 1 })}</legend>
    <div class="grid2">
      <label><span data-i18n="obs.what">What</span><select name="what" data-field="${p}.what"></select></label>
      <label><span data-i18n="obs.how">How</span><select name="how" data-field="${p}.how"></select></label>
    </div>
    <div class="grid2">
      <label><span data-i18n="obs.count">How many</span><input name="count" inputmode="numeric" value="1" data-field="${p}.count"></label>
      <label><span data-i18n="obs.weapon_class">Weapon</span><select name="weapon_class" data-field="${p}.weapon_class"></select></label>
    </div>
    <div class="grid2">
      <label><span data-i18n="obs.bearing">Bearing (°, from north)</span><input name="bearing_deg" inputmode="decimal" data-field="${p}.bearing_deg"></label>
      <label><span data-i18n="obs.bearing_uncertainty">± degrees</span><input name="bearing_uncertainty_deg" inputmode="decimal" data-field="${p}.bearing_uncertainty_deg"></label>
    </div>
    <div class="row"><button type="button" class="secondary compass" name="compass" data-i18n="obs.compass">Take bearing from compass</button><span class="compass-status" role="status" aria-live="polite"></span></div>
    <div class="grid2">
      <label><span data-i18n="obs.distance">Distance (m)</span><input name="distance_m" inputmode="decimal" data-field="${p}.distance_m"></label>
      <label><span data-i18n="obs.distance_uncertainty">± metres</span><input name="distance_uncertainty_m" inputmode="decimal" data-field="${p}.distance_uncertainty_m"></label>
    </div>
    <label><span data-i18n="obs.direction_of_fire">Direction of fire (from where to where)</span><input name="direction_of_fire" data-field="${p}.direction_of_fire"></label>
    <div class="grid2">
      <label><span data-i18n="obs.killed">Killed seen</span><input name="killed" inputmode="numeric" data-field="${p}.casualties_seen.killed"></label>
      <label><span data-i18n="obs.injured">Injured seen</span><input name="injured" inputmode="numeric" data-field="${p}.casualties_seen.injured"></label>
    </div>
    <label><span data-i18n="obs.damage">Damage</span><textarea name="damage" rows="2" data-field="${p}.damage"></textarea></label>
    <label><span data-i18n="obs.notes">Notes</span><textarea name="notes" rows="2" data-field="${p}.notes"></textarea></label>
    ${n > 0 ? `<button type="button" class="secondary" name="remove" data-i18n="obs.remove">Remove this observation</button>` : ""}`;
  options($("[name=what]", f), enumOf("What"), "what", "impact");
  options($("[name=how]", f), enumOf("How"), "how", "seen_and_heard");
  options($("[name=weapon_class]", f), app.rules.weapon_classes, "weapon", "unknown");
  $("[name=compass]", f).addEventListener("click", () => takeBearing(f));
  const remove = $("[name=remove]", f);
  if (remove) remove.addEventListener("click", () => { f.remove(); renumber(); });
  apply(f);
  return f;
}

function renumber() {
  $$("#observations fieldset").forEach((f, n) => {
    f.dataset.index = String(n);
    $("legend", f).textContent = t("obs.title", { n: n + 1 });
    $$("[data-field]", f).forEach((el) => { el.dataset.field = el.dataset.field.replace(/^observations\.\d+/, `observations.${n}`); });
  });
}

function addObservation() {
  const list = $("#observations");
  list.append(observationFieldset(list.children.length));
}

function takeBearing(fieldset) {
  const status = $(".compass-status", fieldset);
  if (app.heading === null) { status.textContent = t("obs.no_compass"); return; }
  $("[name=bearing_deg]", fieldset).value = String(Math.round(app.heading) % 360);
  $("[name=bearing_uncertainty_deg]", fieldset).value ||= "10";
  status.textContent = t("obs.compass_set", { deg: Math.round(app.heading) % 360 });
}

function watchCompass() {
  const onTurn = (e) => {
    if (e.absolute === false && e.webkitCompassHeading === undefined) return;
    const heading = e.webkitCompassHeading ?? (e.alpha == null ? null : 360 - e.alpha);
    if (heading !== null) app.heading = (heading + 360) % 360;
  };
  addEventListener("deviceorientationabsolute", onTurn);
  addEventListener("deviceorientation", onTurn);
}

function kind() {
  return $("input[name=kind]:checked", form()).value;
}

function showKind() {
  const k = kind();
  $("#kind-incident").hidden = k !== "incident";
  $("#kind-restriction").hidden = k !== "restriction";
  $("#kind-jamming").hidden = k !== "jamming";
  const summary = $("#summary");
  if (k === "situation" && !summary.value) summary.value = t("report.calm_default");
}

function localInputValue(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** "2020-10-14T09:05:00" in the device's time zone -> "2020-10-14T09:05:00+04:00". */
export function withOffset(local) {
  if (!local) return undefined;
  const d = new Date(local);
  if (Number.isNaN(d.getTime())) return local;
  const offset = -d.getTimezoneOffset();
  const pad = (n) => String(Math.floor(Math.abs(n))).padStart(2, "0");
  return `${localInputValue(d)}${offset >= 0 ? "+" : "-"}${pad(offset / 60)}:${pad(offset % 60)}`;
}

function setNow() {
  $("#observed_at").value = localInputValue(new Date());
  const offset = withOffset($("#observed_at").value).slice(-6);
  $("#tz-hint").textContent = t("report.tz", { tz: Intl.DateTimeFormat().resolvedOptions().timeZone || "", offset });
}

function text(value) {
  const v = (value || "").trim();
  return v === "" ? undefined : v;
}

function number(value) {
  const v = (value || "").trim().replace(",", ".");
  if (v === "") return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : v; // a word stays a word: the check names it
}

function setPosition(lat, lon, accuracy, source) {
  $("#latitude").value = lat.toFixed(6);
  $("#longitude").value = lon.toFixed(6);
  $("#accuracy_m").value = accuracy == null ? "" : String(Math.round(accuracy * 10) / 10);
  form().dataset.positionSource = source;
  if (app.map) app.map.setPosition(lat, lon, accuracy);
}

function useGps() {
  const status = $("#gps-status");
  if (!navigator.geolocation) { status.textContent = t("position.no_gps"); return; }
  status.textContent = t("position.locating");
  navigator.geolocation.getCurrentPosition(
    (p) => { setPosition(p.coords.latitude, p.coords.longitude, p.coords.accuracy, "gps"); status.textContent = t("position.gps_ok", { m: Math.round(p.coords.accuracy) }); },
    (e) => { status.textContent = t("position.gps_failed", { reason: e.message || e.code }); },
    { enableHighAccuracy: true, timeout: 30000, maximumAge: 60000 },
  );
}

function collect() {
  const f = form();
  const k = kind();
  const report = {
    id: crypto.randomUUID(), kind: k, observed_at: withOffset($("#observed_at").value),
    position: { latitude: number($("#latitude").value), longitude: number($("#longitude").value), accuracy_m: number($("#accuracy_m").value) },
    summary: ($("#summary").value || "").trim(),
  };
  if (k === "incident") {
    report.observations = $$("#observations fieldset").map((o) => {
      const get = (name) => $(`[name=${name}]`, o).value;
      const obs = {
        what: get("what"), how: get("how"), count: number(get("count")) ?? 1,
        bearing_deg: number(get("bearing_deg")), bearing_uncertainty_deg: number(get("bearing_uncertainty_deg")),
        distance_m: number(get("distance_m")), distance_uncertainty_m: number(get("distance_uncertainty_m")),
        weapon_class: get("weapon_class"), direction_of_fire: text(get("direction_of_fire")),
        damage: text(get("damage")), notes: text(get("notes")),
      };
      const killed = number(get("killed")), injured = number(get("injured"));
      if (killed !== undefined || injured !== undefined) obs.casualties_seen = { killed: killed ?? 0, injured: injured ?? 0 };
      return obs;
    });
  }
  if (k === "restriction") {
    report.restriction = {
      place_name: text(f.r_place_name.value) ?? "", imposed_by: f.r_imposed_by.value,
      description: text(f.r_description.value) ?? "", duration_min: number(f.r_duration_min.value),
    };
  }
  if (k === "jamming") {
    report.jamming = { asset: f.j_asset.value, effect: text(f.j_effect.value) ?? "", duration_min: number(f.j_duration_min.value) };
  }
  const task = $("#task").value;
  if (task) report.task = task;
  if (app.files.length) report.evidence = app.files.map((x) => x.sha256);
  return report;
}

function fieldLabel(field) {
  const general = field.replace(/\.\d+/g, "").replace(/^evidence$/, "evidence");
  const key = `field.${general}`;
  const label = t(key);
  const n = (field.match(/^observations\.(\d+)/) || [])[1];
  return n !== undefined ? `${t("obs.title", { n: Number(n) + 1 })}: ${label}` : label;
}

function elementFor(field) {
  let el = $(`[data-field="${field}"]`, form());
  if (!el && field.startsWith("evidence.")) el = $(`#evidence li[data-index="${field.split(".")[1]}"]`);
  if (!el && field === "position") el = $("#latitude");
  if (!el && field === "observations") el = $("#add-observation");
  if (!el && field === "restriction") el = $("[name=r_place_name]");
  if (!el && field === "jamming") el = $("[name=j_effect]");
  return el;
}

function clearProblems() {
  $$("[aria-invalid]", form()).forEach((el) => el.removeAttribute("aria-invalid"));
  $$(".field-error", form()).forEach((el) => el.remove());
  $("#problems").hidden = true;
  $("#problems").replaceChildren();
}

function showProblems(problems) {
  clearProblems();
  const box = $("#problems");
  const heading = document.createElement("h3");
  heading.textContent = t("problems.title", { n: problems.length });
  const list = document.createElement("ul");
  problems.forEach((p, i) => {
    const params = p.code === "file_too_large" ? { ...p.params, size: size(p.params.size), max: size(p.params.max) } : p.params;
    const message = t(`problem.${p.code}`, params);
    const li = document.createElement("li");
    li.dataset.field = p.field;
    li.dataset.code = p.code;
    const el = elementFor(p.field);
    const link = document.createElement("a");
    link.href = "#";
    link.textContent = `${fieldLabel(p.field)}: ${message}`;
    link.addEventListener("click", (e) => { e.preventDefault(); if (el) el.focus(); });
    li.append(link);
    list.append(li);
    if (el) {
      el.setAttribute("aria-invalid", "true");
      const note = document.createElement("p");
      note.className = "field-error";
      note.id = `err-${i}`;
      note.textContent = message;
      el.insertAdjacentElement("afterend", note);
      el.setAttribute("aria-describedby", note.id);
    }
  });
  box.append(heading, list);
  box.hidden = false;
  box.focus();
}

async function finalise(event) {
  event.preventDefault();
  const status = $("#report-status");
  if (!app.rules) { status.textContent = t("report.no_rules"); return; }
  const report = collect();
  const problems = validateReport(report, app.files, app.rules);
  if (problems.length) { status.textContent = ""; showProblems(problems); return; }
  clearProblems();
  await rekey.idle(); // a key being replaced: sign with the new one
  const signed = await signReport(report, app.device.privateKey);
  await outbox.enqueue(signed, app.files, app.device.publicKey);
  status.textContent = t("report.queued", { id: signed.id.slice(0, 8) });
  resetForm();
  updateBadge();
}

function resetForm() {
  const f = form();
  const keepKind = kind();
  f.reset();
  $(`input[name=kind][value=${keepKind}]`, f).checked = true;
  $("#observations").replaceChildren();
  addObservation();
  app.files = [];
  renderFiles();
  setNow();
  showKind();
  if (app.map) app.map.setPosition(null, null);
  delete f.dataset.positionSource;
}

// ---------- evidence ----------

async function addFiles(input) {
  const status = $("#evidence-hint");
  for (const file of Array.from(input.files || [])) {
    status.textContent = t("evidence.hashing", { name: file.name });
    const sha256 = await sha256Hex(file);
    if (!app.files.some((x) => x.sha256 === sha256)) app.files.push({ blob: file, sha256, size: file.size, type: file.type, name: file.name });
  }
  input.value = "";
  renderFiles();
}

function renderFiles() {
  const list = $("#evidence");
  list.replaceChildren(...app.files.map((f, n) => {
    const li = document.createElement("li");
    li.dataset.index = String(n);
    li.dataset.sha256 = f.sha256;
    li.tabIndex = -1;
    const over = app.rules && f.size > app.rules.max_upload_bytes;
    li.innerHTML = `<span><strong></strong> · ${size(f.size)}${over ? ` · <b class="field-error">${t("problem.file_too_large", { name: "", size: size(f.size), max: size(app.rules.max_upload_bytes) })}</b>` : ""}<br><code>SHA-256 ${f.sha256}</code></span>`;
    $("strong", li).textContent = f.name || f.type;
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "secondary";
    remove.textContent = t("evidence.remove");
    remove.addEventListener("click", () => { app.files.splice(n, 1); renderFiles(); });
    li.append(remove);
    return li;
  }));
  $("#evidence-hint").textContent = app.rules ? t("evidence.limit", { max: size(app.rules.max_upload_bytes) }) : "";
}

// ---------- the outbox ----------

async function updateBadge() {
  const waiting = (await outbox.items()).filter((i) => i.state === "queued" || i.state === "sending").length;
  const badge = $("#badge");
  badge.hidden = waiting === 0;
  badge.textContent = String(waiting);
  badge.setAttribute("aria-label", t("outbox.waiting", { n: waiting }));
}

async function renderOutbox() {
  const list = await outbox.items();
  const counts = { queued: 0, sending: 0, received: 0, refused: 0 };
  for (const i of list) counts[i.state] += 1;
  const paused = await outbox.pausedUntil();
  let summary = t("outbox.summary", { queued: counts.queued + counts.sending, received: counts.received, refused: counts.refused });
  if (paused && counts.queued) summary += " " + t("outbox.paused", { time: new Date(paused).toLocaleTimeString(language()) });
  $("#outbox-summary").textContent = summary;
  $("#outbox").replaceChildren(...list.reverse().map((item) => {
    const li = document.createElement("li");
    li.dataset.id = item.id;
    li.dataset.state = item.state;
    const body = item.body;
    li.innerHTML = `<h3></h3><p class="what"></p><p><span class="state ${item.state}"></span> <span class="detail"></span></p>`;
    $("h3", li).textContent = `${t(`kind.${body.kind}`)} · ${when(body.observed_at)}`;
    $(".what", li).textContent = body.summary;
    $(".state", li).textContent = t(`state.${item.state}`);
    const detail = $(".detail", li);
    if (item.state === "queued" && item.lastError) detail.textContent = t("outbox.last_error", { n: item.attempts, error: item.lastError === "offline" ? t("outbox.offline") : item.lastError });
    if (item.evidence.length) {
      const files = document.createElement("p");
      files.textContent = t("outbox.evidence", { n: item.evidence.length, done: item.evidence.filter((e) => e.uploaded).length });
      li.append(files);
      for (const e of item.evidence.filter((x) => x.refused)) {
        const refused = document.createElement("p");
        refused.className = "reasons";
        refused.textContent = `${e.name}: ${e.refused.map((r) => r.reason).join("; ")}`;
        li.append(refused);
      }
    }
    if (item.receipt && item.state === "received") {
      const r = item.receipt;
      const dl = document.createElement("dl");
      dl.className = "facts receipt";
      const facts = [["receipt.id", r.id], ["receipt.received", when(r.received)], ["receipt.ledger", r.ledger_seq == null ? "—" : `#${r.ledger_seq}`], ["receipt.hash", r.content_hash]];
      if (item.evidence.length) facts.push(["receipt.evidence", item.evidenceMatches ? t("receipt.evidence_ok", { n: r.evidence.length }) : t("receipt.evidence_missing")]);
      for (const [k, v] of facts) {
        const dt = document.createElement("dt"); dt.textContent = t(k);
        const dd = document.createElement("dd"); dd.textContent = v; dd.dataset.fact = k;
        dl.append(dt, dd);
      }
      li.append(dl);
    }
    if (item.state === "refused") {
      const ul = document.createElement("ul");
      ul.className = "reasons";
      for (const reason of item.reasons) {
        const r = document.createElement("li");
        r.textContent = reason.field ? `${reason.field}: ${reason.reason}` : reason.reason;
        ul.append(r);
      }
      li.append(ul);
    }
    return li;
  }));
  updateBadge();
}

function download(name, type, content) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// ---------- tasks ----------

async function loadTasks() {
  try { app.tasks = (await cached("tasks", "/api/tasks?status=open")).data; } catch { app.tasks = app.tasks || []; }
  const select = $("#task");
  const none = document.createElement("option");
  none.value = "";
  none.textContent = t("report.no_task");
  none.dataset.i18n = "report.no_task";
  select.replaceChildren(none, ...app.tasks.map((task) => {
    const o = document.createElement("option");
    o.value = task.id;
    o.textContent = task.title;
    return o;
  }));
  $("#task-link").hidden = app.tasks.length === 0;
  if (app.map) app.map.showTasks(app.tasks);
}

async function renderTasks() {
  await loadTasks();
  $("#tasks-status").textContent = app.tasks.length ? t("tasks.count", { n: app.tasks.length }) : t("tasks.none");
  $("#tasks").replaceChildren(...app.tasks.map((task) => {
    const li = document.createElement("li");
    li.dataset.id = task.id;
    li.innerHTML = `<h3></h3><p class="look"></p><dl class="facts"></dl>`;
    $("h3", li).textContent = task.title;
    $(".look", li).textContent = task.look_for;
    const facts = [["tasks.window", `${when(task.window_start)} – ${when(task.window_end)}`]];
    if (task.place_name || task.latitude != null) {
      const at = task.latitude != null ? ` (${task.latitude.toFixed(4)}, ${task.longitude.toFixed(4)}${task.radius_m ? `, ${Math.round(task.radius_m)} m` : ""})` : "";
      facts.push(["tasks.place", `${task.place_name || ""}${at}`]);
    }
    facts.push(["tasks.answers", String(task.reports.length)]);
    for (const [k, v] of facts) {
      const dt = document.createElement("dt"); dt.textContent = t(k);
      const dd = document.createElement("dd"); dd.textContent = v;
      $(".facts", li).append(dt, dd);
    }
    const answer = document.createElement("button");
    answer.type = "button";
    answer.className = "primary";
    answer.textContent = t("tasks.answer");
    answer.addEventListener("click", () => { $("#task").value = task.id; location.hash = "#report"; });
    li.append(answer);
    return li;
  }));
}

// ---------- start ----------

async function startSignedIn() {
  app.device = await rekey.settle(app.device); // a key replacement whose answer was lost
  try { await loadRules(); } catch { $("#report-status").textContent = t("report.no_rules"); }
  try { app.geometry = await cached("geometry", "/api/map/geometry"); } catch { app.geometry = null; }
  if (app.rules) {
    options($("#r_imposed_by"), [...app.rules.parties, "unknown"], "party", "unknown");
    $("#observations").replaceChildren();
    addObservation();
    renderFiles();
    if (!app.map && window.L) {
      app.map = new PositionMap($("#map"), app.geometry, app.rules.theatre, (lat, lon) => {
        setPosition(lat, lon, null, "map");
        $("#gps-status").textContent = t("position.map_set");
      });
    }
  }
  await loadTasks();
  outbox.start(app.rules);
  updateBadge();
}

async function main() {
  const names = await languages();
  const saved = await db.get("prefs", "language").catch(() => undefined);
  const select = $("#lang");
  select.replaceChildren(...Object.entries(names).map(([code, name]) => {
    const o = document.createElement("option"); o.value = code; o.textContent = name; return o;
  }));
  await setLanguage(preferred(saved));
  select.value = language();
  select.addEventListener("change", async () => {
    await setLanguage(select.value);
    await db.put("prefs", select.value, "language");
    setNet();
    $("#report-status").textContent = "";
    if (app.rules) { renumber(); renderFiles(); }
    setNow();
    route();
  });
  setNet();
  addEventListener("online", setNet);
  addEventListener("online", async () => { if (app.device) app.device = await rekey.settle(app.device); });
  addEventListener("offline", setNet);
  watchCompass();
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/field/sw.js", { scope: "/field/" }).catch(() => {});

  $("#enrol-form").addEventListener("submit", enrol);
  wireScanner(() => $("#enrol-form").requestSubmit());
  wireKeyForm(app, async (device) => { app.device = device || (await db.get("device", "self")); });
  const f = form();
  f.addEventListener("submit", finalise);
  $$("input[name=kind]", f).forEach((r) => r.addEventListener("change", showKind));
  $("#now").addEventListener("click", setNow);
  $("#gps").addEventListener("click", useGps);
  $("#add-observation").addEventListener("click", addObservation);
  for (const id of ["latitude", "longitude", "accuracy_m"]) {
    $(`#${id}`).addEventListener("change", () => {
      const lat = number($("#latitude").value), lon = number($("#longitude").value);
      if (typeof lat === "number" && typeof lon === "number" && app.map) app.map.setPosition(lat, lon, number($("#accuracy_m").value));
      form().dataset.positionSource = "typed";
    });
  }
  $("#camera").addEventListener("change", (e) => addFiles(e.target));
  $("#files").addEventListener("change", (e) => addFiles(e.target));
  $("#send-now").addEventListener("click", () => outbox.sendNow());
  $("#export").addEventListener("click", async () => download(`truce-outbox-${new Date().toISOString().slice(0, 10)}.jsonl`, "application/x-ndjson", await outbox.exportJsonl()));
  $("#export-receipts").addEventListener("click", async () => download(`truce-receipts-${new Date().toISOString().slice(0, 10)}.csv`, "text/csv", await outbox.exportReceiptsCsv()));
  outbox.events.addEventListener("change", () => { if (document.body.dataset.screen === "outbox") renderOutbox(); else updateBadge(); });
  outbox.events.addEventListener("idle", () => { if (document.body.dataset.screen === "outbox") renderOutbox(); });
  addEventListener("hashchange", () => {
    route();
    const heading = $(`#screen-${document.body.dataset.screen} h2`);
    if (heading) heading.focus({ preventScroll: false }); // screen readers announce the new screen
  });
  setNow();
  showKind();

  app.device = (await db.get("device", "self")) || null;
  if (app.device) {
    await startSignedIn();
    await requestPersistence();
  }
  route();
  document.body.dataset.ready = "true";
}

main();
