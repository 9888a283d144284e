import { VendorError } from "@/lib/integrations/http/vendor-error";
import { PHANTOMBUSTER, type PhantomBusterClient } from "./client";
import type { PhantomAgent } from "./schemas";

/**
 * Where an agent's result files live (vendors/apollo-phantombuster-openai.md §2.3, UNCONFIRMED
 * as a contract but what every client uses): `{S3}/{orgS3Folder}/{s3Folder}/{csvName}.csv` and
 * `.json`, the folders from GET /agents/fetch, `csvName` from the agent's argument (default
 * `result`). result.csv accumulates the runs, result.json holds the latest: the CSV is preferred
 * when both exist (it is what a person downloads from PhantomBuster), the JSON when it is all
 * there is.
 */
export type ResultFile = { format: "csv" | "json"; fileName: string; response: Response };

/** A folder or file name as PhantomBuster writes them: nothing that could climb out of the bucket path. */
const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,199}$/;

export function resultFileBase(agent: Pick<PhantomAgent, "orgS3Folder" | "s3Folder" | "argument">): { folder: string; name: string } {
  const { orgS3Folder, s3Folder } = agent;
  if (!orgS3Folder || !s3Folder || !SAFE_SEGMENT.test(orgS3Folder) || !SAFE_SEGMENT.test(s3Folder)) {
    throw new VendorError(
      PHANTOMBUSTER.id,
      "invalid_response",
      "PhantomBuster did not say where this agent keeps its result files (its S3 folders are missing), so there is nothing to import.",
    );
  }
  return { folder: `${encodeURIComponent(orgS3Folder)}/${encodeURIComponent(s3Folder)}`, name: csvNameOf(agent.argument) };
}

/** The argument's `csvName` (a JSON string in the swagger, an object in some answers), else `result`. */
export function csvNameOf(argument: PhantomAgent["argument"]): string {
  let value: unknown = argument;
  if (typeof argument === "string") {
    try {
      value = JSON.parse(argument);
    } catch {
      return "result";
    }
  }
  const name = value && typeof value === "object" ? (value as { csvName?: unknown }).csvName : undefined;
  return typeof name === "string" && SAFE_SEGMENT.test(name.trim()) ? name.trim() : "result";
}

/** The agent's result file, CSV first, as a stream; null when neither file exists. */
export async function openResultFile(client: PhantomBusterClient, agent: PhantomAgent): Promise<ResultFile | null> {
  const { folder, name } = resultFileBase(agent);
  for (const format of ["csv", "json"] as const) {
    const fileName = `${name}.${format}`;
    const response = await client.download(`${folder}/${encodeURIComponent(fileName)}`, `result file ${fileName}`);
    if (response) return { format, fileName, response };
  }
  return null;
}
