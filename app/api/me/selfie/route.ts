import { NextResponse } from "next/server";
import { currentUser } from "@/lib/auth/current-user.ts";
import { AppError, httpStatus, isAppError } from "@/lib/errors/app-error.ts";
import { submitSelfie } from "@/lib/templates/submit-selfie.ts";
import { logError } from "@/lib/log/log-error.ts";
import { appOrigin, isAppHost } from "@/lib/http/app-origin.ts";
import { clientIp } from "@/lib/http/client-ip.ts";
import { rateLimit } from "@/lib/rate-limit.ts";
import { readBody } from "../../../_lib/read-body.ts";

export const dynamic = "force-dynamic";

const MAX_SELFIE_BYTES = 8 * 1024 * 1024;
// The multipart envelope around the photo (boundaries, the store field) fits in this.
const MAX_BODY_BYTES = MAX_SELFIE_BYTES + 64 * 1024;
// Each accepted upload costs an ONNX enrolment job: per shopper and per client address, per hour.
export const SELFIES_PER_USER_PER_HOUR = 10;
export const SELFIES_PER_IP_PER_HOUR = 60;

/**
 * Selfie upload from the consent page (multipart form, works without JavaScript). Answers with a
 * redirect back to the page carrying the outcome; JSON clients (Accept: application/json) get JSON.
 */
export async function POST(req: Request) {
  const wantsJson = (req.headers.get("accept") ?? "").includes("application/json");
  let store = "";
  try {
    // proxy.ts does not see this route (it would buffer the whole body first): the same checks here.
    if (!isAppHost(req.headers)) return NextResponse.json({ error: "misdirected" }, { status: 421 });
    const user = await currentUser();
    if (!user) throw new AppError("unauthenticated", "sign-in required");
    // Another site's form must not upload with the shopper's cookie.
    const origin = req.headers.get("origin");
    if ((origin && origin !== appOrigin().origin) || req.headers.get("sec-fetch-site") === "cross-site")
      throw new AppError("forbidden", "cross-origin upload");
    await rateLimit("selfie-user", user.id, SELFIES_PER_USER_PER_HOUR, 3600);
    await rateLimit("selfie-ip", clientIp(req.headers), SELFIES_PER_IP_PER_HOUR, 3600);
    // Read with a byte limit before parsing: formData() would buffer any size of chunked body.
    const body = await readBody(req, MAX_BODY_BYTES);
    const form = await new Response(body as BodyInit, {
      headers: { "content-type": req.headers.get("content-type") ?? "" },
    })
      .formData()
      .catch(() => {
        throw new AppError("invalid_input", "expected a multipart form");
      });
    store = String(form.get("store") ?? "");
    if (!/^[a-z0-9-]{1,64}$/.test(store)) throw new AppError("invalid_input", "store missing");
    const file = form.get("photo");
    if (!(file instanceof Blob) || file.size === 0) throw new AppError("invalid_input", "photo missing");
    if (file.size > MAX_SELFIE_BYTES) throw new AppError("payload_too_large", "selfie over 8 MB");
    const { selfieId } = await submitSelfie({
      userId: user.id,
      storeSlug: store,
      image: new Uint8Array(await file.arrayBuffer()),
    });
    if (wantsJson) return NextResponse.json({ selfieId, status: "PENDING" }, { status: 202 });
    return NextResponse.redirect(new URL(`/s/${store}/consent?saved=selfie#template`, appOrigin()), 303);
  } catch (e) {
    const code = isAppError(e) ? e.code : "generic";
    if (!isAppError(e)) logError("selfie.upload", e);
    const status = httpStatus(e);
    const headers = isAppError(e) && e.retryAfter ? { "retry-after": String(e.retryAfter) } : undefined;
    if (wantsJson || !store) return NextResponse.json({ error: code }, { status, headers });
    return NextResponse.redirect(new URL(`/s/${store}/consent?error=${code}#template`, appOrigin()), 303);
  }
}
