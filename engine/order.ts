// Runs deletions the way the engine does: a resource is deleted only after every resource (in the same batch) that
// depends on it is gone; independent deletions run concurrently. If a dependent's deletion fails, what it depends on
// is left alone (skipped), since deleting it could strand the dependent.

export interface DeletionOutcome<T> {
  failed: Map<T, Error>;
  skipped: Set<T>;
}

export async function inReverseDependencyOrder<T>(
  items: readonly T[],
  keyOf: (t: T) => string,
  dependsOn: (t: T) => readonly string[],
  run: (t: T) => Promise<void>,
): Promise<DeletionOutcome<T>> {
  const dependents = new Map<T, T[]>();
  for (const item of items) dependents.set(item, []);
  for (const item of items) {
    const deps = new Set(dependsOn(item));
    for (const other of items) {
      if (other !== item && deps.has(keyOf(other))) dependents.get(other)!.push(item);
    }
  }
  const failed = new Map<T, Error>();
  const skipped = new Set<T>();
  const started = new Map<T, Promise<boolean>>();
  const visiting = new Set<T>();

  // Resolves true when `item` is gone. Memoized so each deletion runs once however many paths reach it.
  const settle = (item: T): Promise<boolean> => {
    const existing = started.get(item);
    if (existing) return existing;
    if (visiting.has(item)) throw new Error(`dependency cycle through ${keyOf(item)}`);
    visiting.add(item);
    const waits = dependents.get(item)!.map(settle);
    visiting.delete(item);
    const p = Promise.all(waits).then(async (gone) => {
      if (!gone.every(Boolean)) {
        skipped.add(item);
        return false;
      }
      try {
        await run(item);
        return true;
      } catch (e) {
        failed.set(item, e instanceof Error ? e : new Error(String(e)));
        return false;
      }
    });
    started.set(item, p);
    return p;
  };
  await Promise.all(items.map(settle));
  return { failed, skipped };
}
