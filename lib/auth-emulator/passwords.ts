import "server-only";
import { compare, genSalt, hash } from "bcrypt";
import { GoTrueError, validationFailed } from "./errors";

/** Above GoTrue's default of 6: this app holds a sales team's pipeline. */
export const MIN_PASSWORD_LENGTH = 8;
/** bcrypt reads only the first 72 bytes; GoTrue refuses longer passwords rather than truncate. */
const MAX_PASSWORD_BYTES = 72;
const BCRYPT_COST = 10;
/** GoTrue (Go's x/crypto/bcrypt) writes `$2a$`; hashes stay portable to a hosted project. */
const BCRYPT_MINOR = "a";

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

/**
 * Native bcrypt hashes and compares on libuv's thread pool, so a burst of sign-ins does not
 * stall every other request the way a JavaScript bcrypt on the event loop did.
 */
export async function hashPassword(password: string): Promise<string> {
  return hash(password, await genSalt(BCRYPT_COST, BCRYPT_MINOR));
}

export async function verifyPassword(password: string, encrypted: string | null): Promise<boolean> {
  if (!encrypted) {
    await compare(password, TIMING_DECOY_HASH);
    return false;
  }
  return compare(password, encrypted);
}
