import { createHmac } from "node:crypto";
import { env } from "../env.ts";

/** Keyed hash of an identifier for tombstones: proves who was erased to someone who knows them, reveals nothing otherwise. */
export function subjectHash(identifier: string): string {
  return createHmac("sha256", env().SUBJECT_HASH_KEY).update(identifier.trim().toLowerCase()).digest("hex");
}
