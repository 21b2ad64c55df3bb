// Test helpers for enrolment at the store's kiosk: a paired kiosk (through the real use cases), a
// burst of photos of one identity as the kiosk's camera would send them, and the whole in-store
// enrolment of a checked-in shopper (code on the phone, burst at the kiosk).
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { createDevicePairing } from "../lib/devices/create-device-pairing.ts";
import { pairDevice } from "../lib/devices/pair-device.ts";
import { issueKioskCode } from "../lib/kiosk/issue-kiosk-code.ts";
import { submitKioskBurst } from "../lib/kiosk/submit-kiosk-burst.ts";

export async function pairedKiosk(storeSlug: string) {
  const p = await createDevicePairing({
    kind: "KIOSK",
    storeSlug,
    name: "test kiosk",
    actor: { id: null, role: "SYSTEM" },
  });
  const { credential } = await pairDevice({ kind: "KIOSK", storeSlug, code: p.code });
  return { deviceId: p.deviceId, credential };
}

/** `count` photos of one identity folder (sorted, from `skip`), as kiosk JPEGs. */
export async function burstOf(identityDir: string, count = 3, skip = 0): Promise<Buffer[]> {
  const files = readdirSync(identityDir)
    .sort()
    .slice(skip, skip + count);
  if (files.length < count) throw new Error(`${identityDir} has fewer than ${count + skip} photos`);
  return Promise.all(
    files.map((f) =>
      sharp(readFileSync(path.join(identityDir, f)))
        .jpeg({ quality: 92 })
        .toBuffer(),
    ),
  );
}

/**
 * A checked-in shopper asks for a code and the store's kiosk sends the burst with it; returns the
 * kiosk enrolment id (the enrol.kiosk job is `enrol.kiosk-<id>`).
 */
export async function enrolAtKiosk(opts: {
  userId: string;
  storeSlug: string;
  frames: Buffer[];
  kiosk?: { credential: string };
}): Promise<{ enrolmentId: string }> {
  const kiosk = opts.kiosk ?? (await pairedKiosk(opts.storeSlug));
  const { code } = await issueKioskCode({ userId: opts.userId, storeSlug: opts.storeSlug });
  return submitKioskBurst({ storeSlug: opts.storeSlug, credential: kiosk.credential, code, frames: opts.frames });
}
