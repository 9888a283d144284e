/**
 * A request's body as text, or null once it passes `maxBytes`: a declared Content-Length over
 * the cap is refused before anything is read, and the reading stops at the first chunk that
 * crosses it, so a sender that announces nothing (chunked) or lies in Content-Length cannot make
 * us hold more. For every body read whole before it is parsed (webhooks, the unsubscribe form,
 * the embedded auth server, the local outbox and the vendor sandboxes).
 */
export async function readBodyCapped(request: Request, maxBytes: number): Promise<string | null> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await request.body?.cancel().catch(() => undefined);
    return null;
  }
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
