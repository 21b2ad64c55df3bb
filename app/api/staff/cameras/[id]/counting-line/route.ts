import { NextResponse } from "next/server";
import { requireStaff } from "@/lib/auth/require-staff.ts";
import { setCountingLine } from "@/lib/cameras/set-counting-line.ts";
import { AppError } from "@/lib/errors/app-error.ts";
import { jsonError } from "../../../../../_lib/json-error.ts";

export const dynamic = "force-dynamic";

/**
 * PUT /api/staff/cameras/<id>/counting-line with {x1, y1, x2, y2, band} (shares of the frame,
 * 0..1) sets the line; DELETE clears it. Admins only; a malformed line is 400 invalid_input.
 */
export async function PUT(req: Request, ctx: { params: Promise<{ id: string }> }) {
  try {
    const user = await requireStaff("ADMIN");
    const { id } = await ctx.params;
    const line: unknown = await req.json().catch(() => {
      throw new AppError("invalid_input", "body is not JSON");
    });
    // Clearing is DELETE: a PUT always carries a line.
    if (line === null) throw new AppError("invalid_input", "no line given");
    return NextResponse.json(await setCountingLine({ cameraId: id, line, actor: { id: user.id, role: user.role } }));
  } catch (e) {
    return jsonError(e, "staff.camera-line");
  }
}

export async function DELETE(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  try {
    const user = await requireStaff("ADMIN");
    const { id } = await ctx.params;
    return NextResponse.json(
      await setCountingLine({ cameraId: id, line: null, actor: { id: user.id, role: user.role } }),
    );
  } catch (e) {
    return jsonError(e, "staff.camera-line");
  }
}
