import { z } from "zod";
import { channels } from "../redis.ts";
import { publishEvent } from "../events/publish.ts";

// Told to every worker when who may be matched at a store changes for a reason other than consent:
// check-in, check-out, template enrolled or deleted, store settings. Ids only.
export const galleryChangedMessage = z.object({
  storeId: z.string().nullable(), // null: every store (e.g. a template deleted)
  userId: z.string().nullable(),
  reason: z.enum(["check-in", "check-out", "template", "store"]),
});
export type GalleryChangedMessage = z.infer<typeof galleryChangedMessage>;

export function publishGalleryChanged(msg: GalleryChangedMessage): Promise<boolean> {
  return publishEvent(channels.galleryChanged(), galleryChangedMessage, msg, "gallery.publish");
}
