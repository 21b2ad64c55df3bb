import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { AppError } from "@/lib/errors/app-error.ts";
import { KIOSK_COOKIE } from "@/lib/devices/device-secret.ts";
import { BURST_FRAME_MAX_BYTES, BURST_MAX_FRAMES } from "@/lib/kiosk/kiosk-code.ts";
import { submitKioskBurst } from "@/lib/kiosk/submit-kiosk-burst.ts";
import { appOrigin, isAppHost } from "@/lib/http/app-origin.ts";
import { readBody } from "../../../../_lib/read-body.ts";
import { jsonError } from "../../../../_lib/json-error.ts";

export const dynamic = "force-dynamic";

// The frames and the multipart envelope around them (boundaries, the code field).
const MAX_BODY_BYTES = BURST_MAX_FRAMES * BURST_FRAME_MAX_BYTES + 64 * 1024;

/**
 * The kiosk page posts the shopper's code and its burst here (multipart: `code`, `frame` x 3-6,
 * JPEG), with the kiosk's credential cookie (scoped to /s/<store>/kiosk). 202 when the burst is
 * queued for the checks; the shopper's phone shows the outcome. Refusals are JSON error codes.
 */
export async function POST(req: Request, ctx: { params: Promise<{ store: string }> }) {
  try {
    // proxy.ts does not see this route (it would buffer the whole body first): the same checks here.
    if (!isAppHost(req.headers)) return NextResponse.json({ error: "misdirected" }, { status: 421 });
    const origin = req.headers.get("origin");
    if ((origin && origin !== appOrigin().origin) || req.headers.get("sec-fetch-site") === "cross-site")
      throw new AppError("forbidden", "cross-origin burst");
    const { store } = await ctx.params;
    if (!/^[a-z0-9-]{1,64}$/.test(store)) throw new AppError("unknown_store", "bad store slug");
    const credential = (await cookies()).get(KIOSK_COOKIE)?.value;
    const body = await readBody(req, MAX_BODY_BYTES);
    const form = await new Response(body as BodyInit, {
      headers: { "content-type": req.headers.get("content-type") ?? "" },
    })
      .formData()
      .catch(() => {
        throw new AppError("invalid_input", "expected a multipart form");
      });
    const frames: Uint8Array[] = [];
    for (const f of form.getAll("frame")) {
      if (!(f instanceof Blob)) throw new AppError("invalid_input", "frame is not a file");
      frames.push(new Uint8Array(await f.arrayBuffer()));
    }
    await submitKioskBurst({ storeSlug: store, credential, code: String(form.get("code") ?? ""), frames });
    return NextResponse.json({ status: "accepted" }, { status: 202 });
  } catch (e) {
    return jsonError(e, "kiosk.burst");
  }
}
