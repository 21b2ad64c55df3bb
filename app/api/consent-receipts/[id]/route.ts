import { NextResponse } from "next/server";
import { currentUser } from "@/lib/auth/current-user.ts";
import { buildConsentReceipt } from "@/lib/consent/build-consent-receipt.ts";
import { isAppError } from "@/lib/errors/app-error.ts";
import { jsonError } from "../../../_lib/json-error.ts";
import { wantsPage } from "../../../_lib/wants-page.ts";
import { pageRedirect } from "../../../_lib/page-redirect.ts";

export const dynamic = "force-dynamic";

/**
 * A shopper's own consent receipt as a JSON download; anyone else's id is a 404. A browser
 * following the link is sent to sign in (and back to the receipt), or, for a receipt that is not
 * theirs or no longer exists, to the consents card of My data with a translated message, the same
 * for both. Programs keep the JSON answers.
 */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  const page = wantsPage(req);
  try {
    const { id } = await ctx.params;
    const user = await currentUser();
    if (!user) {
      if (page)
        return pageRedirect(
          `/signin?callbackUrl=${encodeURIComponent(`/api/consent-receipts/${encodeURIComponent(id)}`)}`,
        );
      return NextResponse.json({ error: "unauthenticated", message: "Sign in to download receipts." }, { status: 401 });
    }
    const receipt = await buildConsentReceipt(user.id, id);
    return new NextResponse(JSON.stringify(receipt, null, 2), {
      headers: {
        "content-type": "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="consent-receipt-${id}.json"`,
        "cache-control": "private, no-store",
      },
    });
  } catch (e) {
    if (page && isAppError(e, "not_found")) return pageRedirect("/me?error=receipt_unavailable#consents");
    return jsonError(e, "consent-receipt");
  }
}
