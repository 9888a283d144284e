import { z } from "zod";

/**
 * PhantomBuster's API v2 answers (vendors/apollo-phantombuster-openai.md §2.2), checked at the
 * boundary. Objects are loose: fields we do not read are kept as received and a new one never
 * fails the parse. Ids are numeric strings in the swagger; numbers are taken too and read as
 * strings. Timestamps are milliseconds (v2).
 */
const id = z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String);
const text = z.string().nullish();
const millis = z.number().nullish();
/** The saved argument: a JSON string in the swagger, an object in some answers. */
const argument = z.union([z.string(), z.record(z.string(), z.unknown())]).nullish();

export const ZPhantomAgent = z.looseObject({
  id,
  name: text,
  script: text,
  scriptId: z.union([z.string(), z.number()]).nullish(),
  lastEndType: text,
  lastEndedAt: millis,
  lastExitCode: z.number().nullish(),
  nbContainersRunning: z.number().nullish(),
  s3Folder: text,
  orgS3Folder: text,
  argument,
});
export type PhantomAgent = z.infer<typeof ZPhantomAgent>;

/** GET /agents/fetch-all: a bare array. */
export const ZPhantomAgentList = z.array(ZPhantomAgent);

/** `never launched` and `launch error` are statuses of an agent's latest container, not errors. */
export const ZPhantomAgentOutput = z.looseObject({
  containerId: z
    .union([z.string(), z.number()])
    .nullish()
    .transform((v) => (v == null ? null : String(v))),
  status: z.string(),
  output: text,
  outputPos: z.number().nullish(),
  mostRecentEndedAt: millis,
  isAgentRunning: z.boolean().nullish(),
  progress: z.number().nullish(),
  progressLabel: text,
});
export type PhantomAgentOutput = z.infer<typeof ZPhantomAgentOutput>;

/**
 * What a phantom set with `buster.setResultObject()`: a JSON string in the swagger, an object in
 * some answers (UNCONFIRMED either way), or nothing. Read by resultObjectOf.
 */
const resultObject = z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]).nullish();

export const ZPhantomContainer = z.looseObject({
  id,
  status: z.string(),
  exitCode: z.number().nullish(),
  endType: text,
  exitMessage: text,
  createdAt: millis,
  launchedAt: millis,
  endedAt: millis,
  output: text,
  resultObject,
});
export type PhantomContainer = z.infer<typeof ZPhantomContainer>;

/**
 * POST /agents/launch: `{ containerId }` as client code observes it; the swagger documents no
 * body (UNCONFIRMED), so an answer without one is accepted and the container found afterwards.
 */
export const ZPhantomLaunch = z.looseObject({
  containerId: z
    .union([z.string(), z.number()])
    .nullish()
    .transform((v) => (v == null ? null : String(v))),
});
