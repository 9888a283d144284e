/**
 * The Inngest app's id. Inngest names each function `<app id>-<function id>` in the events it
 * sends about runs (inngest/function.cancelled's `function_id`), and the local executor sends
 * those events with the same names.
 */
export const INNGEST_APP_ID = "lead-intelligence-panel";

/** A function's id as Inngest's system events name it. */
export const systemFunctionId = (functionId: string) => `${INNGEST_APP_ID}-${functionId}`;
