import "server-only";
import { env } from "@/lib/env";
import { OAUTH_PROVIDERS } from "./disabled-features";
import { publicJwk } from "./tokens";

/** GET /.well-known/jwks.json — the public key only, so getClaims() can verify locally. */
export async function handleJwks(): Promise<Response> {
  return Response.json({ keys: [publicJwk()] }, { headers: { "cache-control": "public, max-age=600" } });
}

/**
 * GET /settings — GoTrue's shape, telling the truth: email only (no phone, anonymous, OAuth,
 * SAML or passkeys), sign-up as AUTH_ENABLE_SIGNUP says, and confirmation always required.
 */
export async function handleSettings(): Promise<Response> {
  const external = Object.fromEntries(OAUTH_PROVIDERS.map((provider) => [provider, false]));
  return Response.json({
    external: { anonymous_users: false, ...external, email: true, phone: false },
    disable_signup: !env().AUTH_ENABLE_SIGNUP,
    mailer_autoconfirm: false,
    phone_autoconfirm: false,
    sms_provider: "",
    saml_enabled: false,
    saml_private_key_next_configured: false,
    passkeys_enabled: false,
  });
}

/** GET /health */
export async function handleHealth(): Promise<Response> {
  return Response.json({ name: "GoTrue", version: "embedded", description: "Lead Intelligence Panel embedded auth server" });
}
