"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { redirect } from "next/navigation";
import { signIn } from "@/lib/auth/auth.ts";

/** Staff password sign-in; a wrong password gives one generic message (no account probing). */
export async function staffSignInAction(formData: FormData): Promise<void> {
  try {
    await signIn("staff", {
      email: String(formData.get("email") ?? ""),
      password: String(formData.get("password") ?? ""),
      redirectTo: "/staff",
    });
  } catch (e) {
    if (!(e instanceof AuthError)) throw e;
    redirect(
      e instanceof CredentialsSignin && e.code === "locked"
        ? "/staff/signin?error=locked"
        : "/staff/signin?error=credentials",
    );
  }
}
