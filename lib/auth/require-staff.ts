import { AppError } from "../errors/app-error.ts";
import { currentUser, type CurrentUser } from "./current-user.ts";

export type StaffRole = "SUPPORT" | "ADMIN";

/** The rule of who is staff: ADMIN may do everything SUPPORT may; nobody else is staff. */
export function isStaffRole(role: string, needed: StaffRole = "SUPPORT"): boolean {
  return needed === "SUPPORT" ? role === "SUPPORT" || role === "ADMIN" : role === "ADMIN";
}

/**
 * The signed-in staff member with at least the given role (re-read from the database, so a role
 * change takes effect at once). Throws `unauthenticated` when signed out, `forbidden` otherwise.
 */
export async function requireStaff(needed: StaffRole = "SUPPORT"): Promise<CurrentUser> {
  const user = await currentUser();
  if (!user) throw new AppError("unauthenticated", "staff sign-in required");
  if (!isStaffRole(user.role, needed)) throw new AppError("forbidden", `role ${user.role} is not ${needed}`);
  return user;
}
