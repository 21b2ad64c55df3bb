import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/current-user.ts";
import { storeNoticeOr404 } from "../../../_lib/store-notice-or-404.ts";
import { getConsentOverview } from "@/lib/consent/get-consent-overview.ts";
import { verifyPresenceToken } from "@/lib/presence/presence-token.ts";
import { isAppError } from "@/lib/errors/app-error.ts";
import { messages } from "@/lib/i18n/messages.ts";
import { requestLocale } from "../../../_lib/locale.ts";
import { errorText } from "../../../_lib/error-text.ts";
import { storePageTitle } from "../../../_lib/store-page-title.ts";
import { checkInAction } from "../consent/presence-actions.ts";

export const dynamic = "force-dynamic";

type Search = { t?: string | string[]; error?: string | string[] };
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

export async function generateMetadata({ params }: { params: Promise<{ store: string }> }) {
  return storePageTitle((await params).store, (m, store) => m.meta.here(store));
}

// What the entrance display's QR code opens: check in with one tap. The token is checked here to
// say at once when it is no good, and again by checkIn when the shopper taps.
export default async function HerePage(props: { params: Promise<{ store: string }>; searchParams: Promise<Search> }) {
  const [{ store: slug }, search] = await Promise.all([props.params, props.searchParams]);
  const loaded = await storeNoticeOr404(slug);
  const token = one(search.t)?.slice(0, 200) ?? "";
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(`/s/${slug}/here?t=${encodeURIComponent(token)}`)}`);
  const m = messages(await requestLocale(loaded.store.defaultLocale));
  const { store } = loaded;

  let refusal = errorText(m, one(search.error));
  if (!refusal) {
    try {
      verifyPresenceToken(token, store.id);
    } catch (e) {
      if (!isAppError(e)) throw e;
      refusal = errorText(m, e.code);
    }
  }
  const overview = user.role === "SHOPPER" ? await getConsentOverview(user.id, slug) : null;
  const recognitionOn = overview?.purposes.some((p) => p.purpose === "recognition" && p.status === "granted") ?? false;

  return (
    <>
      <h1>{m.presence.hereTitle(store.name)}</h1>
      {refusal ? (
        <p className="status err" role="alert" data-testid="here-error">
          {refusal}
        </p>
      ) : null}
      {!store.recognitionEnabled ? (
        <p>{m.notice.recognitionOff}</p>
      ) : store.recognitionMode === "ALWAYS" ? (
        <p>{m.presence.alwaysOn}</p>
      ) : user.role !== "SHOPPER" ? (
        <p>{m.errors.forbidden}</p>
      ) : !recognitionOn ? (
        <p>{m.presence.hereNeedsRecognition}</p>
      ) : refusal ? null : (
        <>
          <p>{m.presence.hereBody(store.checkInWindowMinutes)}</p>
          <form action={checkInAction}>
            <input type="hidden" name="store" value={slug} />
            <input type="hidden" name="t" value={token} />
            <button type="submit" data-testid="here-check-in">
              {m.presence.checkIn}
            </button>
          </form>
        </>
      )}
      <p>
        <a href={`/s/${slug}/consent`}>{m.presence.hereChoices}</a>
      </p>
    </>
  );
}
