import { VendorError } from "@/lib/integrations/http/vendor-error";
import { PHANTOMBUSTER, type PhantomBusterClient } from "./client";
import type { PhantomAgent, PhantomContainer } from "./schemas";

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

/**
 * The files a run's result object names (`csvURL`, `jsonUrl`, spelled either way: some phantoms
 * set them, UNCONFIRMED which), as paths under the S3 base, CSV first. A URL anywhere else is
 * ignored: the download goes only where the client's S3 base says files live.
 */
export function resultObjectFiles(
  s3Url: string,
  container: Pick<PhantomContainer, "resultObject"> | null,
): { format: "csv" | "json"; path: string; fileName: string }[] {
  let value: unknown = container?.resultObject;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return [];
    }
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return [];
  const fields = value as Record<string, unknown>;
  const base = new URL(`${s3Url}/`);
  const found: { format: "csv" | "json"; path: string; fileName: string }[] = [];
  for (const [format, keys] of [
    ["csv", ["csvURL", "csvUrl", "csvurl"]],
    ["json", ["jsonUrl", "jsonURL", "jsonurl"]],
  ] as const) {
    const raw = keys.map((k) => fields[k]).find((v): v is string => typeof v === "string");
    const path = raw ? pathUnder(base, raw) : null;
    if (path && path.toLowerCase().endsWith(`.${format}`))
      found.push({ format, path, fileName: decodeURIComponent(path.split("/").at(-1)!) });
  }
  return found;
}

function pathUnder(base: URL, raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname) || url.search || url.hash) return null;
  const segments = url.pathname.slice(base.pathname.length).split("/");
  try {
    if (segments.length < 2 || !segments.every((segment) => SAFE_SEGMENT.test(decodeURIComponent(segment)))) return null;
  } catch {
    return null;
  }
  return segments.join("/");
}

/**
 * The agent's result file, CSV first, as a stream; null when neither file exists. Where the run's
 * result object names its files they are tried first, then the agent's S3 folders (clients fall
 * back resultObject → S3 folder, vendors file §2.3).
 */
export async function openResultFile(
  client: PhantomBusterClient,
  agent: PhantomAgent,
  run: Pick<PhantomContainer, "resultObject"> | null = null,
): Promise<ResultFile | null> {
  for (const named of resultObjectFiles(client.s3Url, run)) {
    const response = await client.download(named.path, `result file ${named.fileName}`);
    if (response) return { format: named.format, fileName: named.fileName, response };
  }
  const { folder, name } = resultFileBase(agent);
  for (const format of ["csv", "json"] as const) {
    const fileName = `${name}.${format}`;
    const response = await client.download(`${folder}/${encodeURIComponent(fileName)}`, `result file ${fileName}`);
    if (response) return { format, fileName, response };
  }
  return null;
}
