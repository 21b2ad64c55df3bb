"use server";

import { z } from "zod";
import { setRecognitionMode } from "@/lib/stores/set-recognition-mode.ts";
import { storeSlug } from "@/lib/stores/store-slug.ts";
import { formAction } from "../../../_lib/form-action.ts";

export const setRecognitionAction = formAction({
  name: "staff.set-recognition",
  role: "ADMIN",
  input: z.object({ store: storeSlug, setting: z.enum(["OFF", "PRESENCE", "ALWAYS"]) }),
  saved: "1",
  signIn: () => "/staff/signin",
  back: (_i, result) => `/staff/stores?${result}`,
  run: (i, u) =>
    setRecognitionMode({
      storeSlug: i.store,
      enabled: i.setting !== "OFF",
      mode: i.setting === "ALWAYS" ? "ALWAYS" : "PRESENCE",
      actor: { id: u.id, role: u.role },
    }),
});
