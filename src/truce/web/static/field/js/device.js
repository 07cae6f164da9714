// The device screens: what this device is (name, key, storage), and
// replacing its signing key (rekey.js does the work; this shows it).

import { when, size } from "./format.js";
import { t } from "./i18n.js";
import { KeyError, replaceKey } from "./rekey.js";

const $ = (selector) => document.querySelector(selector);

function facts(dl, pairs) {
  dl.replaceChildren();
  for (const [k, v, name] of pairs) {
    const dt = document.createElement("dt"); dt.textContent = t(k);
    const dd = document.createElement("dd"); dd.textContent = v;
    if (name) dd.dataset.fact = name;
    dl.append(dt, dd);
  }
}

export async function renderDevice(app) {
  const d = app.device;
  const pairs = [["device.name", d.name], ["device.enrolled", when(d.enrolledAt)], ["device.key", d.publicKey, "key"],
    ["device.key_kept", t("device.key_kept_value")]];
  if (d.keyFrom) pairs.splice(3, 0, ["device.key_from", when(d.keyFrom)]);
  if (navigator.storage && navigator.storage.estimate) {
    const e = await navigator.storage.estimate();
    pairs.push(["device.storage", `${size(e.usage || 0)} / ${size(e.quota || 0)}`]);
  }
  facts($("#device-info"), pairs);
  $("#storage-status").textContent = app.persisted ? t("storage.persistent") : t("storage.warning");
  $("#storage-status").className = app.persisted ? "" : "warning";
}

export function renderKey(app) {
  const d = app.device;
  facts($("#key-info"), [["key.current", d.publicKey, "key"], ["device.key_from", when(d.keyFrom || d.enrolledAt)]]);
  if (!$("#key-reason").value) $("#key-reason").value = t("key.default_reason");
  const earlier = d.earlierKeys || [];
  const list = $("#key-history");
  list.replaceChildren(...earlier.slice().reverse().map((k) => {
    const li = document.createElement("li");
    li.dataset.key = k.publicKey;
    const code = document.createElement("code");
    code.textContent = k.publicKey;
    li.append(code, document.createElement("br"), t("key.valid", { from: when(k.from), until: when(k.until) }));
    return li;
  }));
  if (!earlier.length) {
    const li = document.createElement("li");
    li.textContent = t("key.none_earlier");
    list.append(li);
  }
}

/** Wire the form; ``changed(device)`` is called with the device after a replacement. */
export function wireKeyForm(app, changed) {
  $("#key-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const status = $("#key-status");
    const reason = $("#key-reason").value.trim();
    if (!reason) { status.textContent = t("key.need_reason"); $("#key-reason").setAttribute("aria-invalid", "true"); return; }
    $("#key-reason").removeAttribute("aria-invalid");
    $("#key-submit").disabled = true;
    status.textContent = t("key.working");
    status.dataset.outcome = "working";
    try {
      const device = await replaceKey(app.device, reason);
      await changed(device);
      status.textContent = t("key.done", { key: device.publicKey.slice(0, 12) });
      status.dataset.outcome = "done";
      $("#key-reason").value = "";
      renderKey(app);
    } catch (error) {
      const e = error instanceof KeyError ? error : new KeyError("failed", { reason: error.message });
      status.textContent = t(`key.${e.code}`, e.params);
      status.dataset.outcome = e.code;
    } finally {
      $("#key-submit").disabled = false;
    }
  });
}
