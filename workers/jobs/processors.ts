import type { Job } from "bullmq";
import type { RedisClient } from "../../lib/redis.ts";
import { jobs, parsePayload, type JobName } from "../../lib/jobs/contract.ts";
import { retentionSweep } from "./retention-sweep.ts";
import { analyzeFrame } from "../frames/analyze-frame.ts";
import { enrolKioskBurst } from "../enrolment/enrol-kiosk-burst.ts";
import { buildExport } from "../../lib/requests/build-export.ts";
import { eraseSubject } from "../../lib/erasure/erase-subject.ts";
import { rollupFootfall } from "../../lib/footfall/rollup.ts";
import { flagOverdue } from "../../lib/requests/flag-overdue.ts";
import { closeQuietTracks } from "../frames/close-quiet-tracks.ts";
import type { GalleryCache } from "../frames/gallery-cache.ts";
import type { VisionPort } from "../frames/vision-port.ts";

export type Processor = (job: Job) => Promise<unknown>;
export type WorkerDeps = { redis: RedisClient; vision: VisionPort; galleries: GalleryCache };

// Exactly one processor per job name: the Record type makes a missing or extra one a compile error,
// and assertProcessors() repeats the check at start-up for anything the type system cannot see.
// Each processor validates its payload again: what is in Redis is not trusted.
export function createProcessors(deps: WorkerDeps): Record<JobName, Processor> {
  return {
    "frame.analyze": (job) =>
      analyzeFrame(parsePayload("frame.analyze", job.data), deps, {
        final: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
      }),
    "enrol.kiosk": (job) => enrolKioskBurst(parsePayload("enrol.kiosk", job.data), deps),
    "request.export": (job) => buildExport(parsePayload("request.export", job.data).requestId),
    "request.erase": (job) => eraseSubject(parsePayload("request.erase", job.data).requestId),
    "retention.sweep": async (job) => {
      parsePayload("retention.sweep", job.data);
      return retentionSweep();
    },
    "footfall.rollup": async (job) => {
      parsePayload("footfall.rollup", job.data);
      return rollupFootfall();
    },
    "request.overdue": async (job) => {
      parsePayload("request.overdue", job.data);
      return flagOverdue();
    },
    "tracks.quiet": async (job) => {
      parsePayload("tracks.quiet", job.data);
      return closeQuietTracks(deps.redis);
    },
  };
}

export function assertProcessors(processors: Record<string, Processor>): void {
  const names = Object.keys(jobs);
  const missing = names.filter((n) => typeof processors[n] !== "function");
  const extra = Object.keys(processors).filter((n) => !names.includes(n));
  if (missing.length || extra.length) {
    throw new Error(`job processors out of step with the contract: missing [${missing}] extra [${extra}]`);
  }
}
