import { readBodyCapped } from "@/lib/security/read-body-capped";
import { ApiError } from "./errors";

/** Largest JSON body the API reads: a bulk upsert of 1,000 leads fits with room to spare. */
export const API_MAX_BODY_BYTES = 2 * 1024 * 1024;

/**
 * The request's JSON body, refused with 413 before it is read whole when it is larger than
 * `maxBytes`: a Content-Length over the limit is refused unread, and a body without one (or
 * lying about it) is read only until it passes the limit.
 */
export async function readJsonBody(request: Request, maxBytes: number = API_MAX_BODY_BYTES): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiError(415, "unsupported_media_type", "Send the body as JSON, with Content-Type: application/json.");
  }
  const tooLarge = () =>
    new ApiError(413, "payload_too_large", `The body is larger than ${Math.floor(maxBytes / 1024)} KB. Send fewer items per request.`);
  const text = await readBodyCapped(request, maxBytes);
  if (text === null) throw tooLarge();
  if (!request.body && text === "") throw new ApiError(422, "invalid_input", "Send a JSON body.", { body: ["Required."] });
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, "invalid_json", "The body is not valid JSON.");
  }
}

/**
 * Largest file the API takes in one upload (POST /api/v1/imports). The form is parsed in memory,
 * so this is well under what the Imports page streams (IMPORT_MAX_BYTES): larger files there.
 */
export const API_UPLOAD_MAX_BYTES = 50 * 1024 * 1024;

/**
 * The request's multipart/form-data body, refused with 413 before it is read whole when it is
 * larger than `maxBytes` (by its Content-Length unread, else as soon as it passes the limit).
 */
export async function readUploadForm(request: Request, maxBytes: number = API_UPLOAD_MAX_BYTES): Promise<FormData> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(type)) {
    throw new ApiError(415, "unsupported_media_type", "Send the file as multipart/form-data, with the CSV in the `file` field.");
  }
  const tooLarge = () =>
    new ApiError(
      413,
      "payload_too_large",
      `The upload is larger than ${maxBytes / 1024 / 1024} MB. Split the file, or import it from the app's Imports page.`,
    );
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await request.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!request.body) throw new ApiError(422, "invalid_input", "Send the CSV file in the `file` field.", { file: ["Required."] });
  let size = 0;
  let over = false;
  const counted = request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > maxBytes) {
          over = true;
          controller.error(tooLarge());
        } else controller.enqueue(chunk);
      },
    }),
  );
  try {
    return await new Request(request.url, {
      method: "POST",
      headers: { "content-type": type },
      body: counted,
      duplex: "half",
    } as RequestInit).formData();
  } catch {
    if (over) throw tooLarge();
    throw new ApiError(422, "invalid_input", "The body is not a valid multipart/form-data form.", { file: ["Not readable."] });
  }
}
