import { NextResponse } from "next/server";
import { requireStaff } from "@/lib/auth/require-staff.ts";
import { readCameraStill } from "@/lib/cameras/read-camera-still.ts";
import { jsonError } from "../../../../../_lib/json-error.ts";

export const dynamic = "force-dynamic";

/** GET /api/staff/cameras/<id>/still — the camera's latest stored frame, every face blurred; admins only. */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  try {
    const user = await requireStaff("ADMIN");
    const { id } = await ctx.params;
    const jpeg = await readCameraStill({ cameraId: id, actor: { id: user.id, role: user.role } });
    return new NextResponse(new Uint8Array(jpeg), {
      headers: { "content-type": "image/jpeg", "cache-control": "private, no-store" },
    });
  } catch (e) {
    return jsonError(e, "staff.camera-still");
  }
}
