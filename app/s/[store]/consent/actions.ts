"use server";

import { z } from "zod";
import { grantConsent } from "@/lib/consent/grant-consent.ts";
import { revokeConsent } from "@/lib/consent/revoke-consent.ts";
import { storeSlug } from "@/lib/stores/store-slug.ts";
import { formAction } from "../../../_lib/form-action.ts";

const input = z.object({
  store: storeSlug,
  purpose: z.string().max(32),
  intent: z.enum(["grant", "revoke"]),
  noticeVersion: z.coerce.number().int().positive(),
  // The "keep my visit history" box of a recognition withdrawal; absent means delete (the default).
  keepVisits: z.literal("on").optional(),
});
const page = (store: string) => `/s/${store}/consent`;
type Withdrawn = { deleted: number; cleared: number } | null;

/** Grant or revoke one purpose. Works without JavaScript: the outcome comes back in the URL. */
export const changeConsentAction = formAction({
  name: "consent.change",
  input,
  role: "SHOPPER",
  signIn: (i) => (i ? `/signin?callbackUrl=${encodeURIComponent(page(i.store))}` : "/signin"),
  // A withdrawal reports what it deleted (PIPL art. 47): the page says how many visits went.
  saved: (i, effects: Withdrawn) =>
    i.intent === "grant" || !effects ? i.intent : `revoke&deleted=${effects.deleted}&cleared=${effects.cleared}`,
  back: (i, result) =>
    i
      ? `${page(i.store)}?${result}&purpose=${encodeURIComponent(i.purpose)}#p-${encodeURIComponent(i.purpose)}`
      : `/?${result}`,
  run: async (i, user): Promise<Withdrawn> => {
    const cmd = {
      userId: user.id,
      storeSlug: i.store,
      purpose: i.purpose,
      noticeVersion: i.noticeVersion,
      channel: "WEB" as const,
    };
    if (i.intent === "grant") {
      await grantConsent(cmd);
      return null;
    }
    const events = await revokeConsent({ ...cmd, keepVisits: i.keepVisits === "on" });
    return {
      deleted: events.reduce((n, e) => n + e.effects.visitsDeleted, 0),
      cleared: events.reduce((n, e) => n + e.effects.demographicsCleared, 0),
    };
  },
});
