import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { INGEST_PATH } from "../ingest/accept-frame.ts";
import { errorStatus } from "../errors/app-error.ts";
import { healthDetail, healthPublic } from "../health/health-contract.ts";
import { apiError, frameAccepted, INGEST_ERRORS, ingestHeaders } from "../ingest/ingest-contract.ts";

// OpenAPI 3.1 for what machines call: camera ingest, health and metrics. Generated from the zod
// schemas the routes use (lib/ingest/ingest-contract.ts), never written by hand. Schemas are inlined:
// naming them needs the library's zod prototype patch applied before any schema exists.

function errorResponses() {
  // Node 20 has no Map.groupBy.
  const byStatus = new Map<number, (typeof INGEST_ERRORS)[number][]>();
  for (const e of INGEST_ERRORS) byStatus.set(errorStatus[e.code], [...(byStatus.get(errorStatus[e.code]) ?? []), e]);
  return Object.fromEntries(
    [...byStatus].map(([status, errors]) => [
      String(status),
      {
        description: errors.map((e) => `\`${e.code}\`: ${e.meaning}`).join(" "),
        ...(status === 429 || status === 503
          ? {
              headers: {
                "Retry-After": {
                  description: "Seconds to wait before the next frame.",
                  schema: { type: "integer" as const },
                },
              },
            }
          : {}),
        content: { "application/json": { schema: apiError(errors.map((e) => e.code) as [string, ...string[]]) } },
      },
    ]),
  );
}

export function openApiDocument(serverUrl: string) {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent("securitySchemes", "metricsToken", {
    type: "http",
    scheme: "bearer",
    description: "METRICS_TOKEN",
  });

  registry.registerPath({
    method: "post",
    path: INGEST_PATH,
    summary: "Send one camera frame",
    description:
      "A registered store camera posts one JPEG frame, signed with its secret. Nothing is stored or queued unless the answer is 202.",
    request: {
      headers: ingestHeaders,
      body: { required: true, content: { "image/jpeg": { schema: { type: "string", format: "binary" } } } },
    },
    responses: {
      202: {
        description: "Accepted and queued for analysis.",
        content: { "application/json": { schema: frameAccepted } },
      },
      ...errorResponses(),
    },
  });
  registry.registerPath({
    method: "get",
    path: "/api/health",
    summary: "Whether the app, database, Redis, queues and models are up",
    description: "Without the bearer token only `status`; with it, each part and the queue depths.",
    security: [{}, { [bearer.name]: [] }],
    responses: {
      200: {
        description: "All parts answer.",
        content: { "application/json": { schema: z.union([healthPublic, healthDetail]) } },
      },
      503: {
        description: "A part is down.",
        content: { "application/json": { schema: z.union([healthPublic, healthDetail]) } },
      },
    },
  });
  registry.registerPath({
    method: "get",
    path: "/api/metrics",
    summary: "Prometheus metrics",
    security: [{ [bearer.name]: [] }],
    responses: {
      200: { description: "Prometheus text format 0.0.4.", content: { "text/plain": { schema: { type: "string" } } } },
      401: {
        description: "No or wrong bearer token (and always, when METRICS_TOKEN is not set).",
        content: { "application/json": { schema: apiError(["unauthenticated"]) } },
      },
      503: {
        description: "Redis is unreachable.",
        content: { "application/json": { schema: apiError(["unavailable"]) } },
      },
    },
  });

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Veil machine API",
      version: "1",
      description: "Camera ingest, health and metrics. Shoppers and staff use the web pages, not this API.",
    },
    servers: [{ url: serverUrl }],
  });
}
