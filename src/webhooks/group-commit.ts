import { currentDeadline, DatabaseDeadlineError, withDatabaseDeadline } from "../db/deadline.js";

export interface GroupCommitOptions<I, R> {
  /** Stores the items in one transaction and returns one result per item, in order; throws if it rolled back. */
  commit(items: I[]): Promise<R[]>;
  /** Items per transaction at most; the rest wait for the next. */
  maxBatch: number;
}

interface Waiting<I, R> {
  item: I;
  deadline: number | undefined;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * Group commit: one transaction at a time, holding every item that arrived while the previous one
 * ran. A lone item commits at once (the window is exactly the previous commit's duration, so it
 * widens with load and is nothing when idle). Each caller's promise settles only with the commit that
 * held its item. A batch that fails with anything but a deadline is retried item by item, at once, so
 * one item the database refuses fails alone, not its neighbours; a batch that ran out of time is not
 * retried, since the slowness was the database's. A batch runs under the earliest deadline among its
 * callers (src/db/deadline.ts), so no caller is answered after its own deadline.
 */
export function groupCommit<I, R>(options: GroupCommitOptions<I, R>): (item: I) => Promise<R> {
  let queue: Array<Waiting<I, R>> = [];
  let running = false;

  const commitAlone = async (w: Waiting<I, R>) => {
    try {
      w.resolve((await withDatabaseDeadline(w.deadline, () => options.commit([w.item])))[0]!);
    } catch (error) {
      w.reject(error);
    }
  };

  const commitBatch = async (waiting: Array<Waiting<I, R>>) => {
    // Their callers have been answered already (src/webhooks/http.ts); storing them now would only shorten the others' deadline.
    const now = Date.now();
    const batch = waiting.filter((w) => w.deadline === undefined || w.deadline > now);
    for (const w of waiting) if (!batch.includes(w)) w.reject(new DatabaseDeadlineError("the deadline passed while waiting for the group commit"));
    if (batch.length === 0) return;
    if (batch.length === 1) return commitAlone(batch[0]!);
    const deadlines = batch.map((w) => w.deadline).filter((d): d is number => d !== undefined);
    const earliest = deadlines.length > 0 ? Math.min(...deadlines) : undefined;
    let results: R[];
    try {
      results = await withDatabaseDeadline(earliest, () => options.commit(batch.map((w) => w.item)));
    } catch (error) {
      if (error instanceof DatabaseDeadlineError) for (const w of batch) w.reject(error);
      else await Promise.all(batch.map(commitAlone));
      return;
    }
    batch.forEach((w, i) => w.resolve(results[i]!));
  };

  const run = async () => {
    running = true;
    try {
      while (queue.length > 0) {
        const batch = queue.slice(0, options.maxBatch);
        queue = queue.slice(options.maxBatch);
        await commitBatch(batch);
      }
    } finally {
      running = false;
    }
  };

  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, deadline: currentDeadline(), resolve, reject });
      if (!running) void run();
    });
}
