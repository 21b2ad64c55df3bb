"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { currentUser } from "@/lib/auth/current-user.ts";
import { checkIn } from "@/lib/presence/check-in.ts";
import { checkOut } from "@/lib/presence/check-out.ts";
import { deleteTemplate } from "@/lib/templates/delete-template.ts";
import { isAppError } from "@/lib/errors/app-error.ts";
import { logError } from "@/lib/log/log-error.ts";

const storeInput = z.object({ store: z.string().regex(/^[a-z0-9-]{1,64}$/) });

async function run(formData: FormData, what: (userId: string, store: string) => Promise<unknown>, ok: string): Promise<never> {
  const parsed = storeInput.safeParse({ store: formData.get("store") });
  if (!parsed.success) redirect("/?error=invalid_input");
  const page = `/s/${parsed.data.store}/consent`;
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(page)}`);
  let outcome = `saved=${ok}`;
  try {
    await what(user.id, parsed.data.store);
  } catch (e) {
    if (!isAppError(e)) logError(`presence.${ok}`, e, { userId: user.id });
    outcome = `error=${isAppError(e) ? e.code : "generic"}`;
  }
  redirect(`${page}?${outcome}`);
}

export async function checkInAction(formData: FormData): Promise<void> {
  await run(formData, (userId, store) => checkIn({ userId, storeSlug: store }), "checkin");
}

export async function checkOutAction(formData: FormData): Promise<void> {
  await run(formData, (userId, store) => checkOut({ userId, storeSlug: store }), "checkout");
}

export async function deleteTemplateAction(formData: FormData): Promise<void> {
  await run(formData, (userId) => deleteTemplate(userId), "template-deleted");
}
