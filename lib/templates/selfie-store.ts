import { key } from "../redis.ts";

// Where a submitted selfie waits for its enrolment job: in Redis only, for minutes, under this key
// (never on disk: it is a face image). Shared by the submitter, the enrolment worker and erasure.
export const SELFIE_TTL_SECONDS = 300;
export const selfieKey = (selfieId: string) => key("selfie", selfieId);
