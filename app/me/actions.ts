"use server";

import { headers } from "next/headers";
import { z } from "zod";
import { clientIp } from "@/lib/http/client-ip.ts";
import { submitRequest } from "@/lib/requests/submit-request.ts";
import { cancelRequest } from "@/lib/requests/cancel-request.ts";
import { storeSlug } from "@/lib/stores/store-slug.ts";
import { formAction } from "../_lib/form-action.ts";

const mine = {
  role: "SHOPPER" as const,
  signIn: () => "/signin?callbackUrl=/me",
  back: (_: unknown, result: string) => `/me?${result}#requests`,
};

export const requestCopyAction = formAction({
  ...mine,
  name: "me.request-copy",
  input: z.object({ store: storeSlug }),
  saved: "submitted",
  run: async (i, user) =>
    submitRequest({ userId: user.id, storeSlug: i.store, kind: "ACCESS", clientIp: clientIp(await headers()) }),
});

export const requestErasureAction = formAction({
  ...mine,
  name: "me.request-erasure",
  // The confirmation checkbox is part of the input: without it nothing is submitted.
  input: z.object({ store: storeSlug, confirm: z.literal("yes") }),
  saved: "submitted",
  run: async (i, user) =>
    submitRequest({ userId: user.id, storeSlug: i.store, kind: "ERASURE", clientIp: clientIp(await headers()) }),
});

export const cancelRequestAction = formAction({
  ...mine,
  name: "me.cancel-request",
  input: z.object({ request: z.string().min(1).max(64) }),
  saved: "cancelled",
  run: (i, user) => cancelRequest({ userId: user.id, requestId: i.request }),
});
