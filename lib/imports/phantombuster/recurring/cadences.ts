/** Browser-safe: how often a recurring PhantomBuster import runs, in words. */
export const CADENCES = { daily: "Every day", after_each_run: "After each of the agent's runs" } as const;
export type Cadence = keyof typeof CADENCES;
