// Test helper: pairs an entrance display or a kiosk of a store through the real use cases and
// returns the cookie that device's browser would hold.
import { createDevicePairing } from "../lib/devices/create-device-pairing.ts";
import { pairDevice } from "../lib/devices/pair-device.ts";
import { DEVICE_KINDS, type DeviceKind } from "../lib/devices/device-secret.ts";

export async function pairedDeviceCookie(storeSlug: string, baseURL: string, kind: DeviceKind = "DISPLAY") {
  const p = await createDevicePairing({
    kind,
    storeSlug,
    name: `test ${kind.toLowerCase()}`,
    actor: { id: null, role: "SYSTEM" },
  });
  const { credential } = await pairDevice({ kind, storeSlug, code: p.code });
  return {
    deviceId: p.deviceId,
    cookie: {
      name: DEVICE_KINDS[kind].cookie,
      value: credential,
      domain: new URL(baseURL).hostname,
      path: DEVICE_KINDS[kind].page(storeSlug),
      httpOnly: true,
      sameSite: "Lax" as const,
    },
  };
}

export async function pairedDisplayCookie(storeSlug: string, baseURL: string) {
  return (await pairedDeviceCookie(storeSlug, baseURL, "DISPLAY")).cookie;
}
