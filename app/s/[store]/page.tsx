import { storeNoticeOr404 } from "../../_lib/store-notice-or-404.ts";
import { pickNoticeText } from "@/lib/notices/pick-notice-text.ts";
import { requestLocale } from "../../_lib/locale.ts";
import { messages } from "@/lib/i18n/messages.ts";
import { storePageTitle } from "../../_lib/store-page-title.ts";
import { LinkedText } from "../../_components/linked-text.tsx";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ store: string }> }) {
  return storePageTitle((await params).store, (m, store) => m.meta.notice(store));
}

// The store's notice: public, no sign-in, in the shopper's language.
export default async function StoreNoticePage({ params }: { params: Promise<{ store: string }> }) {
  const { store: slug } = await params;
  const loaded = await storeNoticeOr404(slug);
  const { store, notice } = loaded;
  const locale = await requestLocale(store.defaultLocale);
  const m = messages(locale);
  const text = pickNoticeText(notice.texts, locale, store.defaultLocale);
  const s = text.sections;
  const mode = !store.recognitionEnabled
    ? m.notice.recognitionOff
    : store.recognitionMode === "ALWAYS"
      ? m.notice.always
      : m.notice.presence;
  return (
    <article lang={text.locale}>
      <h1>{text.title}</h1>
      <p className="muted">{m.notice.version(notice.version, notice.publishedAt.toISOString().slice(0, 10))}</p>
      <section className="card" aria-labelledby="h-controller">
        <h2 id="h-controller">{m.notice.controller}</h2>
        <p>{s.controller}</p>
      </section>
      <section className="card" aria-labelledby="h-purposes">
        <h2 id="h-purposes">{m.notice.purposes}</h2>
        <h3>{m.notice.footfall}</h3>
        <p>{s.footfall}</p>
        <h3>{m.notice.recognition}</h3>
        <p>{s.recognition}</p>
        <p>
          <strong>{mode}</strong>
        </p>
        <h3>{m.notice.demographics}</h3>
        <p>{s.demographics}</p>
      </section>
      <section className="card" aria-labelledby="h-retention">
        <h2 id="h-retention">{m.notice.retention}</h2>
        <p>{s.retention}</p>
      </section>
      <section className="card" aria-labelledby="h-rights">
        <h2 id="h-rights">{m.notice.rights}</h2>
        <p>{s.rights}</p>
        <h3>{m.notice.complaint}</h3>
        <p>
          <LinkedText text={s.complaint} url={store.complaintUrl} />
        </p>
      </section>
      <p>
        <a className="button" href={`/s/${store.slug}/consent`}>
          {m.notice.manage}
        </a>
      </p>
      <p>
        <a href={`/s/${store.slug}/records`}>{m.notice.recordsLink}</a>
      </p>
    </article>
  );
}
