"use server";

import { revalidatePath } from "next/cache";
import { currentUser } from "@/lib/auth/current-user.ts";
import { registerCamera } from "@/lib/cameras/register-camera.ts";
import { rotateCameraSecret } from "@/lib/cameras/rotate-camera-secret.ts";
import { setCameraEnabled } from "@/lib/cameras/set-camera-enabled.ts";
import { isAppError } from "@/lib/errors/app-error.ts";

export type SecretState = { cameraId?: string; secret?: string; error?: string };

// Authorisation is checked again inside each use case (admin only); the session is re-read here.
async function actor() {
  const user = await currentUser();
  return user ? { id: user.id, role: user.role } : { id: null, role: "ANONYMOUS" };
}

async function attempt(fn: () => Promise<{ cameraId: string; secret: string }>): Promise<SecretState> {
  try {
    const r = await fn();
    revalidatePath("/staff/cameras");
    return { cameraId: r.cameraId, secret: r.secret };
  } catch (e) {
    return { error: isAppError(e) ? e.code : "generic" };
  }
}

export async function registerCameraAction(_prev: SecretState, formData: FormData): Promise<SecretState> {
  const a = await actor();
  return attempt(() => registerCamera({ storeSlug: String(formData.get("store") ?? ""), name: String(formData.get("name") ?? ""), actor: a }));
}

export async function rotateCameraAction(_prev: SecretState, formData: FormData): Promise<SecretState> {
  const a = await actor();
  return attempt(() => rotateCameraSecret({ cameraId: String(formData.get("camera") ?? ""), actor: a }));
}

export async function toggleCameraAction(formData: FormData): Promise<void> {
  const a = await actor();
  await setCameraEnabled({ cameraId: String(formData.get("camera") ?? ""), enabled: formData.get("enabled") === "true", actor: a }).catch(() => {});
  revalidatePath("/staff/cameras");
}
