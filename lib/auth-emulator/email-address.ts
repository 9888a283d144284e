import "server-only";
import { z } from "zod";
import { validationFailed } from "./errors";

const ZFormat = z.email();

/** GoTrue's validateEmail: the same three refusals, and the address lower-cased. */
export function parseEmailAddress(raw: string | null | undefined): string {
  const email = (raw ?? "").trim();
  if (email === "") throw validationFailed("An email address is required");
  if (email.length > 255) throw validationFailed("An email address is too long");
  if (!ZFormat.safeParse(email).success) throw validationFailed("Unable to validate email address: invalid format");
  return email.toLowerCase();
}
