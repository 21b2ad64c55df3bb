import { storeNoticeOr404 } from "../../../_lib/store-notice-or-404.ts";
import { ScrollTable } from "../../../_components/scroll-table.tsx";
import { messages } from "@/lib/i18n/messages.ts";
import { requestLocale } from "../../../_lib/locale.ts";
import { storePageTitle } from "../../../_lib/store-page-title.ts";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ store: string }> }) {
  return storePageTitle((await params).store, (m, store) => m.meta.records(store));
}

// Record of processing activities (GDPR art. 30) and the public retention schedule (BIPA 15(a)),
// generated from the store's configuration so they cannot drift from what the system does.
export default async function RecordsPage({ params }: { params: Promise<{ store: string }> }) {
  const { store: slug } = await params;
  const { store, notice } = await storeNoticeOr404(slug);
  const r = messages(await requestLocale(store.defaultLocale)).records;
  const mode = !store.recognitionEnabled
    ? r.mode.off
    : store.recognitionMode === "ALWAYS"
      ? r.mode.always
      : r.mode.presence;
  const rows: [string, string, string, string, string][] = [
    [r.footfall.activity, r.footfall.basis, r.footfall.subjects, r.footfall.data, r.footfall.retention],
    [
      r.recognition.activity,
      r.recognition.basis,
      r.recognition.subjects,
      r.recognition.data(mode),
      r.recognition.retention(store.visitRetentionDays, store.templateMaxDays),
    ],
    [
      r.demographics.activity,
      r.demographics.basis,
      r.demographics.subjects,
      r.demographics.data,
      r.demographics.retention(store.visitRetentionDays),
    ],
    [r.consents.activity, r.consents.basis, r.consents.subjects, r.consents.data, r.consents.retention],
    [r.requests.activity, r.requests.basis, r.requests.subjects, r.requests.data, r.requests.retention],
    [
      r.frames.activity,
      r.frames.basis,
      r.frames.subjects,
      store.keepFrames ? r.frames.kept : r.frames.notKept,
      store.keepFrames ? r.frames.retention(store.frameRetentionDays) : "—",
    ],
  ];
  return (
    <>
      <h1 id="records-h">{r.title(store.name)}</h1>
      <p>{r.controller(store.controllerName, store.controllerContact, store.jurisdiction, notice.version)}</p>
      <p>{r.security}</p>
      <ScrollTable labelledBy="records-h">
        <table data-testid="records">
          <thead>
            <tr>
              <th scope="col">{r.activity}</th>
              <th scope="col">{r.basis}</th>
              <th scope="col">{r.subjects}</th>
              <th scope="col">{r.data}</th>
              <th scope="col">{r.retention}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r[0]}>
                {r.map((c, i) => (
                  <td key={i}>{c}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
    </>
  );
}
