import { notFound } from "next/navigation";
import { loadStoreNotice } from "@/lib/notices/load-store-notice.ts";
import { ScrollTable } from "../../../_components/scroll-table.tsx";
import { isAppError } from "@/lib/errors/app-error.ts";

export const dynamic = "force-dynamic";

// Record of processing activities (GDPR art. 30) and the public retention schedule (BIPA 15(a)),
// generated from the store's configuration so they cannot drift from what the system does.
export default async function RecordsPage({ params }: { params: Promise<{ store: string }> }) {
  const { store: slug } = await params;
  const { store, notice } = await loadStoreNotice(slug).catch((e) => {
    if (isAppError(e, "unknown_store")) notFound();
    throw e;
  });
  const mode = !store.recognitionEnabled ? "switched off" : store.recognitionMode === "ALWAYS" ? "always on for consenting shoppers" : "only while the shopper is checked in";
  const rows: [string, string, string, string, string][] = [
    ["Anonymous footfall counting", "Legitimate interest; no personal data kept", "Everyone in camera view", "Counts per camera per minute, rolled up to hours", "Raw frames: 30 seconds in memory; counts: kept as statistics"],
    ["Recognition of enrolled shoppers", "Explicit consent (GDPR art. 9(2)(a); PIPL art. 29; BIPA written release)", "Shoppers who opted in", `Encrypted face template; visits (store, camera, time); recognition ${mode}`, `Visits: ${store.visitRetentionDays} days; template: until withdrawal, deletion, or ${store.templateMaxDays} days after the last interaction`],
    ["Age band and gender of recognised shoppers", "Explicit consent, separate from recognition", "Recognised shoppers who opted in", "Age band and gender on the visit", `With the visit: ${store.visitRetentionDays} days`],
    ["Consent records", "Legal obligation to prove consent (GDPR art. 7(1))", "Shoppers who made a choice", "Hash-chained ledger of grants and withdrawals", "While the account exists; erased on request"],
    ["Data subject requests", "Legal obligation (GDPR arts. 12–22; CCPA; PIPL)", "Requesters", "Request, dates, outcome, receipt; tombstone with a keyed hash after erasure", "Receipts and tombstones kept as proof of erasure"],
    ["Blurred frames", "Legitimate interest (security), faces irreversibly pixelated", "Everyone in camera view", store.keepFrames ? "Pixelated JPEG frames" : "Not kept at this store", store.keepFrames ? `${store.frameRetentionDays} days` : "—"],
  ];
  return (
    <>
      <h1 id="records-h">{store.name}: records of processing and retention schedule</h1>
      <p>Controller: {store.controllerName} ({store.controllerContact}). Jurisdiction: {store.jurisdiction}. Notice version {notice.version}.</p>
      <p>Recipients: none outside the controller; processing runs on the Veil system. Transfers: none. Security: templates and camera secrets encrypted with AES-256-GCM, raw frames never written to disk, append-only hash-chained consent ledger and audit log, role-based access for staff.</p>
      <ScrollTable labelledBy="records-h">
        <table data-testid="records">
          <thead><tr><th scope="col">Activity</th><th scope="col">Legal basis</th><th scope="col">Data subjects</th><th scope="col">Data</th><th scope="col">Retention</th></tr></thead>
          <tbody>{rows.map((r) => <tr key={r[0]}>{r.map((c, i) => <td key={i}>{c}</td>)}</tr>)}</tbody>
        </table>
      </ScrollTable>
    </>
  );
}
