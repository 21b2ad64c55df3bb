// GalleryCache against real Redis pub/sub and the real gallery query: what drops a cached gallery
// (a message for its store, a message for every store, a malformed message, the end of a check-in
// window, age) and that a load overtaken by an invalidation is never kept.
import { afterEach, describe, expect, it } from "vitest";
import { db } from "../../lib/db.ts";
import { channels, ready, redis } from "../../lib/redis.ts";
import { makeStore, makeUser } from "../../tests/fixtures.ts";
import { grantConsent } from "../../lib/consent/grant-consent.ts";
import { sealTemplate } from "../../lib/templates/template-codec.ts";
import type { GalleryEntry } from "../../lib/gallery/load-store-gallery.ts";
import { Gallery } from "../vision/gallery.ts";
import { GalleryCache } from "./gallery-cache.ts";
import { until } from "../../tests/until.ts";

const HOUR = 3_600_000;
const caches: GalleryCache[] = [];
async function cache(load?: (storeId: string) => Promise<GalleryEntry[]>) {
  const c = load ? new GalleryCache(() => new Gallery(), HOUR, load) : new GalleryCache(() => new Gallery(), HOUR);
  caches.push(c);
  await c.start();
  return c;
}
afterEach(async () => {
  await Promise.all(caches.splice(0).map((c) => c.stop()));
});

function unit(seed: number): Float32Array {
  const e = new Float32Array(512).map((_, i) => Math.sin(seed * 7.1 + i));
  const n = Math.hypot(...e);
  return e.map((x) => x / n);
}

async function alwaysOnStoreWithShopper(seed: number) {
  const store = await makeStore();
  await db().store.update({ where: { id: store.id }, data: { recognitionMode: "ALWAYS" } });
  const user = await makeUser();
  await db().faceTemplate.create({
    data: { userId: user.id, status: "ENROLLED", ...sealTemplate(user.id, unit(seed)), modelVersion: "test" },
  });
  await grantConsent({ userId: user.id, storeSlug: store.slug, purpose: "recognition", noticeVersion: 1 });
  return { store, user, embedding: unit(seed) };
}

const publish = async (channel: string, msg: string) => (await ready(redis("producer"))).publish(channel, msg);

describe("GalleryCache", () => {
  it("loads a store's consenting shoppers, and a message for that store drops only that store", async () => {
    const a = await alwaysOnStoreWithShopper(1);
    const b = await alwaysOnStoreWithShopper(2);
    const c = await cache();
    const ga = await c.get(a.store.id);
    expect([...ga.entries.keys()]).toEqual([a.user.id]);
    expect(ga.matcher.match(a.embedding).best).toMatchObject({ id: a.user.id });
    await c.get(b.store.id);
    expect(await c.get(a.store.id)).toBe(ga); // served from memory

    expect(
      await publish(
        channels.consentChanged(),
        JSON.stringify({ userId: a.user.id, storeId: a.store.id, purpose: "recognition", action: "REVOKE" }),
      ),
    ).toBeGreaterThan(0);
    await until("store A's gallery to be dropped", () => !c.isCached(a.store.id), 10_000);
    expect(c.isCached(b.store.id)).toBe(true);
    expect(await c.get(a.store.id)).not.toBe(ga);
  });

  it("a message without a store, or one it cannot read, drops every store", async () => {
    const a = await alwaysOnStoreWithShopper(3);
    const b = await alwaysOnStoreWithShopper(4);
    const c = await cache();
    await c.get(a.store.id);
    await c.get(b.store.id);
    await publish(channels.galleryChanged(), JSON.stringify({ storeId: null, userId: a.user.id, reason: "template" }));
    await until("every gallery to be dropped", () => !c.isCached(a.store.id) && !c.isCached(b.store.id), 10_000);
    await c.get(a.store.id);
    await publish(channels.galleryChanged(), "not json");
    await until("every gallery to be dropped after a malformed message", () => !c.isCached(a.store.id), 10_000);
    // JSON that is not the publisher's message (a store id that is no string) is malformed too:
    // read with the publisher's schema, it drops every gallery rather than "store 5".
    await c.get(a.store.id);
    await c.get(b.store.id);
    await publish(channels.galleryChanged(), JSON.stringify({ storeId: 5, reason: "template" }));
    await until(
      "every gallery to be dropped after a message off the schema",
      () => !c.isCached(a.store.id) && !c.isCached(b.store.id),
      10_000,
    );
  });

  it("a load overtaken by an invalidation serves its frame but is not kept", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let loads = 0;
    const c = await cache(async () => {
      loads++;
      if (loads === 1) await gate;
      return [{ userId: `u${loads}`, embedding: unit(loads), demographics: false, until: null }];
    });
    const first = c.get("s1");
    c.invalidateAll();
    release();
    expect([...(await first).entries.keys()]).toEqual(["u1"]);
    expect([...(await c.get("s1")).entries.keys()]).toEqual(["u2"]);
    expect(loads).toBe(2);
  });

  it("an entry whose check-in window has ended, or a gallery past its age, is reloaded", async () => {
    const t0 = Date.now();
    let loads = 0;
    const c = await cache(async () => {
      loads++;
      return loads === 1 ? [{ userId: "u", embedding: unit(9), demographics: false, until: new Date(t0 + 1000) }] : [];
    });
    expect((await c.get("s", t0)).matcher.size).toBe(1);
    expect((await c.get("s", t0 + 999)).matcher.size).toBe(1);
    expect((await c.get("s", t0 + 1000)).matcher.size).toBe(0); // window over: reloaded without it
    expect(loads).toBe(2);
    await c.get("s", t0 + 1000 + HOUR + 1);
    expect(loads).toBe(3);
  });
});
