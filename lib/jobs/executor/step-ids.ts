import { createHash } from "node:crypto";

/** Inngest's memoization key for a step: the sha1 of its (possibly suffixed) id. */
export function hashStepId(id: string): string {
  return createHash("sha1").update(id).digest("hex");
}

export type AllocatedStepId = { id: string; key: string; index?: number };

/**
 * Gives each step call of one execution its final id with the SDK's rule for repeats
 * (inngest/components/execution/engine.js `resolveStepIdCollision`): the first `send` is
 * `send`, the next ones `send:1`, `send:2`, … skipping any suffixed id already taken.
 * Replays call the steps in the same order, so a step keeps its id across executions.
 */
export class StepIdAllocator {
  private readonly found = new Set<string>();
  private readonly expectedIndexes = new Map<string, number>();
  private readonly uses = new Map<string, number>();

  allocate(baseId: string): AllocatedStepId {
    this.uses.set(baseId, (this.uses.get(baseId) ?? 0) + 1);
    const baseKey = hashStepId(baseId);
    if (!this.found.has(baseKey) && !this.expectedIndexes.has(baseId)) {
      this.expectedIndexes.set(baseId, 1);
      this.found.add(baseKey);
      return { id: baseId, key: baseKey };
    }
    const start = this.expectedIndexes.get(baseId) ?? 1;
    for (let i = start; i < start + this.found.size + 1; i++) {
      const id = `${baseId}:${i}`;
      const key = hashStepId(id);
      if (!this.found.has(key)) {
        this.expectedIndexes.set(baseId, i + 1);
        this.found.add(key);
        return { id, key, index: i };
      }
    }
    throw new Error(`Could not give step "${baseId}" a unique id`);
  }

  /** How many times this execution has called a step with this id. */
  usesOf(baseId: string): number {
    return this.uses.get(baseId) ?? 0;
  }

  get size(): number {
    return this.found.size;
  }
}
