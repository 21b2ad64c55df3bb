import { storeNoticeOr404 } from "../../../_lib/store-notice-or-404.ts";
import { messages } from "@/lib/i18n/messages.ts";
import type { DeviceKind } from "@/lib/devices/device-secret.ts";
import { requestLocale } from "../../../_lib/locale.ts";
import { errorText } from "../../../_lib/error-text.ts";
import { pairDeviceAction } from "./pair-device-action.ts";

export type PairSearch = { code?: string | string[]; error?: string | string[] };
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

// Opened on the tablet from the one-time link an admin created in /staff/displays, for an entrance
// display or a kiosk. Pairing is a POST (a link preview or prefetch pairs nothing).
export async function PairDevicePage({ slug, kind, search }: { slug: string; kind: DeviceKind; search: PairSearch }) {
  const loaded = await storeNoticeOr404(slug);
  const m = messages(await requestLocale(loaded.store.defaultLocale));
  const text = kind === "KIOSK" ? m.kiosk : m.display;
  const error = errorText(m, one(search.error));
  return (
    <>
      <h1>{text.pairTitle(loaded.store.name)}</h1>
      {error ? (
        <p className="status err" role="alert" data-testid="pair-error">
          {error}
        </p>
      ) : null}
      <p>{text.pairBody}</p>
      <form action={pairDeviceAction}>
        <input type="hidden" name="store" value={slug} />
        <input type="hidden" name="kind" value={kind} />
        <input type="hidden" name="code" value={one(search.code)?.slice(0, 64) ?? ""} />
        <button type="submit" data-testid="pair-display">
          {text.pairButton}
        </button>
      </form>
    </>
  );
}
