import { NextResponse } from "next/server";
import { currentUser } from "@/lib/auth/current-user.ts";
import { AppError } from "@/lib/errors/app-error.ts";
import { getKioskEnrolment } from "@/lib/kiosk/get-kiosk-enrolment.ts";
import { jsonError } from "../../../../_lib/json-error.ts";

export const dynamic = "force-dynamic";

/** The shopper's phone polls the outcome of their kiosk code here (theirs only; anyone else: 404). */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  try {
    const user = await currentUser();
    if (!user) throw new AppError("unauthenticated", "sign-in required");
    const { id } = await ctx.params;
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new AppError("not_found", "bad id");
    const view = await getKioskEnrolment({ userId: user.id, enrolmentId: id });
    return NextResponse.json(view, { headers: { "cache-control": "no-store" } });
  } catch (e) {
    return jsonError(e, "kiosk.status");
  }
}
