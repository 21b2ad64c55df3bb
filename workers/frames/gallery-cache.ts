import type { RedisClient } from "../../lib/redis.ts";
import { channels, createRedis } from "../../lib/redis.ts";
import { loadStoreGallery, type GalleryEntry } from "../../lib/gallery/load-store-gallery.ts";
import { logError } from "../../lib/log/log-error.ts";
import { consentChangedMessage } from "../../lib/consent/publish-consent-changed.ts";
import { galleryChangedMessage } from "../../lib/gallery/publish-gallery-changed.ts";

export type Matcher = {
  add(id: string, embedding: Float32Array): void;
  match(embedding: Float32Array): { best?: { id: string; score: number }; second?: { id: string; score: number } };
  readonly size: number;
};

export type StoreGallery = { matcher: Matcher; entries: Map<string, GalleryEntry> };

type Slot = { generation: number; loading?: Promise<StoreGallery>; value?: StoreGallery; loadedAt: number };

/**
 * Per-process cache of each store's live gallery, loaded lazily. Consent, check-in and template
 * changes arrive on Redis pub/sub and drop the store's entry, so the next frame reloads it from
 * the database (invariant 5); a timer drops everything as a safety net for missed messages. A load
 * that started before an invalidation is discarded, never cached.
 */
export class GalleryCache {
  private slots = new Map<string, Slot>();
  private sub?: RedisClient;
  private timer?: NodeJS.Timeout;
  private epoch = 0;

  constructor(
    private readonly newMatcher: () => Matcher,
    private readonly maxAgeMs = 60_000,
    private readonly load: (storeId: string) => Promise<GalleryEntry[]> = loadStoreGallery,
  ) {}

  async start(): Promise<void> {
    this.sub = createRedis("subscriber");
    this.sub.on("message", (channel, raw) => this.onMessage(channel, raw));
    await this.sub.subscribe(channels.consentChanged(), channels.galleryChanged());
    this.timer = setInterval(() => this.invalidateAll(), this.maxAgeMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sub?.quit().catch(() => this.sub?.disconnect());
  }

  // Parsed with the publisher's own schema: a message that does not match drops every gallery
  // (the safe side) and is logged.
  private onMessage(channel: string, raw: string): void {
    try {
      const schema = channel === channels.consentChanged() ? consentChangedMessage : galleryChangedMessage;
      const msg = schema.parse(JSON.parse(raw));
      if (msg.storeId) this.invalidate(msg.storeId);
      else this.invalidateAll();
    } catch (e) {
      logError("gallery.message", e);
      this.invalidateAll();
    }
  }

  /** Whether a store's gallery is held (loaded or loading): lets tests see an invalidation land. */
  isCached(storeId: string): boolean {
    return this.slots.has(storeId);
  }

  invalidate(storeId: string): void {
    this.slots.delete(storeId);
  }

  invalidateAll(): void {
    this.epoch++;
    this.slots.clear();
  }

  /** The store's gallery, without entries whose check-in window has ended. */
  async get(storeId: string, now = Date.now()): Promise<StoreGallery> {
    let slot = this.slots.get(storeId);
    if (slot?.value && now - slot.loadedAt > this.maxAgeMs) slot = undefined;
    if (!slot) {
      slot = { generation: this.epoch, loadedAt: now };
      this.slots.set(storeId, slot);
      const mine = slot;
      slot.loading = this.build(storeId).then((g) => {
        // Invalidated while loading: serve this frame from it but do not keep it.
        if (this.slots.get(storeId) === mine && mine.generation === this.epoch) mine.value = g;
        return g;
      });
      slot.loading.catch(() => this.slots.get(storeId) === mine && this.slots.delete(storeId));
    }
    const g = slot.value ?? (await slot.loading!);
    const expired = [...g.entries.values()].some((e) => e.until && e.until.getTime() <= now);
    if (!expired) return g;
    this.invalidate(storeId);
    return this.get(storeId, now);
  }

  private async build(storeId: string): Promise<StoreGallery> {
    const entries = await this.load(storeId);
    const matcher = this.newMatcher();
    for (const e of entries) matcher.add(e.userId, e.embedding);
    return { matcher, entries: new Map(entries.map((e) => [e.userId, e])) };
  }
}
