"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { signInState } from "@/lib/auth/sign-in-state.ts";
import { confirmTotpEnrolment } from "@/lib/auth/confirm-totp-enrolment.ts";
import { verifySecondFactor } from "@/lib/auth/verify-second-factor.ts";

// The two steps of an administrator's second factor. They cannot go through app/_lib/form-action.ts:
// its gate (currentUser) sees a session that has not passed the factor as signed out, which is the
// point. These read the half-signed-in session themselves and act only for its own user and sid.

const codeInput = z.object({ code: z.string().max(64) });

export type EnrolState =
  { ok: true; codes: string[] } | { ok: false; code: "wrong_code" | "locked" | "invalid_input" } | null;

/** Enrolment: the first code from the new authenticator; answers with the recovery codes, shown once. */
export async function confirmEnrolmentAction(_prev: EnrolState, formData: FormData): Promise<EnrolState> {
  const state = await signInState();
  if (!state || !state.sid) redirect("/staff/signin");
  if (state.factor !== "enrol") redirect("/staff");
  const parsed = codeInput.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, code: "invalid_input" };
  const r = await confirmTotpEnrolment({ userId: state.user.id, sid: state.sid, code: parsed.data.code });
  return r.ok ? { ok: true, codes: r.value } : { ok: false, code: r.reason };
}

/** Sign-in: a code or a recovery code; on success the console opens. */
export async function verifySecondFactorAction(formData: FormData): Promise<void> {
  const state = await signInState();
  if (!state || !state.sid) redirect("/staff/signin");
  if (state.factor !== "verify") redirect("/staff");
  const parsed = codeInput.safeParse(Object.fromEntries(formData));
  if (!parsed.success) redirect("/staff/two-factor?error=wrong_code");
  const r = await verifySecondFactor({ userId: state.user.id, sid: state.sid, code: parsed.data.code });
  redirect(r.ok ? "/staff" : `/staff/two-factor?error=${r.reason}`);
}
