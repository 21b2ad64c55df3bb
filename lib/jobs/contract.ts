import { z } from "zod";

// The typed job contract shared by the app (producers) and the workers (consumers): per job its
// queue, payload schema, and policy (attempts, backoff, job id, schedule). Payloads carry ids only
// and are validated on enqueue and again when the job runs. Call sites pass only the payload, so
// a job's retry policy is written here once. Every job name here has exactly one processor in
// workers/jobs/processors.ts (checked by the type and at start-up).

export const QUEUES = {
  frames: "frames",
  enrolment: "enrolment",
  requests: "requests",
  maintenance: "maintenance",
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);
const HOUR = 60 * 60 * 1000;

type Backoff = { type: "exponential" | "fixed"; delay: number };
type JobSpec<P extends z.ZodType> = {
  queue: QueueName;
  payload: P;
  attempts: number;
  backoff?: Backoff;
  /** A deterministic id makes enqueueing idempotent: the same frame/request is never queued twice. */
  jobId?: (p: z.infer<P>) => string;
  /** Maintenance jobs run on a schedule declared (upserted) by every worker process. */
  every?: number;
};
const spec = <P extends z.ZodType>(s: JobSpec<P>) => s;

// seq: the camera's frame number from ingest (1, 2, 3, ...), so the tracker applies one camera's
// frames in the order they arrived whichever worker analysed which. trackAt: the tracker's time axis
// in ms: the camera's own capture time when it signs milliseconds, else the ingest clock (a camera
// that signs whole seconds gives several frames the same capturedAt).
const frameAnalyze = z
  .object({
    frameId: z.string().uuid(),
    cameraId: id,
    capturedAt: z.number().int().positive(),
    seq: z.number().int().positive(),
    trackAt: z.number().int().positive(),
  })
  .strict();
// Opaque ids only, never a user id or e-mail: finished jobs are kept (KEEP in queues.ts), and an
// erased shopper's jobs must not name them (erasure removes the rest, any state).
const enrolKiosk = z.object({ enrolmentId: id }).strict();
const requestJob = z.object({ requestId: id }).strict();
const none = z.object({}).strict();

export const jobs = {
  // Retries spread over ~15 s of the frame's 30 s TTL, so a short database outage loses no frame.
  "frame.analyze": spec({
    queue: QUEUES.frames,
    payload: frameAnalyze,
    attempts: 6,
    backoff: { type: "exponential", delay: 500 },
    jobId: (p) => `frame.analyze-${p.frameId}`,
  }),
  // One job per kiosk code: the burst's frames wait in Redis for at most a minute.
  "enrol.kiosk": spec({
    queue: QUEUES.enrolment,
    payload: enrolKiosk,
    attempts: 2,
    jobId: (p) => `enrol.kiosk-${p.enrolmentId}`,
  }),
  // Data-rights requests have a legal deadline: retried for minutes, not seconds.
  "request.export": spec({
    queue: QUEUES.requests,
    payload: requestJob,
    attempts: 5,
    backoff: { type: "exponential", delay: 2000 },
    jobId: (p) => `request.export-${p.requestId}`,
  }),
  "request.erase": spec({
    queue: QUEUES.requests,
    payload: requestJob,
    attempts: 5,
    backoff: { type: "exponential", delay: 2000 },
    jobId: (p) => `request.erase-${p.requestId}`,
  }),
  "retention.sweep": spec({ queue: QUEUES.maintenance, payload: none, attempts: 1, every: HOUR }),
  "footfall.rollup": spec({ queue: QUEUES.maintenance, payload: none, attempts: 1, every: HOUR / 4 }),
  "request.overdue": spec({ queue: QUEUES.maintenance, payload: none, attempts: 1, every: 6 * HOUR }),
  // Ends the tracks of cameras gone quiet (workers/frames/close-quiet-tracks.ts): well inside the
  // 30 s life of a tracker's state, so the exits are counted before it expires.
  "tracks.quiet": spec({ queue: QUEUES.maintenance, payload: none, attempts: 1, every: 5000 }),
} as const;

export type JobName = keyof typeof jobs;
export type JobPayload<N extends JobName> = z.infer<(typeof jobs)[N]["payload"]>;

export function parsePayload<N extends JobName>(name: N, data: unknown): JobPayload<N> {
  return jobs[name].payload.parse(data) as JobPayload<N>;
}

export function isJobName(v: string): v is JobName {
  return Object.hasOwn(jobs, v);
}
