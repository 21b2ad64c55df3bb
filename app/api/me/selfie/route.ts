import { NextResponse } from "next/server";
import { currentUser } from "@/lib/auth/current-user.ts";
import { AppError, httpStatus, isAppError } from "@/lib/errors/app-error.ts";
import { submitSelfie } from "@/lib/templates/submit-selfie.ts";
import { logError } from "@/lib/log/log-error.ts";

export const dynamic = "force-dynamic";

const MAX_SELFIE_BYTES = 8 * 1024 * 1024;

/**
 * Selfie upload from the consent page (multipart form, works without JavaScript). Answers with a
 * redirect back to the page carrying the outcome; JSON clients (Accept: application/json) get JSON.
 */
export async function POST(req: Request) {
  const wantsJson = (req.headers.get("accept") ?? "").includes("application/json");
  let store = "";
  try {
    const user = await currentUser();
    if (!user) throw new AppError("unauthenticated", "sign-in required");
    if (Number(req.headers.get("content-length") ?? 0) > MAX_SELFIE_BYTES) throw new AppError("payload_too_large", "selfie over 8 MB");
    const form = await req.formData().catch(() => {
      throw new AppError("invalid_input", "expected a multipart form");
    });
    store = String(form.get("store") ?? "");
    if (!/^[a-z0-9-]{1,64}$/.test(store)) throw new AppError("invalid_input", "store missing");
    const file = form.get("photo");
    if (!(file instanceof Blob) || file.size === 0) throw new AppError("invalid_input", "photo missing");
    if (file.size > MAX_SELFIE_BYTES) throw new AppError("payload_too_large", "selfie over 8 MB");
    const { selfieId } = await submitSelfie({ userId: user.id, storeSlug: store, image: new Uint8Array(await file.arrayBuffer()) });
    if (wantsJson) return NextResponse.json({ selfieId, status: "PENDING" }, { status: 202 });
    return NextResponse.redirect(new URL(`/s/${store}/consent?saved=selfie#template`, req.url), 303);
  } catch (e) {
    const code = isAppError(e) ? e.code : "generic";
    if (!isAppError(e)) logError("selfie.upload", e);
    const status = httpStatus(e);
    if (wantsJson || !store) return NextResponse.json({ error: code }, { status });
    return NextResponse.redirect(new URL(`/s/${store}/consent?error=${code}#template`, req.url), 303);
  }
}
