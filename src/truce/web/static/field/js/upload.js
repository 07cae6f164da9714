// Evidence uploads in chunks that resume where the server stopped
// (POST /api/uploads announces the file; PATCH sends bytes from an offset;
// the server's offset is the truth after any failure).

import { api, ApiError } from "./api.js";

export async function uploadEvidence(reportId, file, blob, chunkBytes, onProgress = () => {}) {
  let { data: upload } = await api("/api/uploads", {
    method: "POST",
    json: { report_id: reportId, sha256: file.sha256, size: file.size, content_type: file.type || "application/octet-stream", filename: file.name || "file" },
  });
  while (!upload.complete) {
    onProgress(upload.offset, upload.size);
    const chunk = blob.slice(upload.offset, Math.min(upload.size, upload.offset + chunkBytes));
    try {
      ({ data: upload } = await api(`/api/uploads/${upload.id}?offset=${upload.offset}`, {
        method: "PATCH", body: chunk, headers: { "Content-Type": "application/octet-stream" },
      }));
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        ({ data: upload } = await api(`/api/uploads/${upload.id}`));
        continue;
      }
      throw error;
    }
  }
  onProgress(upload.size, upload.size);
  return upload;
}
