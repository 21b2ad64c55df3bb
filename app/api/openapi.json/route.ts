import { NextResponse } from "next/server";
import { env } from "@/lib/env.ts";
import { openApiDocument } from "@/lib/api/openapi-document.ts";

export const dynamic = "force-dynamic";

/** The OpenAPI 3.1 document of the machine API, for camera integrators; public, it holds no secret. */
export function GET() {
  return NextResponse.json(openApiDocument(env().APP_URL), { headers: { "cache-control": "public, max-age=300" } });
}
