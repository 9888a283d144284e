import type { RequestLimit } from "./request-limit";

/**
 * REST API requests per key (app/api/v1), every request counted: 600 a minute (10 a second
 * sustained) serves a sync job paging through a million leads in a few hours and keeps one key
 * from taking the database from everyone else. The counter lives in PostgreSQL, so it holds
 * across app instances; a refusal says when to retry (Retry-After).
 */
export const API_REQUESTS_PER_KEY: RequestLimit = { name: "api-key", points: 600, durationSeconds: 60 };
