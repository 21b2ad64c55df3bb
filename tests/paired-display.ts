// Test helper: pairs an entrance display of a store through the real use cases and returns the
// cookie the display's browser would hold.
import { createDisplayPairing } from "../lib/devices/create-display-pairing.ts";
import { pairDisplay } from "../lib/devices/pair-display.ts";
import { DISPLAY_COOKIE } from "../lib/devices/device-secret.ts";

export async function pairedDisplayCookie(storeSlug: string, baseURL: string) {
  const p = await createDisplayPairing({ storeSlug, name: "test display", actor: { id: null, role: "SYSTEM" } });
  const { credential } = await pairDisplay({ storeSlug, code: p.code });
  return {
    name: DISPLAY_COOKIE,
    value: credential,
    domain: new URL(baseURL).hostname,
    path: `/s/${storeSlug}/display`,
    httpOnly: true,
    sameSite: "Lax" as const,
  };
}
