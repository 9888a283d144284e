/**
 * Work that must happen only once a user transaction has committed (starting a job whose rows
 * the transaction writes): a service registers it on its `tx`, and withUserTx runs it after
 * COMMIT, in order. A rollback drops it. A failure is logged, not thrown: the change itself
 * has been made, and the caller's answer should say so.
 */
type Hook = { label: string; run: () => Promise<void> };

const pending = new WeakMap<object, Hook[]>();

export function openAfterCommit(tx: object): Hook[] {
  const hooks: Hook[] = [];
  pending.set(tx, hooks);
  return hooks;
}

export function afterCommit(tx: object, label: string, run: () => Promise<void>): void {
  const hooks = pending.get(tx);
  if (!hooks) {
    throw new Error(`${label}: afterCommit needs the transaction of withUserTx (db/index.ts), which runs the work after COMMIT`);
  }
  hooks.push({ label, run });
}

/** Whether `tx` is a transaction of withUserTx or withServiceTx, which run afterCommit work. */
export function hasAfterCommit(tx: object): boolean {
  return pending.has(tx);
}

export async function runAfterCommit(hooks: Hook[]): Promise<void> {
  for (const hook of hooks) {
    try {
      await hook.run();
    } catch (error) {
      console.error(`[after-commit ${hook.label}]`, error);
    }
  }
}
