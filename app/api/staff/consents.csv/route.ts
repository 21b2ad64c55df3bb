import { NextResponse, type NextRequest } from "next/server";
import { requireStaff } from "@/lib/auth/require-staff.ts";
import { exportConsentCsv } from "@/lib/consent/export-consent-csv.ts";
import { AppError } from "@/lib/errors/app-error.ts";
import { isStoreSlug } from "@/lib/stores/store-slug.ts";
import { logError } from "@/lib/log/log-error.ts";
import { jsonError } from "../../../_lib/json-error.ts";

export const dynamic = "force-dynamic";

const date = (v: string | null) => {
  if (!v) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new AppError("invalid_input", "dates are YYYY-MM-DD");
  return new Date(`${v}T00:00:00Z`);
};

/** GET /api/staff/consents.csv?store=<slug>&from=YYYY-MM-DD&to=YYYY-MM-DD — support and admin only, streamed. */
export async function GET(req: NextRequest) {
  try {
    await requireStaff("SUPPORT");
    const q = req.nextUrl.searchParams;
    const store = q.get("store") ?? undefined;
    if (store !== undefined && !isStoreSlug(store)) throw new AppError("invalid_input", "bad store");
    const lines = exportConsentCsv({ storeSlug: store, from: date(q.get("from")), to: date(q.get("to")) });
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const next = await lines.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(next.value));
        } catch (e) {
          // Headers are gone by now: the auditor sees a cut download, the log says why.
          logError("staff.consents_csv", e);
          controller.error(e);
        }
      },
      cancel: () => void lines.return(undefined),
    });
    return new NextResponse(body, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="consents${store ? `-${store}` : ""}.csv"`,
        "cache-control": "no-store",
      },
    });
  } catch (e) {
    return jsonError(e, "staff.consents_csv");
  }
}
