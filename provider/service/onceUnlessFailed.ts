/**
 * A value resolved once and shared, unless resolving failed: a failure (missing credentials, Quick BI unreachable) is
 * not kept, so the next caller tries afresh and reports its own error.
 */
export function onceUnlessFailed<T>(make: () => Promise<T>): { (): Promise<T>; reset(): void } {
  let pending: Promise<T> | undefined;
  const get = (): Promise<T> => {
    if (pending === undefined) {
      const p = make();
      p.catch(() => {
        if (pending === p) pending = undefined;
      });
      pending = p;
    }
    return pending;
  };
  return Object.assign(get, {
    reset: () => {
      pending = undefined;
    },
  });
}
