import { z } from "zod";
import { channels, ready, redis } from "../redis.ts";
import { logError } from "../log/log-error.ts";

// Told to every worker when who may be matched at a store changes for a reason other than consent:
// check-in, check-out, template enrolled or deleted, store settings. Ids only.
export const galleryChangedMessage = z.object({
  storeId: z.string().nullable(), // null: every store (e.g. a template deleted)
  userId: z.string().nullable(),
  reason: z.enum(["check-in", "check-out", "template", "store"]),
});
export type GalleryChangedMessage = z.infer<typeof galleryChangedMessage>;

export async function publishGalleryChanged(msg: GalleryChangedMessage): Promise<boolean> {
  try {
    const client = await ready(redis("producer"));
    await client.publish(channels.galleryChanged(), JSON.stringify(galleryChangedMessage.parse(msg)));
    return true;
  } catch (e) {
    logError("gallery.publish", e, { storeId: msg.storeId ?? undefined });
    return false;
  }
}
