import { z } from "zod";

// What /api/health answers: the route's bodies are typed by these, and the OpenAPI document
// (lib/api/openapi-document.ts) describes them, so the two cannot disagree.
export const healthPublic = z.object({ status: z.enum(["ok", "degraded"]) });
export const healthDetail = healthPublic.extend({
  database: z.string(),
  redis: z.string(),
  queues: z.union([z.record(z.string(), z.record(z.string(), z.number())), z.literal("down")]),
  models: z.string(),
  rssMb: z.number().int(),
});
export type HealthPublic = z.infer<typeof healthPublic>;
export type HealthDetail = z.infer<typeof healthDetail>;
