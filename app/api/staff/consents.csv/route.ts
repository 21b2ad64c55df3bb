import { NextResponse, type NextRequest } from "next/server";
import { requireRole } from "@/lib/auth/current-user.ts";
import { exportConsentCsv } from "@/lib/consent/export-consent-csv.ts";
import { AppError } from "@/lib/errors/app-error.ts";
import { jsonError } from "../../../_lib/json-error.ts";

export const dynamic = "force-dynamic";

/** GET /api/staff/consents.csv?store=<slug>&from=YYYY-MM-DD&to=YYYY-MM-DD — support and admin only. */
export async function GET(req: NextRequest) {
  try {
    await requireRole("SUPPORT", "ADMIN");
    const q = req.nextUrl.searchParams;
    const date = (v: string | null) => {
      if (!v) return undefined;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new AppError("invalid_input", "dates are YYYY-MM-DD");
      return new Date(`${v}T00:00:00Z`);
    };
    const store = q.get("store") ?? undefined;
    if (store && !/^[a-z0-9-]{1,64}$/.test(store)) throw new AppError("invalid_input", "bad store");
    const body = await exportConsentCsv({ storeSlug: store, from: date(q.get("from")), to: date(q.get("to")) });
    return new NextResponse(body, { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="consents${store ? `-${store}` : ""}.csv"`, "cache-control": "no-store" } });
  } catch (e) {
    return jsonError(e, "staff.consents_csv");
  }
}
