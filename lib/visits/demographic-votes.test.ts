import { describe, expect, it } from "vitest";
import { addVote, majority, MAX_DEMOGRAPHIC_VOTES, voteCount, type DemographicVotes } from "./demographic-votes.ts";

describe("demographic votes over a stay", () => {
  it("keeps the majority, not the last estimate", () => {
    let v: DemographicVotes | null = null;
    for (const ageBand of ["35-44", "55-64", "35-44", "65+"]) v = addVote(v, { ageBand, gender: "female" });
    expect(majority(v!)).toEqual({ ageBand: "35-44", gender: "female" });
  });
  it("a tie goes to the value seen first", () => {
    const v = addVote(addVote(null, { ageBand: "25-34", gender: "male" }), { ageBand: "35-44", gender: "female" });
    expect(majority(v)).toEqual({ ageBand: "25-34", gender: "male" });
  });
  it("is bounded", () => {
    let v: DemographicVotes | null = null;
    for (let i = 0; i < 20; i++) v = addVote(v, { ageBand: "25-34", gender: "male" });
    expect(voteCount(v)).toBe(MAX_DEMOGRAPHIC_VOTES);
  });
});
