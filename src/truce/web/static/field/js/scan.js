// Reading an enrolment QR code: from the camera (getUserMedia) or from a
// photo. The browser's own BarcodeDetector decodes where it has one for QR
// codes; elsewhere jsQR does (vendored from the npm registry by `make jsqr`
// into /static/vendor/jsqr/, loaded only when a code is to be read).
//
// `truce users enrol NAME` draws the address SERVER/field/#enrol=CODE as its
// QR code (the same address `POST /api/users/{name}/enrolment` returns);
// enrolmentCode() takes that, or the bare code, typed or scanned.

const JSQR = "/static/vendor/jsqr/jsQR.js";
const ALPHABET = /^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{12}$/;
const MAX_SIDE = 960; // pixels handed to jsQR: enough for a code filling a tenth of the picture

/** Why no code could be read: {code} names a message of the catalogue ("scan.<code>"). */
export class ScanError extends Error {
  constructor(code, detail = "") {
    super(detail || code);
    this.code = code;
  }
}

/** "XXXX-XXXX-XXXX" from a bare code (any case, spaces or dashes) or from an
 *  address with #enrol=CODE (or ?enrol=CODE); null if the text holds neither. */
export function enrolmentCode(text) {
  let candidate = (text || "").trim();
  if (/^https?:\/\//i.test(candidate)) {
    let url;
    try { url = new URL(candidate); } catch { return null; }
    const hash = new URLSearchParams(url.hash.replace(/^#/, ""));
    candidate = hash.get("enrol") || url.searchParams.get("enrol") || "";
  }
  const bare = candidate.toUpperCase().replace(/[\s-]/g, "");
  if (!ALPHABET.test(bare)) return null;
  return `${bare.slice(0, 4)}-${bare.slice(4, 8)}-${bare.slice(8)}`;
}

// ---------- decoders ----------

let native; // undefined: not asked yet; null: none
let library = null;

async function nativeDetector() {
  if (native !== undefined) return native;
  native = null;
  if ("BarcodeDetector" in globalThis) {
    try {
      const formats = await globalThis.BarcodeDetector.getSupportedFormats();
      if (formats.includes("qr_code")) native = new globalThis.BarcodeDetector({ formats: ["qr_code"] });
    } catch { native = null; }
  }
  return native;
}

function loadJsQR() {
  if (globalThis.jsQR) return Promise.resolve(globalThis.jsQR);
  if (library) return library;
  library = new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = JSQR;
    script.onload = () => (globalThis.jsQR ? resolve(globalThis.jsQR) : reject(new ScanError("no_decoder")));
    script.onerror = () => { library = null; script.remove(); reject(new ScanError("no_decoder")); };
    document.head.append(script);
  });
  return library;
}

/** Which decoder this browser uses: "native", "jsqr", or null (none available). */
export async function decoderName() {
  if (await nativeDetector()) return "native";
  try { await loadJsQR(); return "jsqr"; } catch { return null; }
}

function pixels(source, width, height, canvas) {
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.drawImage(source, 0, 0, canvas.width, canvas.height);
  return context.getImageData(0, 0, canvas.width, canvas.height);
}

/** The text of the first QR code in ``source`` (a video element, an ImageBitmap
 *  or an image), or null when it shows none. Throws ScanError("no_decoder"). */
export async function decode(source, width, height, canvas = document.createElement("canvas")) {
  const detector = await nativeDetector();
  if (detector) {
    const found = await detector.detect(source);
    return found.length ? found[0].rawValue : null;
  }
  const jsQR = await loadJsQR();
  const image = pixels(source, width, height, canvas);
  // a terminal draws the code light on dark: try both ways round
  const found = jsQR(image.data, image.width, image.height, { inversionAttempts: "attemptBoth" });
  return found ? found.data : null;
}

/** The text of the QR code in a photo (a File or Blob); null if it shows none. */
export async function decodePhoto(file) {
  let bitmap;
  try { bitmap = await createImageBitmap(file); } catch { throw new ScanError("not_an_image"); }
  try { return await decode(bitmap, bitmap.width, bitmap.height); } finally { bitmap.close(); }
}

// ---------- the camera ----------

function cameraError(error) {
  const name = error && error.name;
  if (name === "NotAllowedError" || name === "SecurityError" || name === "PermissionDeniedError") return new ScanError("camera_refused");
  if (name === "NotFoundError" || name === "OverconstrainedError" || name === "DevicesNotFoundError") return new ScanError("no_camera");
  if (name === "NotReadableError" || name === "TrackStartError") return new ScanError("camera_busy");
  return new ScanError("camera_failed", (error && error.message) || String(error));
}

/** Reads QR codes from the camera into ``video`` until one is found that
 *  ``wanted(text)`` takes, or stop() is called: start(wanted) resolves with
 *  its text (null once stopped). */
export class CameraScanner {
  constructor(video, { everyMs = 200 } = {}) {
    this.video = video;
    this.everyMs = everyMs;
    this.stream = null;
    this.stopped = true;
    this.canvas = document.createElement("canvas");
  }

  async start(wanted = () => true) {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) throw new ScanError("no_camera_api");
    if (!(await decoderName())) throw new ScanError("no_decoder");
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false });
    } catch (error) {
      throw cameraError(error);
    }
    this.stopped = false;
    this.video.srcObject = this.stream;
    this.video.setAttribute("playsinline", "");
    this.video.muted = true;
    try { await this.video.play(); } catch (error) { this.stop(); throw cameraError(error); }
    return new Promise((resolve, reject) => {
      const look = async () => {
        if (this.stopped) { resolve(null); return; }
        try {
          const { videoWidth: w, videoHeight: h } = this.video;
          const text = w && h ? await decode(this.video, w, h, this.canvas) : null;
          if (text && wanted(text)) { this.stop(); resolve(text); return; }
        } catch (error) {
          this.stop();
          reject(error instanceof ScanError ? error : new ScanError("camera_failed", error.message));
          return;
        }
        setTimeout(look, this.everyMs);
      };
      look();
    });
  }

  stop() {
    this.stopped = true;
    if (this.stream) for (const track of this.stream.getTracks()) track.stop();
    this.stream = null;
    this.video.srcObject = null;
  }
}
