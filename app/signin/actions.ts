"use server";

import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { z } from "zod";
import { signIn, signOut } from "@/lib/auth/auth.ts";
import { currentUser } from "@/lib/auth/current-user.ts";
import { endAllSessions } from "@/lib/auth/end-sessions.ts";
import { logError } from "@/lib/log/log-error.ts";
import { safePath } from "../_lib/safe-path.ts";
import { isAppError } from "@/lib/errors/app-error.ts";

const emailInput = z.object({
  email: z.string().trim().toLowerCase().email().max(320),
  callbackUrl: z.string().optional(),
});

/** Sends a one-time sign-in link; Auth.js redirects to /signin/check on success. */
export async function emailSignInAction(formData: FormData): Promise<void> {
  const parsed = emailInput.safeParse(Object.fromEntries(formData));
  const back = safePath(formData.get("callbackUrl"), "/");
  if (!parsed.success) redirect(`/signin?error=invalid_email&callbackUrl=${encodeURIComponent(back)}`);
  // The per-address and per-IP limits live in Auth.js's sendVerificationRequest (lib/auth/auth.ts),
  // so that posting straight to /api/auth/signin/email meets them too.
  try {
    await signIn("email", { email: parsed.data.email, redirectTo: back });
  } catch (e) {
    // signIn ends in a redirect (thrown); only Auth.js's own errors are failures here.
    if (!(e instanceof AuthError)) throw e;
    if (isAppError((e.cause as { err?: unknown } | undefined)?.err, "rate_limited"))
      redirect(`/signin?error=rate_limited&callbackUrl=${encodeURIComponent(back)}`);
    logError("signin.email", e, { type: e.type });
    redirect(`/signin?error=send_failed&callbackUrl=${encodeURIComponent(back)}`);
  }
}

/** Signs out everywhere: every session of this user (other devices, a copied cookie) ends too. */
export async function signOutAction(): Promise<void> {
  const user = await currentUser();
  if (user) await endAllSessions(user.id);
  await signOut({ redirectTo: "/" });
}
