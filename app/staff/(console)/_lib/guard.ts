import { redirect } from "next/navigation";
import { currentUser, type CurrentUser } from "@/lib/auth/current-user.ts";
import { isStaffRole, type StaffRole } from "@/lib/auth/require-staff.ts";

/** Staff pages: signed out -> sign-in; a shopper or too low a role -> null (the page says why). */
export async function staffUser(needed: StaffRole = "SUPPORT"): Promise<CurrentUser | null> {
  const user = await currentUser();
  if (!user) redirect("/staff/signin");
  return isStaffRole(user.role, needed) ? user : null;
}
