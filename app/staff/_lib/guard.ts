import { redirect } from "next/navigation";
import { currentUser, type CurrentUser } from "@/lib/auth/current-user.ts";

/** Staff pages: signed out -> sign-in; a shopper or the wrong role -> null (the page says why). */
export async function staffUser(...roles: ("SUPPORT" | "ADMIN")[]): Promise<CurrentUser | null> {
  const user = await currentUser();
  if (!user) redirect("/staff/signin");
  const allowed = roles.length ? roles : ["SUPPORT", "ADMIN"];
  return allowed.includes(user.role as "SUPPORT" | "ADMIN") ? user : null;
}
