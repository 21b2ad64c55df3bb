import { listRecentAudit } from "@/lib/audit/list-recent-audit.ts";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain.ts";
import { t } from "../../_lib/locale.ts";
import { staffUser } from "./_lib/guard.ts";

export const dynamic = "force-dynamic";

export default async function StaffHome() {
  const { locale, m } = await t();
  const user = await staffUser();
  if (!user) return <p role="alert">{m.staff.notStaff}</p>;
  const [rows, chain] = await Promise.all([listRecentAudit({ limit: 50 }), verifyAuditChain()]);
  const fmt = new Intl.DateTimeFormat(locale, { dateStyle: "short", timeStyle: "medium" });
  return (
    <>
      <h1>{m.staff.homeTitle}</h1>
      <h2>{m.staff.auditTitle}</h2>
      <p className={chain.ok ? "status ok" : "status err"} data-testid="audit-chain">
        {chain.ok ? `Audit chain intact (${chain.checked} records).` : `Audit chain broken at record ${chain.brokenAt}: ${chain.reason}.`}
      </p>
      <div className="table-wrap">
        <table data-testid="audit">
          <thead><tr><th scope="col">{m.staff.at}</th><th scope="col">{m.staff.actor}</th><th scope="col">{m.staff.action}</th><th scope="col">{m.staff.target}</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>{fmt.format(r.at)}</td>
                <td>{r.actorRole} {r.actorId?.slice(0, 8) ?? r.subject?.slice(0, 12)}</td>
                <td>{r.action}</td>
                <td>{r.targetType} {r.targetId}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
