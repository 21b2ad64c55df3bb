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
  signIn: (i: { store: string } | undefined) => (i ? `/signin?callbackUrl=${encodeURIComponent(page(i.store))}` : "/signin"),
  back: (i: { store: string } | undefined, result: string) => (i ? `${page(i.store)}?${result}` : `/?${result}`),
};

export const checkInAction = formAction({ ...atStore, name: "presence.checkin", saved: "checkin", run: (i, u) => checkIn({ userId: u.id, storeSlug: i.store }) });

export const checkOutAction = formAction({ ...atStore, name: "presence.checkout", saved: "checkout", run: (i, u) => checkOut({ userId: u.id, storeSlug: i.store }) });

export const deleteTemplateAction = formAction({ ...atStore, name: "template.delete", saved: "template-deleted", run: (_i, u) => deleteTemplate(u.id) });
