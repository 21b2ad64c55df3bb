import type { ReactNode } from "react";
import { redirect } from "next/navigation";
import { signInState } from "@/lib/auth/sign-in-state.ts";
import { isStaffRole } from "@/lib/auth/require-staff.ts";
import { t } from "../../_lib/locale.ts";
import { StaffNav } from "./_lib/staff-nav.tsx";

export const dynamic = "force-dynamic";

// The gate of the whole staff console (every page under /staff except the sign-in page, which sits
// outside this route group). Pages and actions still check the role they need themselves: a layout
// is not re-run on every navigation, so it is the first gate, never the only one.
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const { m } = await t();
  const state = await signInState();
  if (!state) redirect("/staff/signin");
  // An administrator's password alone opens nothing: the second factor first (per session).
  if (state.factor === "enrol" || state.factor === "verify")
    redirect(state.sid ? "/staff/two-factor" : "/staff/signin");
  const { user } = state;
  if (!isStaffRole(user.role)) {
    return (
      <>
        <h1>{m.errors.notFoundTitle}</h1>
        <p role="alert">{m.staff.notStaff}</p>
      </>
    );
  }
  return (
    <>
      <StaffNav m={m} role={user.role} />
      {children}
    </>
  );
}
