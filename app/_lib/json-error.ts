import { NextResponse } from "next/server";
import { AppError, httpStatus } from "@/lib/errors/app-error.ts";
import { logError } from "@/lib/log/log-error.ts";

/** The one place route handlers turn errors into JSON responses; unknown errors never leak details. */
export function jsonError(e: unknown, where: string): NextResponse {
  if (e instanceof AppError) {
    const headers = e.retryAfter ? { "retry-after": String(e.retryAfter) } : undefined;
    return NextResponse.json({ error: e.code, message: e.message }, { status: httpStatus(e), headers });
  }
  logError(where, e);
  return NextResponse.json(
    { error: "internal", message: "Something went wrong; nothing was changed." },
    { status: 500 },
  );
}
