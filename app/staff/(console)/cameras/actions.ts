"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { registerCamera } from "@/lib/cameras/register-camera.ts";
import { rotateCameraSecret } from "@/lib/cameras/rotate-camera-secret.ts";
import { setCameraEnabled } from "@/lib/cameras/set-camera-enabled.ts";
import { setCountingLine } from "@/lib/cameras/set-counting-line.ts";
import { storeSlug } from "@/lib/stores/store-slug.ts";
import { formAction, stateAction } from "../../../_lib/form-action.ts";

// Authorisation is checked again inside each use case (admin only).
const cameraId = z.string().min(1).max(64);
const refresh = () => revalidatePath("/staff/cameras");
const actor = (u: { id: string; role: string }) => ({ id: u.id, role: u.role });

export const registerCameraAction = stateAction({
  name: "staff.camera-register",
  role: "ADMIN",
  input: z.object({ store: storeSlug, name: z.string().min(1).max(80) }),
  after: refresh,
  run: (i, u) => registerCamera({ storeSlug: i.store, name: i.name, actor: actor(u) }),
});

export const rotateCameraAction = stateAction({
  name: "staff.camera-rotate",
  role: "ADMIN",
  input: z.object({ camera: cameraId }),
  after: refresh,
  run: (i, u) => rotateCameraSecret({ cameraId: i.camera, actor: actor(u) }),
});

export const toggleCameraAction = formAction({
  name: "staff.camera-toggle",
  role: "ADMIN",
  input: z.object({ camera: cameraId, enabled: z.enum(["true", "false"]) }),
  saved: "1",
  signIn: () => "/staff/signin",
  back: (_i, result) => `/staff/cameras?${result}`,
  run: (i, u) => setCameraEnabled({ cameraId: i.camera, enabled: i.enabled === "true", actor: actor(u) }),
});

// Percent as typed in the form; an empty field is not 0 but missing (the schema refuses NaN).
const percent = z.string().max(20);
const share = (s: string) => (s.trim() === "" ? NaN : Number(s) / 100);
const lineBack = (i: { camera: string } | undefined, result: string) =>
  i ? `/staff/cameras/${encodeURIComponent(i.camera)}?${result}` : `/staff/cameras?${result}`;

export const saveCountingLineAction = formAction({
  name: "staff.camera-line-save",
  role: "ADMIN",
  input: z.object({ camera: cameraId, x1: percent, y1: percent, x2: percent, y2: percent, band: percent }),
  saved: "line",
  signIn: () => "/staff/signin",
  back: lineBack,
  run: (i, u) =>
    setCountingLine({
      cameraId: i.camera,
      line: { x1: share(i.x1), y1: share(i.y1), x2: share(i.x2), y2: share(i.y2), band: share(i.band) },
      actor: actor(u),
    }),
});

export const clearCountingLineAction = formAction({
  name: "staff.camera-line-clear",
  role: "ADMIN",
  input: z.object({ camera: cameraId }),
  saved: "cleared",
  signIn: () => "/staff/signin",
  back: lineBack,
  run: (i, u) => setCountingLine({ cameraId: i.camera, line: null, actor: actor(u) }),
});
