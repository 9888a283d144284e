import "server-only";
import { publicJwk } from "./tokens";

/** GET /.well-known/jwks.json — the public key only, so getClaims() can verify locally. */
export async function handleJwks(): Promise<Response> {
  return Response.json({ keys: [publicJwk()] }, { headers: { "cache-control": "public, max-age=600" } });
}

/** GET /settings — what this server offers: email + password and email links, nothing else. */
export async function handleSettings(): Promise<Response> {
  return Response.json({
    external: { email: true, phone: false, anonymous_users: false },
    disable_signup: false,
    mailer_autoconfirm: false,
    phone_autoconfirm: false,
    sms_provider: "",
    saml_enabled: false,
  });
}

/** GET /health */
export async function handleHealth(): Promise<Response> {
  return Response.json({ name: "GoTrue", version: "embedded", description: "Lead Intelligence Panel embedded auth server" });
}
