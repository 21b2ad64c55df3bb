import { redirect } from "next/navigation";
import type { CurrentUser } from "@/lib/auth/current-user.ts";
import { signInState } from "@/lib/auth/sign-in-state.ts";
import { isStaffRole, type StaffRole } from "@/lib/auth/require-staff.ts";

/**
 * Staff pages: signed out -> sign-in; an administrator whose session has not passed the second
 * factor -> /staff/two-factor; a shopper or too low a role -> null (the page says why).
 */
export async function staffUser(needed: StaffRole = "SUPPORT"): Promise<CurrentUser | null> {
  const state = await signInState();
  if (!state) redirect("/staff/signin");
  if (state.factor === "enrol" || state.factor === "verify")
    redirect(state.sid ? "/staff/two-factor" : "/staff/signin");
  return isStaffRole(state.user.role, needed) ? state.user : null;
}
