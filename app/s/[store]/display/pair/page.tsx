import { storePageTitle } from "../../../../_lib/store-page-title.ts";
import { PairDevicePage, type PairSearch } from "../../_device/pair-device-page.tsx";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ store: string }> }) {
  return storePageTitle((await params).store, (m, store) => m.meta.displayPair(store));
}

export default async function PairDisplayPage(props: {
  params: Promise<{ store: string }>;
  searchParams: Promise<PairSearch>;
}) {
  const [{ store }, search] = await Promise.all([props.params, props.searchParams]);
  return <PairDevicePage slug={store} kind="DISPLAY" search={search} />;
}
