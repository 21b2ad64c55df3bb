import { NextResponse, type NextRequest } from "next/server";
import { requireStaff } from "@/lib/auth/require-staff.ts";
import { renderStoreSign } from "@/lib/notices/render-store-sign.ts";
import { AppError } from "@/lib/errors/app-error.ts";
import { isLocale } from "@/lib/i18n/locales.ts";
import { isStoreSlug } from "@/lib/stores/store-slug.ts";
import { jsonError } from "../../../../_lib/json-error.ts";

export const dynamic = "force-dynamic";

/** GET /api/staff/signs/<store>?locale=en|zh-CN|fr — the printed A4 sign (SVG), admins only. */
export async function GET(req: NextRequest, ctx: { params: Promise<{ store: string }> }) {
  try {
    await requireStaff("ADMIN");
    const { store } = await ctx.params;
    const locale = req.nextUrl.searchParams.get("locale") ?? "en";
    if (!isStoreSlug(store) || !isLocale(locale)) throw new AppError("invalid_input", "bad store or locale");
    const { svg } = await renderStoreSign({ storeSlug: store, locale });
    return new NextResponse(svg, {
      headers: {
        "content-type": "image/svg+xml; charset=utf-8",
        "content-disposition": `attachment; filename="veil-sign-${store}-${locale}.svg"`,
        "cache-control": "no-store",
      },
    });
  } catch (e) {
    return jsonError(e, "staff.sign");
  }
}
