import { existsSync } from "node:fs";
import path from "node:path";
// Next's own writer of next-env.d.ts: the same text, and no write when the file already holds it.
import { writeAppTypeDeclarations } from "next/dist/lib/typescript/writeAppTypeDeclarations.js";
import nextConfig from "../../next.config";

/**
 * Writes next-env.d.ts as this run's `next dev` will, before Next starts, so that Next finds it
 * unchanged and writes nothing into the project while its dev server starts watching it.
 *
 * Why: with Next.js 16.4.5 the file imports `./<distDir>/types/routes.d.ts`, and the dist dir
 * differs by command and run: `.next/dev` for `next dev`, `.next` for `next build`, and another
 * NEXT_DIST_DIR (the e2e servers, the launch test) gives another path. Each `next dev` and
 * `next build` rewrites the file for itself (lib/verify-typescript-setup.js, called from the dev
 * server's startWatcher after Turbopack has started; upstream: vercel/next.js#85738, #86001,
 * whose fixes #88103 and #88428 were reverted). A start after a build or another dist dir's run
 * therefore used to rewrite the file in the project root under a starting dev server; the
 * /login reload loop was met in 1 of 7 such starts here.
 */
export async function writeNextEnvFile({ root, distDir }: { root: string; distDir: string }): Promise<void> {
  const relative = path.relative(root, distDir);
  await writeAppTypeDeclarations({
    baseDir: root,
    // next.config's distDir, which `next dev` extends with "dev" (server/config.js).
    distDir: path.join(relative, "dev"),
    imageImportsEnabled: !nextConfig.images?.disableStaticImages,
    hasPagesDir: existsSync(path.join(root, "pages")) || existsSync(path.join(root, "src", "pages")),
    hasAppDir: existsSync(path.join(root, "app")) || existsSync(path.join(root, "src", "app")),
    strictRouteTypes: Boolean(nextConfig.experimental?.strictRouteTypes),
    typedRoutes: Boolean(nextConfig.typedRoutes),
  });
}
