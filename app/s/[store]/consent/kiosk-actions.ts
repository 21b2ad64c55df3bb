"use server";

import { z } from "zod";
import { issueKioskCode } from "@/lib/kiosk/issue-kiosk-code.ts";
import { storeSlug } from "@/lib/stores/store-slug.ts";
import { stateAction } from "../../../_lib/form-action.ts";

// "Enrol at the kiosk": the code is shown once on this page (never in a URL), checked again in
// issueKioskCode (recognition consent, an open check-in at this store).
export const issueKioskCodeAction = stateAction({
  name: "kiosk.code",
  role: "SHOPPER",
  input: z.object({ store: storeSlug }),
  run: async (i, u) => {
    const r = await issueKioskCode({ userId: u.id, storeSlug: i.store });
    return { enrolmentId: r.enrolmentId, code: r.code, expiresAt: r.expiresAt.toISOString() };
  },
});
