import "server-only";
import { and, eq, ne } from "drizzle-orm";
import type { Executor } from "@/db";
import { companies } from "@/db/schema";
import { sqlStateOf } from "@/db/sql-state";
import { can } from "@/lib/auth/permissions";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { AppError, forbidden, notFound } from "@/lib/errors";
import type { CompanyFields } from "./schemas";

/** Who adds or edits a company: those who add leads (sales reps and up), as the companies RLS policies say. */
export type CompanyActor = { userId: string; role: WorkspaceRole };

function assertWriter(actor: CompanyActor): void {
  if (!can(actor.role, "leads.create")) throw forbidden("Your role can read companies but not add or change them.");
}

/** One company per domain in a workspace: a second is refused naming the first. */
async function assertDomainFree(tx: Executor, workspaceId: string, domain: string | null, exceptId?: string): Promise<void> {
  if (!domain) return;
  const [taken] = await tx
    .select({ id: companies.id, name: companies.name })
    .from(companies)
    .where(and(eq(companies.workspaceId, workspaceId), eq(companies.domain, domain), ...(exceptId ? [ne(companies.id, exceptId)] : [])));
  if (taken) throw domainTaken(domain, taken);
}

const domainTaken = (domain: string, taken: { id: string; name: string }) => {
  const message = `${taken.name} already has the domain ${domain}.`;
  return new AppError("conflict", message, { domain: [message] }, taken.id);
};

/** Runs a write; a concurrent company with the same domain (unique index) is told as the domain taken. */
async function guarded<T>(tx: Executor, workspaceId: string, domain: string | null | undefined, write: (sp: Executor) => Promise<T>) {
  try {
    return await tx.transaction((sp) => write(sp as unknown as Executor));
  } catch (error) {
    if (sqlStateOf(error) !== "23505" || !domain) throw error;
    await assertDomainFree(tx, workspaceId, domain);
    throw error;
  }
}

/** A company added by hand (or through the API). Leads added later with an email at its domain join it. */
export async function createCompany(
  tx: Executor,
  { workspaceId, actor, fields }: { workspaceId: string; actor: CompanyActor; fields: CompanyFields },
): Promise<{ companyId: string }> {
  assertWriter(actor);
  await assertDomainFree(tx, workspaceId, fields.domain);
  const [row] = await guarded(tx, workspaceId, fields.domain, (sp) =>
    sp
      .insert(companies)
      .values({ workspaceId, ...fields, employeeCount: fields.employeeCount ?? null, annualRevenue: fields.annualRevenue ?? null })
      .returning({ id: companies.id }),
  );
  return { companyId: row!.id };
}

/** Changes the fields sent (undefined stays as it is, null clears); another workspace's company is not found. */
export async function updateCompany(
  tx: Executor,
  {
    workspaceId,
    actor,
    companyId,
    fields,
  }: { workspaceId: string; actor: CompanyActor; companyId: string; fields: Partial<CompanyFields> },
): Promise<void> {
  assertWriter(actor);
  const [exists] = await tx
    .select({ id: companies.id })
    .from(companies)
    .where(and(eq(companies.id, companyId), eq(companies.workspaceId, workspaceId)))
    .for("update");
  if (!exists) throw notFound("That company");
  const patch = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  if (Object.keys(patch).length === 0) return;
  if (fields.domain) await assertDomainFree(tx, workspaceId, fields.domain, companyId);
  await guarded(tx, workspaceId, fields.domain, (sp) =>
    sp
      .update(companies)
      .set(patch)
      .where(and(eq(companies.id, companyId), eq(companies.workspaceId, workspaceId))),
  );
}
