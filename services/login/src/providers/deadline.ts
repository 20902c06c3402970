/**
 * `work`, or a rejection with `onTimeout()` once `ms` have passed without it settling. The timer is
 * cleared either way; a late rejection of `work` is swallowed (its caller has moved on).
 */
export function withinDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
