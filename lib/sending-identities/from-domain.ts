import { sqlMessageOf, sqlStateOf } from "@/db/sql-state";
import { AppError } from "@/lib/errors";

/** How migration 0097's trigger refuses, naming the domain it compared: `from_domain_taken: acme.com is …`. */
const REFUSAL = /^from_domain_taken: (\S+) is /;

/**
 * The install sends every workspace's email through one provider account, which sends as
 * whatever From an identity names. So a workspace may only send from a domain that other
 * workspaces of this install already send from when the person adding it administers every one
 * of them (a team with several workspaces); anyone else could send as that company past its
 * approvals, suppression list and audit log. The database decides (migration 0097, a trigger
 * that sees the other workspaces' identities, archived ones included: a restore puts them back
 * in use), so the rule holds for any writer with a person's token; this turns its refusal into
 * words on the From field, naming the domain the person typed and nothing of those workspaces.
 *
 * Reply-To is deliberately not checked: it is not covered by SPF, DKIM or DMARC and sends
 * nothing as its domain, it only says where answers go.
 */
export function fromDomainRefusal(error: unknown): AppError | null {
  const domain = sqlStateOf(error) === "42501" ? REFUSAL.exec(sqlMessageOf(error) ?? "")?.[1] : undefined;
  if (!domain) return null;
  const message = `${domain} is already used to send by another workspace here. Ask one of its admins to add this address, or use a domain of your own.`;
  return new AppError("conflict", message, { fromEmail: [message] });
}
