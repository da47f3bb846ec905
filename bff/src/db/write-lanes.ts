/**
 * Group commit for writes that all queue on the same rows (every order of a shop takes the shop's
 * day counter, a sale's orders take one product's stock). Sent one by one, such writes run one at
 * a time anyway: each waits for the row lock, then pays its own statement, commit and WAL flush
 * while the rest wait. A lane sends one write at a time and gathers the ones that arrive
 * meanwhile, so the next statement writes all of them and the lock is taken once for the lot.
 *
 * A lone write goes straight out, so an idle lane adds no wait. A write that shares its lane is
 * sent with its company; when that fails for any reason (one of them finds too little stock, a key
 * was replayed, a pickup code clashes, the database went away), each is sent again alone, exactly
 * as it would have been without company, and gets its own answer: one bad write never fails
 * another.
 *
 * Lanes live in one process. Several processes each keep their own and meet on the rows' locks,
 * as single writes do.
 */
export function writeLanes<T, R>(send: {
  /** One write, as it runs without company. */
  one: (item: T) => Promise<R>;
  /** Several in one statement: all of them are written, or none (then each is sent alone). */
  many: (items: T[]) => Promise<R[]>;
  /** The most writes one statement carries. */
  max: number;
}): (lane: string, item: T) => Promise<R> {
  const waiting = new Map<string, Waiter<T, R>[]>();

  const alone = (w: Waiter<T, R>) => send.one(w.item).then(w.resolve, w.reject);

  async function together(batch: Waiter<T, R>[]): Promise<void> {
    if (batch.length === 1) return alone(batch[0]!);
    let results: R[];
    try {
      results = await send.many(batch.map((w) => w.item));
    } catch {
      // Nothing of the batch was written: the lane waits for the lone retries, so the next batch
      // does not race them for the rows they need.
      await Promise.all(batch.map(alone));
      return;
    }
    batch.forEach((w, i) => {
      w.resolve(results[i]!);
    });
  }

  async function drain(lane: string): Promise<void> {
    for (;;) {
      const queue = waiting.get(lane)!;
      if (queue.length === 0) {
        waiting.delete(lane);
        return;
      }
      await together(queue.splice(0, send.max));
    }
  }

  return (lane, item) => {
    const queue = waiting.get(lane);
    if (queue) return new Promise<R>((resolve, reject) => queue.push({ item, resolve, reject }));
    waiting.set(lane, []);
    const first = send.one(item);
    const next = () => void drain(lane);
    first.then(next, next);
    return first;
  };
}

interface Waiter<T, R> {
  item: T;
  resolve: (r: R) => void;
  reject: (err: unknown) => void;
}
