import { NextResponse } from "next/server";
import { currentUser } from "@/lib/auth/current-user.ts";
import { buildConsentReceipt } from "@/lib/consent/build-consent-receipt.ts";
import { jsonError } from "../../../_lib/json-error.ts";

export const dynamic = "force-dynamic";

/** A shopper's own consent receipt as a JSON download; anyone else's id is a 404. */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  try {
    const user = await currentUser();
    if (!user)
      return NextResponse.json({ error: "unauthenticated", message: "Sign in to download receipts." }, { status: 401 });
    const { id } = await ctx.params;
    const receipt = await buildConsentReceipt(user.id, id);
    return new NextResponse(JSON.stringify(receipt, null, 2), {
      headers: {
        "content-type": "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="consent-receipt-${id}.json"`,
        "cache-control": "private, no-store",
      },
    });
  } catch (e) {
    return jsonError(e, "consent-receipt");
  }
}
