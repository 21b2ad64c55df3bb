"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { currentUser } from "@/lib/auth/current-user.ts";
import { submitRequest } from "@/lib/requests/submit-request.ts";
import { cancelRequest } from "@/lib/requests/cancel-request.ts";
import { isAppError } from "@/lib/errors/app-error.ts";
import { logError } from "@/lib/log/log-error.ts";

const slug = z.string().regex(/^[a-z0-9-]{1,64}$/);

async function outcome(fn: (userId: string) => Promise<unknown>, ok: string): Promise<never> {
  const user = await currentUser();
  if (!user) redirect("/signin?callbackUrl=/me");
  let result = `saved=${ok}`;
  try {
    await fn(user.id);
  } catch (e) {
    if (!isAppError(e)) logError(`me.${ok}`, e, { userId: user.id });
    result = `error=${isAppError(e) ? e.code : "generic"}`;
  }
  redirect(`/me?${result}#requests`);
}

export async function requestCopyAction(formData: FormData): Promise<void> {
  const store = slug.safeParse(formData.get("store"));
  if (!store.success) redirect("/me?error=invalid_input");
  await outcome((userId) => submitRequest({ userId, storeSlug: store.data, kind: "ACCESS" }), "submitted");
}

export async function requestErasureAction(formData: FormData): Promise<void> {
  const store = slug.safeParse(formData.get("store"));
  if (!store.success || formData.get("confirm") !== "yes") redirect("/me?error=invalid_input");
  await outcome((userId) => submitRequest({ userId, storeSlug: store.data, kind: "ERASURE" }), "submitted");
}

export async function cancelRequestAction(formData: FormData): Promise<void> {
  const id = String(formData.get("request") ?? "");
  await outcome((userId) => cancelRequest({ userId, requestId: id }), "cancelled");
}
