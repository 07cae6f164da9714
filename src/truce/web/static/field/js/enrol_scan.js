// The enrolment screen's scanner: "Scan code" opens the camera and reads
// the QR code `truce users enrol` draws; "Scan from photo" reads it from a
// picture. The code read fills the code field and enrols. Without a camera
// (or with it refused) it says so, and typing the code still works.

import { t } from "./i18n.js";
import { CameraScanner, decodePhoto, enrolmentCode, ScanError } from "./scan.js";

const $ = (selector) => document.querySelector(selector);
let scanner = null;

function say(key, params) {
  $("#scan-status").textContent = t(key, params);
}

function failed(error) {
  const code = error instanceof ScanError ? error.code : "camera_failed";
  say(`scan.${code}`, { reason: error.message });
}

function notOurs(text) {
  say("scan.not_enrolment", { text: text.length > 60 ? `${text.slice(0, 60)}…` : text });
}

/** Put what a QR code holds into the code field and enrol; false if it holds no code. */
function accept(text, enrol) {
  const code = enrolmentCode(text);
  if (!code) { notOurs(text); return false; }
  $("#enrol-code").value = code;
  $("#enrol-code").removeAttribute("aria-invalid");
  say("scan.read", { code });
  enrol();
  return true;
}

export function stopCamera() {
  if (scanner) scanner.stop();
  scanner = null;
  $("#scanner").hidden = true;
  $("#scan-start").hidden = false;
}

async function startCamera(enrol) {
  stopCamera();
  scanner = new CameraScanner($("#scan-video"));
  $("#scanner").hidden = false;
  $("#scan-start").hidden = true;
  say("scan.looking");
  try {
    const text = await scanner.start((seen) => enrolmentCode(seen) !== null || (notOurs(seen), false));
    if (text === null) say("scan.stopped");
    else accept(text, enrol);
  } catch (error) {
    failed(error);
  } finally {
    stopCamera();
  }
}

async function fromPhoto(input, enrol) {
  const file = input.files && input.files[0];
  input.value = "";
  if (!file) return;
  stopCamera();
  say("scan.reading");
  try {
    const text = await decodePhoto(file);
    if (text === null) { say("scan.none_in_photo"); return; }
    accept(text, enrol);
  } catch (error) {
    failed(error);
  }
}

/** Wire the buttons; ``enrol()`` submits the enrolment form. */
export function wireScanner(enrol) {
  $("#scan-start").addEventListener("click", () => startCamera(enrol));
  $("#scan-stop").addEventListener("click", () => { stopCamera(); say("scan.stopped"); });
  $("#scan-photo").addEventListener("change", (e) => fromPhoto(e.target, enrol));
}
