import type { Job } from "bullmq";
import { jobs, parsePayload, type JobName } from "./contract.ts";
import { retentionSweep } from "./retention-sweep.ts";

type Processor = (job: Job) => Promise<unknown>;

// Exactly one processor per job name: the Record type makes a missing or extra one a compile error,
// and assertProcessors() repeats the check at start-up for anything the type system cannot see.
export const processors: Record<JobName, Processor> = {
  "retention.sweep": async (job) => {
    parsePayload("retention.sweep", job.data);
    return retentionSweep();
  },
};

export function assertProcessors(): void {
  const names = Object.keys(jobs);
  const missing = names.filter((n) => typeof processors[n as JobName] !== "function");
  const extra = Object.keys(processors).filter((n) => !names.includes(n));
  if (missing.length || extra.length) {
    throw new Error(`job processors out of step with the contract: missing [${missing}] extra [${extra}]`);
  }
}
