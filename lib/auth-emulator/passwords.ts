import "server-only";
import { compare, hash } from "bcryptjs";
import { GoTrueError, validationFailed } from "./errors";

/** Above GoTrue's default of 6: this app holds a sales team's pipeline. */
export const MIN_PASSWORD_LENGTH = 8;
/** bcrypt reads only the first 72 bytes; GoTrue refuses longer passwords rather than truncate. */
const MAX_PASSWORD_BYTES = 72;
const BCRYPT_COST = 10;

/** A real hash of nothing anyone knows, so that unknown emails cost as much time as known ones. */
const TIMING_DECOY_HASH = "$2b$10$Bv.F5y1RnRsdTtmJU9CdNuZvNBmh4PN9RcAZq.TETVGWRzZSAlV.m";

export function assertAcceptablePassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new GoTrueError(422, "weak_password", `Password should be at least ${MIN_PASSWORD_LENGTH} characters.`, {
      weak_password: { reasons: ["length"] },
    });
  }
  if (Buffer.byteLength(password, "utf8") > MAX_PASSWORD_BYTES) {
    throw validationFailed(`Password cannot be longer than ${MAX_PASSWORD_BYTES} characters`);
  }
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, BCRYPT_COST);
}

export async function verifyPassword(password: string, encrypted: string | null): Promise<boolean> {
  if (!encrypted) {
    await compare(password, TIMING_DECOY_HASH);
    return false;
  }
  return compare(password, encrypted);
}
