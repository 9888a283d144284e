import "server-only";
import { env } from "@/lib/env";
import { integrationSecretKey, type SecretKey } from "./secret-box";

/** The key integration secrets are sealed with, derived from this server's ENCRYPTION_KEY. */
export function integrationSecretKeys(): SecretKey[] {
  return [integrationSecretKey(env().ENCRYPTION_KEY)];
}
