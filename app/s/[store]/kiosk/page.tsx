import { cookies } from "next/headers";
import { storeNoticeOr404 } from "../../../_lib/store-notice-or-404.ts";
import { authenticateDevice } from "@/lib/devices/authenticate-device.ts";
import { KIOSK_COOKIE } from "@/lib/devices/device-secret.ts";
import { BURST_MIN_FRAMES } from "@/lib/kiosk/kiosk-code.ts";
import { isAppError } from "@/lib/errors/app-error.ts";
import { messages } from "@/lib/i18n/messages.ts";
import { requestLocale } from "../../../_lib/locale.ts";
import { storePageTitle } from "../../../_lib/store-page-title.ts";
import { KioskCapture } from "./kiosk-capture.tsx";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ store: string }> }) {
  return storePageTitle((await params).store, (m, store) => m.meta.kiosk(store));
}

// The enrolment kiosk: a paired tablet in the store asks for the shopper's one-time code, takes a
// short burst with its camera and posts it to ./burst. Without a paired, unrevoked kiosk
// credential of this store it shows no capture form (and ./burst refuses it too).
export default async function KioskPage({ params }: { params: Promise<{ store: string }> }) {
  const { store: slug } = await params;
  const { store } = await storeNoticeOr404(slug);
  const m = messages(await requestLocale(store.defaultLocale));
  const credential = (await cookies()).get(KIOSK_COOKIE)?.value;
  const paired = await authenticateDevice({ kind: "KIOSK", storeId: store.id, credential }).then(
    () => true,
    (e: unknown) => {
      if (isAppError(e, "kiosk_not_paired")) return false;
      throw e;
    },
  );
  if (!paired) {
    return (
      <>
        <h1>{m.kiosk.notPairedTitle}</h1>
        <p className="status err" role="alert" data-testid="kiosk-refused">
          {m.errors.kiosk_not_paired}
        </p>
      </>
    );
  }
  return (
    <>
      <h1>{m.kiosk.title(store.name)}</h1>
      <p>{m.kiosk.body}</p>
      <KioskCapture
        postTo={`/s/${slug}/kiosk/burst`}
        frames={Math.max(BURST_MIN_FRAMES, 4)}
        text={{
          codeLabel: m.kiosk.codeLabel,
          codeFormat: m.kiosk.codeFormat,
          start: m.kiosk.start,
          capturing: m.kiosk.capturing,
          sending: m.kiosk.sending,
          sent: m.kiosk.sent,
          noCamera: m.kiosk.noCamera,
          preview: m.kiosk.preview,
          errors: m.errors as unknown as Record<string, string>,
          generic: m.errors.generic,
        }}
      />
    </>
  );
}
