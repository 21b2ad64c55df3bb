"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { currentUser } from "@/lib/auth/current-user.ts";
import { grantConsent } from "@/lib/consent/grant-consent.ts";
import { revokeConsent } from "@/lib/consent/revoke-consent.ts";
import { isAppError } from "@/lib/errors/app-error.ts";
import { logError } from "@/lib/log/log-error.ts";

const input = z.object({
  store: z.string().regex(/^[a-z0-9-]{1,64}$/),
  purpose: z.string().max(32),
  intent: z.enum(["grant", "revoke"]),
  noticeVersion: z.coerce.number().int().positive(),
  // The "keep my visit history" box of a recognition withdrawal; absent means delete (the default).
  keepVisits: z.literal("on").optional(),
});

/** Grant or revoke one purpose. Works without JavaScript: the outcome comes back in the URL. */
export async function changeConsentAction(formData: FormData): Promise<void> {
  const parsed = input.safeParse(Object.fromEntries(formData));
  if (!parsed.success) redirect("/?error=invalid_input");
  const { store, purpose, intent, noticeVersion, keepVisits } = parsed.data;
  const page = `/s/${store}/consent`;
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(page)}`);

  let outcome: string;
  try {
    const cmd = { userId: user.id, storeSlug: store, purpose, noticeVersion, channel: "WEB" as const };
    if (intent === "grant") {
      await grantConsent(cmd);
      outcome = "saved=grant";
    } else {
      const events = await revokeConsent({ ...cmd, keepVisits: keepVisits === "on" });
      const deleted = events.reduce((n, e) => n + e.effects.visitsDeleted, 0);
      const cleared = events.reduce((n, e) => n + e.effects.demographicsCleared, 0);
      outcome = `saved=revoke&deleted=${deleted}&cleared=${cleared}`;
    }
  } catch (e) {
    if (!isAppError(e)) logError("consent.change", e, { userId: user.id, store, purpose });
    outcome = `error=${isAppError(e) ? e.code : "generic"}`;
  }
  redirect(`${page}?${outcome}&purpose=${encodeURIComponent(purpose)}#p-${encodeURIComponent(purpose)}`);
}
