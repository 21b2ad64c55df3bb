"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { currentUser } from "@/lib/auth/current-user.ts";
import { setRecognitionMode } from "@/lib/stores/set-recognition-mode.ts";
import { isAppError } from "@/lib/errors/app-error.ts";

const input = z.object({ store: z.string().regex(/^[a-z0-9-]{1,64}$/), setting: z.enum(["OFF", "PRESENCE", "ALWAYS"]) });

export async function setRecognitionAction(formData: FormData): Promise<void> {
  const parsed = input.safeParse(Object.fromEntries(formData));
  if (!parsed.success) redirect("/staff/stores?error=invalid_input");
  const user = await currentUser();
  let outcome = "saved=1";
  try {
    await setRecognitionMode({
      storeSlug: parsed.data.store,
      enabled: parsed.data.setting !== "OFF",
      mode: parsed.data.setting === "ALWAYS" ? "ALWAYS" : "PRESENCE",
      actor: { id: user?.id ?? null, role: user?.role ?? "ANONYMOUS" },
    });
  } catch (e) {
    outcome = `error=${isAppError(e) ? e.code : "generic"}`;
  }
  redirect(`/staff/stores?${outcome}`);
}
