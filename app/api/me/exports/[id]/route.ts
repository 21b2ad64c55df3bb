import { NextResponse } from "next/server";
import { currentUser } from "@/lib/auth/current-user.ts";
import { readExport } from "@/lib/requests/read-export.ts";
import { isAppError } from "@/lib/errors/app-error.ts";
import { jsonError } from "../../../../_lib/json-error.ts";
import { wantsPage } from "../../../../_lib/wants-page.ts";
import { pageRedirect } from "../../../../_lib/page-redirect.ts";

export const dynamic = "force-dynamic";

/**
 * The shopper's own export while it lasts; anyone else, or after expiry, gets 404. A browser
 * following the link is sent to sign in, or to the requests card of My data with a translated
 * message, one for every missing export: another shopper's id reads as an unknown one.
 */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  const page = wantsPage(req);
  try {
    const user = await currentUser();
    if (!user) {
      if (page) return pageRedirect("/signin?callbackUrl=%2Fme");
      return NextResponse.json(
        { error: "unauthenticated", message: "Sign in to download your data." },
        { status: 401 },
      );
    }
    const { id } = await ctx.params;
    const body = await readExport(user.id, id);
    return new NextResponse(new Uint8Array(body), {
      headers: {
        "content-type": "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="my-data-${id}.json"`,
        "cache-control": "private, no-store",
      },
    });
  } catch (e) {
    if (page && isAppError(e, "not_found")) return pageRedirect("/me?error=export_unavailable#requests");
    return jsonError(e, "me.export");
  }
}
