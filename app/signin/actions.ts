"use server";

import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { z } from "zod";
import { signIn, signOut } from "@/lib/auth/auth.ts";
import { logError } from "@/lib/log/log-error.ts";
import { safePath } from "../_lib/safe-path.ts";
import { headers } from "next/headers";
import { rateLimit } from "@/lib/rate-limit.ts";
import { isAppError } from "@/lib/errors/app-error.ts";

const emailInput = z.object({ email: z.string().trim().toLowerCase().email().max(320), callbackUrl: z.string().optional() });

/** Sends a one-time sign-in link; Auth.js redirects to /signin/check on success. */
export async function emailSignInAction(formData: FormData): Promise<void> {
  const parsed = emailInput.safeParse(Object.fromEntries(formData));
  const back = safePath(formData.get("callbackUrl"), "/");
  if (!parsed.success) redirect(`/signin?error=invalid_email&callbackUrl=${encodeURIComponent(back)}`);
  const ip = (await headers()).get("x-forwarded-for")?.split(",")[0]?.trim() ?? "local";
  try {
    await rateLimit("signin-ip", ip, 60, 900);
    await rateLimit("signin-mail", parsed.data.email, 5, 900);
  } catch (e) {
    if (isAppError(e, "rate_limited")) redirect(`/signin?error=rate_limited&callbackUrl=${encodeURIComponent(back)}`);
    throw e;
  }
  try {
    await signIn("email", { email: parsed.data.email, redirectTo: back });
  } catch (e) {
    // signIn ends in a redirect (thrown); only Auth.js's own errors are failures here.
    if (!(e instanceof AuthError)) throw e;
    logError("signin.email", e, { type: e.type });
    redirect(`/signin?error=send_failed&callbackUrl=${encodeURIComponent(back)}`);
  }
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/" });
}
