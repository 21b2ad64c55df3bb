// Age band and gender over a stay: each good frame of a recognised, consenting shopper is one
// vote; the visit keeps the most frequent value (ties: the value voted first), which is robust to
// the single-frame swings the per-frame model shows (55-64, 35-44, 45-54, 65+ within one minute).
export type DemographicVotes = { ageBand: Record<string, number>; gender: Record<string, number>; order: string[] };

/** At most this many estimates per visit: enough for a stable majority, bounded cost. */
export const MAX_DEMOGRAPHIC_VOTES = 5;

export function voteCount(v: DemographicVotes | null): number {
  return v ? Object.values(v.gender).reduce((a, b) => a + b, 0) : 0;
}

export function addVote(prev: DemographicVotes | null, est: { ageBand: string; gender: string }): DemographicVotes {
  const v: DemographicVotes = prev
    ? { ageBand: { ...prev.ageBand }, gender: { ...prev.gender }, order: [...prev.order] }
    : { ageBand: {}, gender: {}, order: [] };
  if (voteCount(v) >= MAX_DEMOGRAPHIC_VOTES) return v;
  v.ageBand[est.ageBand] = (v.ageBand[est.ageBand] ?? 0) + 1;
  v.gender[est.gender] = (v.gender[est.gender] ?? 0) + 1;
  for (const k of [`a:${est.ageBand}`, `g:${est.gender}`]) if (!v.order.includes(k)) v.order.push(k);
  return v;
}

export function majority(v: DemographicVotes): { ageBand: string | null; gender: string | null } {
  const pick = (counts: Record<string, number>, p: string) =>
    Object.keys(counts).sort((a, b) => counts[b]! - counts[a]! || v.order.indexOf(p + a) - v.order.indexOf(p + b))[0] ??
    null;
  return { ageBand: pick(v.ageBand, "a:"), gender: pick(v.gender, "g:") };
}
