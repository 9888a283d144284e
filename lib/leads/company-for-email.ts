import "server-only";
import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { companies } from "@/db/schema";
import { emailDomain } from "./normalize";

/** The workspace's company whose domain is the email's, which a lead added with that address joins; null when none (or no address). */
export async function companyIdForEmail(tx: Executor, workspaceId: string, email: string | null | undefined): Promise<string | null> {
  const domain = emailDomain(email);
  if (!domain) return null;
  const [company] = await tx
    .select({ id: companies.id })
    .from(companies)
    .where(and(eq(companies.workspaceId, workspaceId), eq(companies.domain, domain)));
  return company?.id ?? null;
}
