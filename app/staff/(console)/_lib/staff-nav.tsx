import type { Messages } from "@/lib/i18n/messages.ts";
import Link from "next/link";

export function StaffNav({ m, role }: { m: Messages; role: string }) {
  return (
    <nav aria-label={m.staff.homeTitle} style={{ display: "flex", gap: 12, flexWrap: "wrap", marginBottom: 12 }}>
      <Link href="/staff">{m.staff.nav.home}</Link>
      <Link href="/staff/requests">{m.staff.nav.requests}</Link>
      <Link href="/staff/dashboard">{m.staff.nav.dashboard}</Link>
      <Link href="/staff/jobs">{m.staff.nav.jobs}</Link>
      {role === "ADMIN" ? <Link href="/staff/cameras">{m.staff.nav.cameras}</Link> : null}
      {role === "ADMIN" ? <Link href="/staff/stores">{m.staff.nav.stores}</Link> : null}
      {role === "ADMIN" ? <Link href="/staff/displays">{m.staff.nav.displays}</Link> : null}
    </nav>
  );
}
