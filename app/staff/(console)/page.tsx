import { listRecentAudit } from "@/lib/audit/list-recent-audit.ts";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain.ts";
import { t } from "../../_lib/locale.ts";
import { staffUser } from "./_lib/guard.ts";
import { pageTitle } from "../../_lib/page-title.ts";
import { ScrollTable } from "../../_components/scroll-table.tsx";
import { storeZone } from "@/lib/stores/store-zone.ts";

export const dynamic = "force-dynamic";

export const generateMetadata = () => pageTitle((m) => m.meta.audit);

export default async function StaffHome() {
  const { locale, m } = await t();
  const user = await staffUser();
  if (!user) return <p role="alert">{m.staff.notStaff}</p>;
  const [rows, chain] = await Promise.all([listRecentAudit({ limit: 50 }), verifyAuditChain()]);
  // On the clock of the record's store, zone named (timeStyle "long"), as the request page shows it.
  const at = (d: Date, timeZone: string) =>
    new Intl.DateTimeFormat(locale, { dateStyle: "short", timeStyle: "long", timeZone: storeZone(timeZone) }).format(d);
  return (
    <>
      <h1>{m.staff.homeTitle}</h1>
      <h2 id="audit-h">{m.staff.auditTitle}</h2>
      <p className={chain.ok ? "status ok" : "status err"} data-testid="audit-chain">
        {chain.ok ? m.staff.chainOk(chain.checked) : m.staff.chainBroken(String(chain.brokenAt))}
      </p>
      <ScrollTable labelledBy="audit-h">
        <table data-testid="audit">
          <thead>
            <tr>
              <th scope="col">{m.staff.at}</th>
              <th scope="col">{m.staff.actor}</th>
              <th scope="col">{m.staff.action}</th>
              <th scope="col">{m.staff.target}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>{at(r.at, r.timezone)}</td>
                <td>
                  {m.staff.roles[r.actorRole] ?? r.actorRole}{" "}
                  <code>{r.actorId?.slice(0, 8) ?? r.subject?.slice(0, 12)}</code>
                </td>
                <td>
                  <code>{r.action}</code>
                </td>
                <td>
                  <code>
                    {r.targetType} {r.targetId}
                  </code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
    </>
  );
}
