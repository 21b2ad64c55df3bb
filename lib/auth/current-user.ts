import { auth } from "./auth.ts";
import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";

export type CurrentUser = { id: string; role: "SHOPPER" | "SUPPORT" | "ADMIN"; email: string | null; locale: string | null };

/** The signed-in user, re-read from the database on every call (roles and erasure take effect at once). */
export async function currentUser(): Promise<CurrentUser | null> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  return db().user.findUnique({ where: { id }, select: { id: true, role: true, email: true, locale: true } });
}

export async function requireUser(): Promise<CurrentUser> {
  const user = await currentUser();
  if (!user) throw new AppError("unauthenticated", "sign-in required");
  return user;
}

export async function requireRole(...roles: CurrentUser["role"][]): Promise<CurrentUser> {
  const user = await requireUser();
  if (!roles.includes(user.role)) throw new AppError("forbidden", `role ${user.role} may not do this`);
  return user;
}
