"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { createDevicePairing } from "@/lib/devices/create-device-pairing.ts";
import { revokeDevice } from "@/lib/devices/revoke-device.ts";
import { storeSlug } from "@/lib/stores/store-slug.ts";
import { env } from "@/lib/env.ts";
import { formAction, stateAction } from "../../../_lib/form-action.ts";

// Authorisation is checked again inside each use case (admin only).
const actor = (u: { id: string; role: string }) => ({ id: u.id, role: u.role });

export const createDisplayAction = stateAction({
  name: "staff.display-create",
  role: "ADMIN",
  input: z.object({
    store: storeSlug,
    name: z.string().min(1).max(80),
    kind: z.enum(["DISPLAY", "KIOSK"]).default("DISPLAY"),
  }),
  after: () => revalidatePath("/staff/displays"),
  run: async (i, u) => {
    const p = await createDevicePairing({ kind: i.kind, storeSlug: i.store, name: i.name, actor: actor(u) });
    return { deviceId: p.deviceId, url: new URL(p.pairingPath, env().APP_URL).toString() };
  },
});

export const revokeDisplayAction = formAction({
  name: "staff.display-revoke",
  role: "ADMIN",
  input: z.object({ device: z.string().min(1).max(64) }),
  saved: "1",
  signIn: () => "/staff/signin",
  back: (_i, result) => `/staff/displays?${result}`,
  run: (i, u) => revokeDevice({ deviceId: i.device, actor: actor(u) }),
});
