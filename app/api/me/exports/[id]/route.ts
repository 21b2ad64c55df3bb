import { NextResponse } from "next/server";
import { currentUser } from "@/lib/auth/current-user.ts";
import { readExport } from "@/lib/requests/read-export.ts";
import { jsonError } from "../../../../_lib/json-error.ts";

export const dynamic = "force-dynamic";

/** The shopper's own export while it lasts; anyone else, or after expiry, gets 404. */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  try {
    const user = await currentUser();
    if (!user)
      return NextResponse.json(
        { error: "unauthenticated", message: "Sign in to download your data." },
        { status: 401 },
      );
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
    return jsonError(e, "me.export");
  }
}
