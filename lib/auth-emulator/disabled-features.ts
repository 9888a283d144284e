import "server-only";
import { z } from "zod";
import { GoTrueError, validationFailed } from "./errors";
import { readJsonBody } from "./http";
import { authenticateUser } from "./user-endpoints";

/**
 * What GoTrue answers for the features this server leaves off (as a GoTrue instance with them
 * disabled would), so supabase-js shows its usual errors instead of a 404. GET /settings
 * reports the same: only email is on.
 */
export const OAUTH_PROVIDERS = [
  "apple",
  "azure",
  "bitbucket",
  "discord",
  "facebook",
  "snapchat",
  "figma",
  "fly",
  "github",
  "gitlab",
  "google",
  "keycloak",
  "kakao",
  "linkedin",
  "linkedin_oidc",
  "notion",
  "spotify",
  "slack",
  "slack_oidc",
  "workos",
  "twitch",
  "twitter",
  "zoom",
] as const;

/** GET /authorize?provider= — where signInWithOAuth sends the browser. */
export async function handleAuthorize(request: Request): Promise<Response> {
  const provider = new URL(request.url).searchParams.get("provider") ?? "";
  const known = (OAUTH_PROVIDERS as readonly string[]).includes(provider);
  const reason = known
    ? "provider is not enabled"
    : provider.startsWith("custom:")
      ? "custom OAuth providers are disabled"
      : `Provider ${provider} could not be found`;
  throw validationFailed(`Unsupported provider: ${reason}`);
}

/** POST /sso and /sso/saml/* — signInWithSSO. */
export async function handleSso(): Promise<Response> {
  throw new GoTrueError(404, "saml_provider_disabled", "SAML 2.0 is disabled");
}

/** GET /user/identities/authorize and DELETE /user/identities/:id — linkIdentity, unlinkIdentity. */
export async function handleIdentities(request: Request): Promise<Response> {
  await authenticateUser(request);
  throw new GoTrueError(404, "manual_linking_disabled", "Manual linking is disabled");
}

const ZEnroll = z.object({ factor_type: z.string().nullish() });
const ENROLL_DISABLED: Record<string, [string, string]> = {
  totp: ["mfa_totp_enroll_not_enabled", "MFA enroll is disabled for TOTP"],
  phone: ["mfa_phone_enroll_not_enabled", "MFA enroll is disabled for Phone"],
  webauthn: ["mfa_webauthn_enroll_not_enabled", "MFA enroll is disabled for WebAuthn"],
};

/** POST /factors — mfa.enroll. */
export async function handleEnrollFactor(request: Request): Promise<Response> {
  await authenticateUser(request);
  const { factor_type } = await readJsonBody(request, ZEnroll);
  const refusal = ENROLL_DISABLED[factor_type ?? ""];
  if (!refusal) throw validationFailed("factor_type needs to be totp, phone, or webauthn");
  throw new GoTrueError(422, refusal[0], refusal[1]);
}

/** /factors/:id/challenge, /verify and DELETE /factors/:id — no factor can exist here. */
export async function handleFactor(request: Request): Promise<Response> {
  await authenticateUser(request);
  throw new GoTrueError(404, "mfa_factor_not_found", "Factor not found");
}
