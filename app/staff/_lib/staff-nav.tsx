import type { Messages } from "@/lib/i18n/messages.ts";

export function StaffNav({ m, role }: { m: Messages; role: string }) {
  return (
    <nav aria-label={m.staff.homeTitle} style={{ display: "flex", gap: 12, flexWrap: "wrap", marginBottom: 12 }}>
      <a href="/staff">{m.staff.nav.home}</a>
      <a href="/staff/requests">{m.staff.nav.requests}</a>
      <a href="/staff/dashboard">Dashboard</a>
      <a href="/staff/jobs">Jobs</a>
      {role === "ADMIN" ? <a href="/staff/cameras">{m.staff.nav.cameras}</a> : null}
      {role === "ADMIN" ? <a href="/staff/stores">{m.staff.nav.stores}</a> : null}
    </nav>
  );
}
