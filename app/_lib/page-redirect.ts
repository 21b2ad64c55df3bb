import { NextResponse } from "next/server";
import { appOrigin } from "@/lib/http/app-origin.ts";

/**
 * Sends a browser that followed a download link (see wantsPage) to a page of this app instead of a
 * JSON error: 303, so the next request is a GET, and never cached, since where it goes depends on
 * who is signed in.
 */
export function pageRedirect(path: string): NextResponse {
  const res = NextResponse.redirect(new URL(path, appOrigin()), 303);
  res.headers.set("cache-control", "private, no-store");
  return res;
}
