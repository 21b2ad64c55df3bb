// Which waiting results of one camera the tracker applies now, in frame order. Detection runs in
// parallel on any worker; association must see a camera's frames one by one in ingest order, so
// that the counts do not depend on which worker got which frame. A result that arrives after its
// turn is not applied: a gap (a frame still being analysed) holds the line for at most `reorderMs`
// after the first result behind it was ready, then it is skipped as late.
export type ReadyResult = { seq: number; publishedAt: number };

export type SequencePlan = {
  /** seqs to apply now, in order (each one the cursor + 1 of the one before) */
  take: number[];
  /** seqs given up as late (gaps older than the window) */
  skipped: number[];
  /** results at or below the cursor: their turn has passed, drop them */
  stale: number[];
  /** the cursor after this plan: every seq up to it is applied or skipped */
  cursor: number;
};

/** At most this many seqs are listed as skipped (a camera's counter can jump far after an outage). */
const MAX_LISTED_SKIPS = 1000;

export function planSequence(
  cursor: number,
  ready: readonly ReadyResult[],
  now: number,
  reorderMs: number,
): SequencePlan {
  const sorted = [...ready].sort((a, b) => a.seq - b.seq);
  const plan: SequencePlan = { take: [], skipped: [], stale: [], cursor };
  for (const r of sorted) {
    if (r.seq <= plan.cursor) {
      if (!plan.take.includes(r.seq)) plan.stale.push(r.seq);
      continue;
    }
    if (r.seq > plan.cursor + 1) {
      // A gap: wait for it unless the result behind it has waited the whole window already.
      if (now - r.publishedAt <= reorderMs) break;
      for (let s = plan.cursor + 1; s < r.seq && plan.skipped.length < MAX_LISTED_SKIPS; s++) plan.skipped.push(s);
    }
    plan.take.push(r.seq);
    plan.cursor = r.seq;
  }
  return plan;
}
