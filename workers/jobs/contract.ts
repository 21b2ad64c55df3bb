import { z } from "zod";

// The typed job contract shared by the app (producers) and the workers (consumers). Payloads carry
// ids only and are validated on enqueue and again when the job runs. Every job name here has
// exactly one processor in workers/jobs/processors.ts (checked by the type and at start-up).

export const QUEUES = {
  frames: "frames",
  enrolment: "enrolment",
  requests: "requests",
  maintenance: "maintenance",
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);

export const jobs = {
  "frame.analyze": {
    queue: QUEUES.frames,
    payload: z.object({ frameId: z.string().uuid(), cameraId: id, capturedAt: z.number().int().positive() }).strict(),
  },
  "enrol.template": {
    queue: QUEUES.enrolment,
    payload: z.object({ userId: id, selfieId: z.string().uuid() }).strict(),
  },
  "request.export": { queue: QUEUES.requests, payload: z.object({ requestId: id }).strict() },
  "request.erase": { queue: QUEUES.requests, payload: z.object({ requestId: id }).strict() },
  "retention.sweep": { queue: QUEUES.maintenance, payload: z.object({}).strict() },
  "footfall.rollup": { queue: QUEUES.maintenance, payload: z.object({}).strict() },
  "request.overdue": { queue: QUEUES.maintenance, payload: z.object({}).strict() },
} as const;

export type JobName = keyof typeof jobs;
export type JobPayload<N extends JobName> = z.infer<(typeof jobs)[N]["payload"]>;

export function parsePayload<N extends JobName>(name: N, data: unknown): JobPayload<N> {
  return jobs[name].payload.parse(data) as JobPayload<N>;
}

export function isJobName(v: string): v is JobName {
  return Object.hasOwn(jobs, v);
}
