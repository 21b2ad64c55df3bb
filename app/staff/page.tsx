import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/current-user.ts";
import { listRecentAudit } from "@/lib/audit/list-recent-audit.ts";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain.ts";
import { t } from "../_lib/locale.ts";
import { StaffNav } from "./_lib/staff-nav.tsx";

export const dynamic = "force-dynamic";

export default async function StaffHome() {
  const { locale, m } = await t();
  const user = await currentUser();
  if (!user) redirect("/staff/signin");
  if (user.role === "SHOPPER") {
    return (
      <>
        <h1>{m.errors.notFoundTitle}</h1>
        <p role="alert">{m.staff.notStaff}</p>
      </>
    );
  }
  const [rows, chain] = await Promise.all([listRecentAudit({ limit: 50 }), verifyAuditChain()]);
  const fmt = new Intl.DateTimeFormat(locale, { dateStyle: "short", timeStyle: "medium" });
  return (
    <>
      <StaffNav m={m} role={user.role} />
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
