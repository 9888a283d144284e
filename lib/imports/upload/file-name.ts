import { isShowable } from "@/lib/text/showable";

/**
 * The name an upload is kept under (the import's history, "imported from <file>" on each lead's
 * timeline): the last part of what the browser or client sent, without any folder, trimmed, of
 * 1 to 255 characters. Null for a name that cannot be kept as sent: empty, too long, or holding
 * a control character (PostgreSQL stores no NUL; a line break or escape would show in the
 * timeline), a line or paragraph separator, or a bidirectional control (which makes a name read
 * backwards on screen: "invoice" U+202E "vsc.exe" shows as "invoiceexe.csv").
 */
export function uploadFileName(raw: string): string | null {
  const name = raw.split(/[\\/]/).pop()!.trim();
  return name.length >= 1 && name.length <= 255 && isShowable(name) ? name : null;
}

export const UPLOAD_FILE_NAME_RULE = "at most 255 characters, without control characters";
