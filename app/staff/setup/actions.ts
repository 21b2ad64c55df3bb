"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { completeStaffSetup } from "@/lib/auth/complete-staff-setup.ts";
import { isAppError } from "@/lib/errors/app-error.ts";
import { logError } from "@/lib/log/log-error.ts";

const input = z.object({
  email: z.string().email().max(320),
  token: z.string().min(1).max(200),
  password: z.string().max(200),
});

/** The one-time setup link's form: signed out by nature, so not formAction (which needs a session). */
export async function staffSetupAction(formData: FormData): Promise<void> {
  const parsed = input.safeParse(Object.fromEntries(formData));
  if (!parsed.success) redirect("/staff/setup?error=invalid");
  const again = `/staff/setup?${new URLSearchParams({ email: parsed.data.email, token: parsed.data.token })}`;
  let outcome: "done" | "invalid" | "short" | "generic";
  try {
    await completeStaffSetup(parsed.data);
    outcome = "done";
  } catch (e) {
    if (!isAppError(e)) logError("staff.setup", e);
    outcome = isAppError(e, "invalid_input") ? "short" : isAppError(e, "not_found") ? "invalid" : "generic";
  }
  redirect(
    outcome === "done"
      ? "/staff/signin?saved=setup"
      : outcome === "short"
        ? `${again}&error=short`
        : `/staff/setup?error=${outcome}`,
  );
}
