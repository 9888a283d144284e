import path from "node:path";
import type { ServiceModes } from "@/lib/env";
import type { SeedOutcome } from "@/lib/seed/seed-once";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { DEMO_PASSWORD, DEMO_USERS } from "@/lib/seed/demo-data";
import { dataDirectory } from "./prepare";

const LABELS: Record<keyof ServiceModes, string> = {
  database: "Database",
  auth: "Auth",
  email: "Email",
  jobs: "Jobs",
  ai: "AI",
  vendors: "Vendors",
};

const NOTES: { [K in keyof ServiceModes]: Record<ServiceModes[K], string> } = {
  database: { embedded: "embedded PostgreSQL", external: "DATABASE_URL" },
  auth: { embedded: "embedded Supabase Auth at /auth/v1", supabase: "Supabase (NEXT_PUBLIC_SUPABASE_URL)" },
  email: {
    resend: "Resend",
    "dev-mail-catcher": "development mail catcher at /dev/mail (shows every email to anyone; dev only)",
    "demo-outbox": "demo outbox: workspace mail in Settings → Outbox; sign-in and invitation emails are not sent",
    none: "NOT CONFIGURED: no email is sent (set RESEND_API_KEY)",
  },
  jobs: { "local-executor": "embedded executor: Jobs page", inngest: "Inngest" },
  ai: { none: "not configured (set OPENAI_API_KEY or OPENAI_BASE_URL)", openai: "OpenAI-compatible API" },
  vendors: {
    sandbox: "each workspace's keys (Settings → Integrations), or the sandbox with sample data",
    "keys-only": "each workspace's keys (Settings → Integrations); no sandbox (INTEGRATIONS_SANDBOX_ENABLED=true offers it)",
  },
};

type BannerInput = {
  url: string;
  services: ServiceModes;
  /** The demo seed's outcome, or null when demo data is off (always, by default, in production). */
  demo: SeedOutcome | null;
  /** No user exists yet: say where the first admin is created. */
  setupOpen: boolean;
};

export function printBanner(input: BannerInput): void {
  console.log(bannerText(input));
}

export function bannerText({ url, services, demo, setupOpen }: BannerInput): string {
  const lines = [
    "",
    "  Lead Intelligence Panel is ready",
    `  ${url}`,
    "",
    ...(setupOpen
      ? [
          "  No account exists yet. Create the first workspace and its admin:",
          `    in a browser   ${url}/setup`,
          '    or here        npm run setup -- --email you@company.com --workspace "Your team"',
          "",
        ]
      : []),
    ...(demo
      ? [
          `  Demo logins (password: ${DEMO_PASSWORD})`,
          ...DEMO_USERS.map(
            (u) => `    ${u.email.padEnd(20)} ${ROLE_LABELS[u.role].padEnd(10)} ${u.workspace === "globex" ? "Globex" : "Acme Outbound"}`,
          ),
          ...(demo.seeded
            ? []
            : [
                `  Seeded on ${demo.seededAt.toISOString().slice(0, 10)} and not again: a demo user you deleted stays deleted.`,
                "  `npm run db:seed` re-creates them.",
              ]),
          "",
        ]
      : []),
    "  Services",
    ...(Object.keys(LABELS) as (keyof ServiceModes)[]).map(
      (key) =>
        `    ${LABELS[key].padEnd(9)} ${(NOTES[key] as Record<string, string>)[services[key]]}${key === "database" && services.database === "embedded" ? ` (data in ${path.relative(process.cwd(), dataDirectory()) || "."}/)` : ""}`,
    ),
    "",
    ...emailWarning(services.email),
  ];
  return lines.join("\n");
}

/** Production without a provider: say plainly which flows cannot work, before anyone tries them. */
function emailWarning(email: ServiceModes["email"]): string[] {
  if (email !== "none" && email !== "demo-outbox") return [];
  return [
    "  ! Email is not configured: team invitations, sign-in links and password-reset emails",
    "    are refused with a message saying so. Set RESEND_API_KEY (see .env.example) to send them.",
    "",
  ];
}
