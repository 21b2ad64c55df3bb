"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { pairDevice } from "@/lib/devices/pair-device.ts";
import { DEVICE_KINDS } from "@/lib/devices/device-secret.ts";
import { storeSlug } from "@/lib/stores/store-slug.ts";
import { isAppError } from "@/lib/errors/app-error.ts";
import { logError } from "@/lib/log/log-error.ts";
import { env } from "@/lib/env.ts";

const input = z.object({ store: storeSlug, code: z.string().max(64), kind: z.enum(["DISPLAY", "KIOSK"]) });

/**
 * The device's side of pairing (entrance display or kiosk): no user session (a store tablet), the
 * one-time code is the proof, and it pairs only a device of the kind its page names. The
 * credential goes into an httpOnly cookie scoped to this store's pages of that device.
 */
export async function pairDeviceAction(formData: FormData): Promise<void> {
  const parsed = input.safeParse(Object.fromEntries(formData));
  if (!parsed.success) redirect("/?error=invalid_input");
  const { store, code, kind } = parsed.data;
  const page = DEVICE_KINDS[kind].page(store);
  let credential: string;
  try {
    credential = (await pairDevice({ kind, storeSlug: store, code })).credential;
  } catch (e) {
    if (!isAppError(e)) logError(`action.${DEVICE_KINDS[kind].audit}.pair`, e);
    redirect(`${page}/pair?error=${isAppError(e) ? e.code : "generic"}`);
  }
  (await cookies()).set(DEVICE_KINDS[kind].cookie, credential, {
    httpOnly: true,
    secure: env().APP_URL.startsWith("https:"),
    sameSite: "lax",
    path: page,
    maxAge: 400 * 24 * 60 * 60,
  });
  redirect(page);
}
