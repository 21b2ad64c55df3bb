import { cookies } from "next/headers";
import QRCode from "qrcode";
import { storeNoticeOr404 } from "../../../_lib/store-notice-or-404.ts";
import { authenticateDevice } from "@/lib/devices/authenticate-device.ts";
import { DISPLAY_COOKIE } from "@/lib/devices/device-secret.ts";
import { currentPresenceToken, nextWindowStart } from "@/lib/presence/presence-token.ts";
import { isAppError } from "@/lib/errors/app-error.ts";
import { env } from "@/lib/env.ts";
import { messages } from "@/lib/i18n/messages.ts";
import { requestLocale } from "../../../_lib/locale.ts";
import { storePageTitle } from "../../../_lib/store-page-title.ts";
import { RefreshAt } from "./refresh-at.tsx";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ store: string }> }) {
  return storePageTitle((await params).store, (m, store) => m.meta.display(store));
}

// The entrance display: a paired tablet at the door shows the QR code of this 30 s window's
// check-in link, and fetches the next one when the window turns (decision 7). Without a paired,
// unrevoked credential of this store it shows no code.
export default async function DisplayPage({ params }: { params: Promise<{ store: string }> }) {
  const { store: slug } = await params;
  const loaded = await storeNoticeOr404(slug);
  const { store } = loaded;
  const m = messages(await requestLocale(store.defaultLocale));
  const credential = (await cookies()).get(DISPLAY_COOKIE)?.value;
  const paired = await authenticateDevice({ kind: "DISPLAY", storeId: store.id, credential }).then(
    () => true,
    (e: unknown) => {
      if (isAppError(e, "display_not_paired")) return false;
      throw e;
    },
  );
  if (!paired) {
    return (
      <>
        <h1>{m.display.notPairedTitle}</h1>
        <p className="status err" role="alert" data-testid="display-refused">
          {m.errors.display_not_paired}
        </p>
      </>
    );
  }
  const now = new Date();
  const url = new URL(
    `/s/${slug}/here?t=${encodeURIComponent(currentPresenceToken(store.id, now))}`,
    env().APP_URL,
  ).toString();
  // The library's own SVG: modules as one path, no script, built from our own URL only.
  const svg = await QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return (
    <>
      <h1>{m.display.title(store.name)}</h1>
      <p>{m.display.body}</p>
      <div
        className="qr"
        role="img"
        aria-label={m.display.qrLabel}
        data-testid="presence-qr"
        data-url={url}
        dangerouslySetInnerHTML={{ __html: svg }}
      />
      <p className="visually-hidden">
        <a href={url} data-testid="presence-link">
          {m.display.link}
        </a>
      </p>
      <RefreshAt at={nextWindowStart(now).getTime()} />
    </>
  );
}
