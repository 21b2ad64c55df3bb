import { signInState } from "./sign-in-state.ts";
import { AppError } from "../errors/app-error.ts";

export type CurrentUser = {
  id: string;
  role: "SHOPPER" | "SUPPORT" | "ADMIN";
  email: string | null;
  locale: string | null;
};

/**
 * The signed-in user, re-read from the database on every call (roles and erasure take effect at
 * once). An administrator whose session has not passed the second factor is not signed in here:
 * every gate (pages, actions, routes) goes through this function and sees null.
 */
export async function currentUser(): Promise<CurrentUser | null> {
  const state = await signInState();
  return state && (state.factor === "none" || state.factor === "ok") ? state.user : null;
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
