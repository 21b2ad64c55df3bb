"use server";

import { z } from "zod";
import { checkIn } from "@/lib/presence/check-in.ts";
import { checkOut } from "@/lib/presence/check-out.ts";
import { deleteTemplate } from "@/lib/templates/delete-template.ts";
import { storeSlug } from "@/lib/stores/store-slug.ts";
import { formAction } from "../../../_lib/form-action.ts";

const page = (store: string) => `/s/${store}/consent`;
const atStore = {
  input: z.object({ store: storeSlug }),
  role: "SHOPPER" as const,
  signIn: (i: { store: string } | undefined) =>
    i ? `/signin?callbackUrl=${encodeURIComponent(page(i.store))}` : "/signin",
  back: (i: { store: string } | undefined, result: string) => (i ? `${page(i.store)}?${result}` : `/?${result}`),
};

// Check-in needs the presence token from the entrance display's QR code (checked again in
// checkIn): a refusal goes back to the check-in page, which shows its fixed text.
const here = (store: string, token: string) => `/s/${store}/here?t=${encodeURIComponent(token)}`;
export const checkInAction = formAction({
  name: "presence.checkin",
  role: "SHOPPER",
  // A missing token is parsed as "" so that checkIn refuses it with presence_token_invalid.
  input: z.object({ store: storeSlug, t: z.string().max(200).default("") }),
  signIn: (i) => (i ? `/signin?callbackUrl=${encodeURIComponent(here(i.store, i.t))}` : "/signin"),
  back: (i, result) =>
    !i
      ? `/?${result}`
      : result.startsWith("saved=")
        ? `${page(i.store)}?${result}#presence`
        : `${here(i.store, i.t)}&${result}`,
  saved: "checkin",
  run: (i, u) => checkIn({ userId: u.id, storeSlug: i.store, token: i.t }),
});

export const checkOutAction = formAction({
  ...atStore,
  name: "presence.checkout",
  saved: "checkout",
  run: (i, u) => checkOut({ userId: u.id, storeSlug: i.store }),
});

export const deleteTemplateAction = formAction({
  ...atStore,
  name: "template.delete",
  saved: "template-deleted",
  run: (_i, u) => deleteTemplate(u.id),
});
