/**
 * Whether the launcher seeds: `npm run dev` does on its embedded database unless
 * SEED_DEMO_DATA=false; `npm start`, or any external database, only when SEED_DEMO_DATA=true.
 * Demo logins have a published password: they never appear in production by default.
 */
export function wantsDemoData({
  mode,
  embeddedDatabase,
  seedDemoData,
}: {
  mode: "dev" | "start";
  embeddedDatabase: boolean;
  seedDemoData: boolean | undefined;
}): boolean {
  if (seedDemoData !== undefined) return seedDemoData;
  return mode === "dev" && embeddedDatabase;
}
