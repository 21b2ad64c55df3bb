import { readFileSync } from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { errorStatus } from "../errors/app-error.ts";
import { INGEST_PATH } from "../ingest/accept-frame.ts";
import { SIGNATURE_HEADERS } from "../ingest/frame-signature.ts";
import { INGEST_ERRORS } from "../ingest/ingest-contract.ts";
import { openApiDocument } from "./openapi-document.ts";

type Operation = {
  parameters: { name: string; in: string; required: boolean; schema: { pattern?: string } }[];
  responses: Record<string, { content?: Record<string, { schema: { properties?: { error?: { enum?: string[] } } } }> }>;
};
const doc = openApiDocument("http://localhost:3000");
const ingest = (doc.paths as Record<string, { post: Operation }>)[INGEST_PATH]!.post;
const root = path.resolve(import.meta.dirname, "../..");

describe("the OpenAPI document (/api/openapi.json)", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await new Validator().validate(JSON.parse(JSON.stringify(doc)));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe("3.1.0");
  });

  it("documents the headers ingest actually reads, all required, with the patterns it checks", () => {
    const headers = ingest.parameters.filter((p) => p.in === "header");
    expect(headers.map((h) => h.name).sort()).toEqual(Object.values(SIGNATURE_HEADERS).sort());
    expect(headers.every((h) => h.required)).toBe(true);
    const pattern = (name: string) => new RegExp(headers.find((h) => h.name === name)!.schema.pattern!);
    expect(pattern(SIGNATURE_HEADERS.signature).test(`v1=${"a".repeat(64)}`)).toBe(true);
    expect(pattern(SIGNATURE_HEADERS.signature).test("v1=abc")).toBe(false);
    expect(pattern(SIGNATURE_HEADERS.timestamp).test("1764700000")).toBe(true);
  });

  it("lists every error code under the HTTP status the route really answers with", () => {
    for (const e of INGEST_ERRORS) {
      const response = ingest.responses[String(errorStatus[e.code])];
      expect(response, e.code).toBeDefined();
      expect(response!.content!["application/json"]!.schema.properties!.error!.enum).toContain(e.code);
    }
  });

  it("leaves out no error the ingest code can throw (the table cannot fall behind the code)", () => {
    const sources = ["lib/ingest/accept-frame.ts", "app/_lib/read-body.ts", "app/api/ingest/frames/route.ts"];
    const thrown = new Set(
      sources.flatMap((f) =>
        [...readFileSync(path.join(root, f), "utf8").matchAll(/new AppError\("([a-z_]+)"/g)].map((m) => m[1]!),
      ),
    );
    expect(thrown.size).toBeGreaterThan(5);
    expect([...thrown].filter((c) => !INGEST_ERRORS.some((e) => e.code === c))).toEqual([]);
  });
});
