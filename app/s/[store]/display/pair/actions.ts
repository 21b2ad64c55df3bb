"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { pairDisplay } from "@/lib/devices/pair-display.ts";
import { DISPLAY_COOKIE } from "@/lib/devices/device-secret.ts";
import { storeSlug } from "@/lib/stores/store-slug.ts";
import { isAppError } from "@/lib/errors/app-error.ts";
import { logError } from "@/lib/log/log-error.ts";
import { env } from "@/lib/env.ts";

const input = z.object({ store: storeSlug, code: z.string().max(64) });

/**
 * The device's side of pairing: no user session (a store tablet), the one-time code is the proof.
 * The credential goes into an httpOnly cookie scoped to this store's display pages.
 */
export async function pairDisplayAction(formData: FormData): Promise<void> {
  const parsed = input.safeParse(Object.fromEntries(formData));
  if (!parsed.success) redirect("/?error=invalid_input");
  const { store, code } = parsed.data;
  let credential: string;
  try {
    credential = (await pairDisplay({ storeSlug: store, code })).credential;
  } catch (e) {
    if (!isAppError(e)) logError("action.display.pair", e);
    redirect(`/s/${store}/display/pair?error=${isAppError(e) ? e.code : "generic"}`);
  }
  (await cookies()).set(DISPLAY_COOKIE, credential, {
    httpOnly: true,
    secure: env().APP_URL.startsWith("https:"),
    sameSite: "lax",
    path: `/s/${store}/display`,
    maxAge: 400 * 24 * 60 * 60,
  });
  redirect(`/s/${store}/display`);
}
