import { NextResponse } from "next/server";
import { env } from "@/lib/env.ts";
import { AppError } from "@/lib/errors/app-error.ts";
import { acceptFrame } from "@/lib/ingest/accept-frame.ts";
import { SIGNATURE_HEADERS } from "@/lib/ingest/frame-signature.ts";
import { jsonError } from "../../../_lib/json-error.ts";
import { countMetric } from "@/lib/metrics/metrics.ts";
import { readBody } from "../../../_lib/read-body.ts";
import { clientIp } from "@/lib/http/client-ip.ts";
import type { FrameAccepted } from "@/lib/ingest/ingest-contract.ts";

export const dynamic = "force-dynamic";

/** Signed JPEG frames from store cameras: 202 with the frame id, or a JSON error and nothing kept. */
export async function POST(req: Request) {
  try {
    const type = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "image/jpeg") throw new AppError("unsupported_media_type", "content-type must be image/jpeg");
    const body = await readBody(req, env().FRAME_MAX_BYTES);
    const { frameId } = await acceptFrame({
      cameraId: req.headers.get(SIGNATURE_HEADERS.camera),
      timestamp: req.headers.get(SIGNATURE_HEADERS.timestamp),
      signature: req.headers.get(SIGNATURE_HEADERS.signature),
      body,
      clientIp: clientIp(req.headers),
    });
    void countMetric("veil_frames_accepted_total");
    return NextResponse.json({ frameId } satisfies FrameAccepted, { status: 202 });
  } catch (e) {
    void countMetric("veil_frames_rejected_total", { reason: e instanceof AppError ? e.code : "internal" });
    return jsonError(e, "ingest.frames");
  }
}
