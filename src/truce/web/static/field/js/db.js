// The device's storage, in IndexedDB (survives reloads, restarts and days
// offline; the browser may still clear it unless storage is persistent).
//
//   device   "self" -> {name, token, privateKey (CryptoKey), publicKey, enrolledAt}
//   outbox   id -> an outbox item (see outbox.js), written before anything is sent
//   blobs    "<report id>/<sha256>" -> the evidence file (Blob)
//   cache    name -> the last rules, base map and tasks fetched from the server
//   prefs    name -> value (language)

const NAME = "truce-field";
const VERSION = 1;
let opening = null;

export function open() {
  if (opening) return opening;
  opening = new Promise((resolve, reject) => {
    const request = indexedDB.open(NAME, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      for (const store of ["device", "blobs", "cache", "prefs"]) {
        if (!db.objectStoreNames.contains(store)) db.createObjectStore(store);
      }
      if (!db.objectStoreNames.contains("outbox")) {
        const outbox = db.createObjectStore("outbox", { keyPath: "id" });
        outbox.createIndex("createdAt", "createdAt");
      }
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => { opening = null; reject(request.error); };
  });
  return opening;
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error("transaction aborted"));
  });
}

function result(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export async function get(store, key) {
  const db = await open();
  return result(db.transaction(store).objectStore(store).get(key));
}

export async function put(store, value, key) {
  const db = await open();
  const tx = db.transaction(store, "readwrite");
  tx.objectStore(store).put(value, key);
  return done(tx);
}

export async function del(store, key) {
  const db = await open();
  const tx = db.transaction(store, "readwrite");
  tx.objectStore(store).delete(key);
  return done(tx);
}

export async function all(store) {
  const db = await open();
  return result(db.transaction(store).objectStore(store).getAll());
}

/** Write an outbox item and its evidence files in one transaction: all or nothing. */
export async function putItemWithBlobs(item, blobs) {
  const db = await open();
  const tx = db.transaction(["outbox", "blobs"], "readwrite");
  for (const [key, blob] of blobs) tx.objectStore("blobs").put(blob, key);
  tx.objectStore("outbox").put(item);
  return done(tx);
}

/** Change one outbox item in place: ``change(item)`` returns the new item. */
export async function updateItem(id, change) {
  const db = await open();
  const tx = db.transaction("outbox", "readwrite");
  const store = tx.objectStore("outbox");
  const item = await result(store.get(id));
  let updated = null;
  if (item) {
    updated = change(item);
    store.put(updated);
  }
  await done(tx);
  return updated;
}
