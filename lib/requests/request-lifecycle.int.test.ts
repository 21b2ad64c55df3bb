// A data request's life against the real database and Redis: the erasure cooling-off window, the
// shopper's own cancel, the staff steps (verify, extend, assign, note) with their audit records,
// refusals for a shopper acting as staff, and the per-shopper limit on new requests.
import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "../db.ts";
import { isAppError } from "../errors/app-error.ts";
import { makeStore, makeUser } from "../../tests/fixtures.ts";
import { queue } from "../jobs/queues.ts";
import {
  DATA_REQUESTS_PER_ADDRESS_PER_HOUR,
  DATA_REQUESTS_PER_SHOPPER_PER_HOUR,
  submitRequest,
} from "./submit-request.ts";
import { cancelRequest } from "./cancel-request.ts";
import { approveRequest } from "./approve-request.ts";
import { rejectRequest } from "./reject-request.ts";
import { verifyRequest } from "./verify-request.ts";
import { extendRequest } from "./extend-request.ts";
import { assignRequest } from "./assign-request.ts";
import { maxExtendedDue } from "./due-date.ts";
import { existingPseudonym } from "../subjects/pseudonym.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// Jobs this file queues are removed: no worker runs here, and a later file's worker must not find them.
const queued: string[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const id of queued.splice(0)) await (await queue("requests").getJob(id))?.remove();
});

async function refused(p: Promise<unknown>, code: string) {
  const e = await p.catch((x) => x);
  expect(isAppError(e, code as never), `expected ${code}, got ${String(e)}`).toBe(true);
}
const audit = (requestId: string) =>
  db().auditLog.findMany({ where: { targetType: "DataRequest", targetId: requestId }, orderBy: { id: "asc" } });
const row = (id: string) => db().dataRequest.findUniqueOrThrow({ where: { id } });

async function staffPair() {
  const support = await makeUser("SUPPORT");
  return {
    support: { id: support.id, role: "SUPPORT" },
    shopperActor: async () => ({ id: (await makeUser()).id, role: "SHOPPER" }),
  };
}

// A request received by phone: nobody has checked who is asking yet.
async function phoneRequest(kind: "ACCESS" | "ERASURE" = "ERASURE", dueInDays = 30) {
  const store = await makeStore();
  const user = await makeUser();
  const r = await db().dataRequest.create({
    data: {
      userId: user.id,
      storeId: store.id,
      kind,
      status: "AWAITING_VERIFICATION",
      dueAt: new Date(Date.now() + dueInDays * DAY),
    },
  });
  return { store, user, r };
}

describe("erasure cooling-off and the shopper's own cancel", () => {
  it("an erasure waits out the store's cooling-off window: approval before its end is refused, after it the job is queued", async () => {
    const store = await makeStore();
    await db().store.update({ where: { id: store.id }, data: { coolingOffHours: 48 } });
    const user = await makeUser();
    const { support } = await staffPair();
    const now = new Date();
    const r = await submitRequest({ userId: user.id, storeSlug: store.slug, kind: "ERASURE", now });
    expect(r.status).toBe("COOLING_OFF");
    expect(r.coolingOffUntil!.getTime() - now.getTime()).toBe(48 * HOUR);

    await refused(
      approveRequest({ requestId: r.id, actor: support, now: new Date(now.getTime() + 47 * HOUR) }),
      "conflict",
    );
    expect((await row(r.id)).status).toBe("COOLING_OFF");
    expect((await audit(r.id)).map((a) => a.action)).toEqual(["request.submit"]);
    expect(await queue("requests").getJob(`request.erase-${r.id}`)).toBeUndefined();

    queued.push(`request.erase-${r.id}`);
    await approveRequest({ requestId: r.id, actor: support, now: new Date(now.getTime() + 48 * HOUR + 1000) });
    expect((await row(r.id)).status).toBe("APPROVED");
    expect((await queue("requests").getJob(`request.erase-${r.id}`))?.data).toEqual({ requestId: r.id });
    // The shopper appears in the audit trail only by their pseudonym, never by id (invariant of issue 12).
    const subject = await existingPseudonym(user.id);
    expect((await audit(r.id)).map((a) => [a.action, a.actorId])).toEqual([
      ["request.submit", null],
      ["request.approve", support.id],
    ]);
    expect((await audit(r.id))[0]!.subject).toBe(subject);
  });

  it("the shopper cancels their own erasure during cooling-off; another shopper cannot; a started request cannot be cancelled", async () => {
    const store = await makeStore();
    await db().store.update({ where: { id: store.id }, data: { coolingOffHours: 24 } });
    const [user, other] = [await makeUser(), await makeUser()];
    const r = await submitRequest({ userId: user.id, storeSlug: store.slug, kind: "ERASURE" });

    await refused(cancelRequest({ userId: other.id, requestId: r.id }), "not_found");
    expect((await row(r.id)).status).toBe("COOLING_OFF");

    await cancelRequest({ userId: user.id, requestId: r.id });
    expect(await row(r.id)).toMatchObject({ status: "CANCELLED" });
    const subject = await existingPseudonym(user.id);
    expect((await audit(r.id)).map((a) => [a.action, a.actorRole, a.subject])).toEqual([
      ["request.submit", "SHOPPER", subject],
      ["request.cancel", "SHOPPER", subject],
    ]);
    // Cancelled means no erasure: approval is refused and nothing is queued.
    const { support } = await staffPair();
    await refused(approveRequest({ requestId: r.id, actor: support, now: new Date(Date.now() + 2 * DAY) }), "conflict");
    expect(await queue("requests").getJob(`request.erase-${r.id}`)).toBeUndefined();

    // An access request starts at once (approved, queued): too late to cancel.
    const access = await submitRequest({ userId: user.id, storeSlug: store.slug, kind: "ACCESS" });
    queued.push(`request.export-${access.id}`);
    await refused(cancelRequest({ userId: user.id, requestId: access.id }), "conflict");
    expect((await row(access.id)).status).toBe("APPROVED");
  });
});

describe("staff steps on a request", () => {
  it("verify: needed before approval, only a known method, recorded with who and how", async () => {
    const { r } = await phoneRequest();
    const { support } = await staffPair();
    await refused(approveRequest({ requestId: r.id, actor: support }), "conflict");
    await refused(verifyRequest({ requestId: r.id, method: "a hunch", actor: support }), "invalid_input");
    expect(await row(r.id)).toMatchObject({
      status: "AWAITING_VERIFICATION",
      verifiedAt: null,
      verificationMethod: null,
    });

    await verifyRequest({ requestId: r.id, method: "phone-callback", actor: support });
    const v = await row(r.id);
    expect(v).toMatchObject({ status: "SUBMITTED", verificationMethod: "phone-callback", verifiedById: support.id });
    expect(v.verifiedAt).toBeInstanceOf(Date);
    const last = (await audit(r.id)).at(-1)!;
    expect([last.action, last.actorId, last.details]).toEqual([
      "request.verify",
      support.id,
      { method: "phone-callback" },
    ]);

    queued.push(`request.erase-${r.id}`);
    await approveRequest({ requestId: r.id, actor: support });
    expect((await row(r.id)).status).toBe("APPROVED");
  });

  it("extend: with a reason, after the original deadline and within the legal maximum, before the deadline passes", async () => {
    const { r, store } = await phoneRequest("ACCESS", 10);
    const { support } = await staffPair();
    const max = maxExtendedDue(store.jurisdiction, r.dueAt);
    await refused(
      extendRequest({ requestId: r.id, until: new Date(r.dueAt.getTime() + DAY), reason: "busy", actor: support }),
      "invalid_input",
    );
    await refused(
      extendRequest({
        requestId: r.id,
        until: new Date(max.getTime() + DAY),
        reason: "complex request, many stores",
        actor: support,
      }),
      "invalid_input",
    );
    await refused(
      extendRequest({
        requestId: r.id,
        until: new Date(r.dueAt.getTime() - DAY),
        reason: "complex request, many stores",
        actor: support,
      }),
      "invalid_input",
    );
    expect(await row(r.id)).toMatchObject({ extendedDueAt: null, extensionReason: null });
    expect((await audit(r.id)).filter((a) => a.action === "request.extend")).toEqual([]);

    const until = new Date(r.dueAt.getTime() + 20 * DAY);
    await extendRequest({ requestId: r.id, until, reason: "complex request, many stores", actor: support });
    expect(await row(r.id)).toMatchObject({ extendedDueAt: until, extensionReason: "complex request, many stores" });
    expect((await audit(r.id)).at(-1)).toMatchObject({
      action: "request.extend",
      actorId: support.id,
      details: { until: until.toISOString(), reason: "complex request, many stores" },
    });

    // Too late: the original deadline has passed.
    await refused(
      extendRequest({
        requestId: r.id,
        until: new Date(until.getTime() + DAY),
        reason: "complex request, many stores",
        actor: support,
        now: new Date(r.dueAt.getTime() + 1000),
      }),
      "conflict",
    );
    expect((await row(r.id)).extendedDueAt).toEqual(until);
  });

  it("extend to a picked day: the deadline ends with that day on the store's clock, not in UTC", async () => {
    const { r, store } = await phoneRequest("ACCESS", 10);
    await db().store.update({ where: { id: store.id }, data: { timezone: "Europe/Paris" } });
    const { support } = await staffPair();
    // A day 20 days after the deadline, as the console's date field sends it.
    const day = new Date(r.dueAt.getTime() + 20 * DAY).toISOString().slice(0, 10);
    await extendRequest({ requestId: r.id, until: day, reason: "complex request, many stores", actor: support });
    const due = (await row(r.id)).extendedDueAt!;
    // 23:59:59 in Paris; in UTC that is still the same day (22:59:59 or 21:59:59), never the next one.
    expect(
      new Intl.DateTimeFormat("en-CA", {
        timeZone: "Europe/Paris",
        dateStyle: "short",
        timeStyle: "medium",
        hourCycle: "h23",
      }).format(due),
    ).toBe(`${day}, 23:59:59`);
    expect(due.toISOString().slice(0, 10)).toBe(day);
  });

  it("assign and note: the assignee is set, the note is kept in the audit trail", async () => {
    const { r } = await phoneRequest();
    const { support } = await staffPair();
    await assignRequest({ requestId: r.id, assigneeId: support.id, actor: support });
    expect((await row(r.id)).assigneeId).toBe(support.id);
    await assignRequest({ requestId: r.id, note: "  called back, waiting for ID  ", actor: support });
    expect((await audit(r.id)).map((a) => [a.action, a.actorId, a.details])).toEqual([
      ["request.assign", support.id, { assigneeId: support.id }],
      ["request.note", support.id, { note: "called back, waiting for ID" }],
    ]);
  });

  it("a shopper (or anonymous) actor is refused every staff step, and nothing changes", async () => {
    const { r } = await phoneRequest();
    const { shopperActor } = await staffPair();
    for (const actor of [await shopperActor(), { id: null as unknown as string, role: "ANONYMOUS" }]) {
      await refused(verifyRequest({ requestId: r.id, method: "phone-callback", actor }), "forbidden");
      await refused(approveRequest({ requestId: r.id, actor }), "forbidden");
      await refused(rejectRequest({ requestId: r.id, reason: "not a real request", actor }), "forbidden");
      await refused(
        extendRequest({ requestId: r.id, until: new Date(r.dueAt.getTime() + DAY), reason: "complex request", actor }),
        "forbidden",
      );
      await refused(assignRequest({ requestId: r.id, assigneeId: actor.id, actor }), "forbidden");
      await refused(assignRequest({ requestId: r.id, note: "hello", actor }), "forbidden");
    }
    expect(await row(r.id)).toMatchObject({
      status: "AWAITING_VERIFICATION",
      verifiedAt: null,
      assigneeId: null,
      extendedDueAt: null,
      rejectionReason: null,
    });
    expect(await audit(r.id)).toEqual([]);
  });
});

describe("rate limit on new requests", () => {
  it("the 61st request from one client address within the hour is refused, however many shoppers send them", async () => {
    const address = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    const stores = [];
    for (let i = 0; i < DATA_REQUESTS_PER_SHOPPER_PER_HOUR; i++) stores.push(await makeStore());
    let sent = 0;
    let refused: unknown;
    // Each shopper stays under their own limit (one request fewer than it allows).
    while (!refused && sent <= DATA_REQUESTS_PER_ADDRESS_PER_HOUR) {
      const user = await makeUser();
      for (const s of stores.slice(1)) {
        if (sent === DATA_REQUESTS_PER_ADDRESS_PER_HOUR) {
          refused = await submitRequest({
            userId: user.id,
            storeSlug: s.slug,
            kind: "ERASURE",
            clientIp: address,
          }).then(
            () => "accepted",
            (x) => x,
          );
          break;
        }
        await submitRequest({ userId: user.id, storeSlug: s.slug, kind: "ERASURE", clientIp: address });
        sent++;
      }
    }
    expect(isAppError(refused, "rate_limited"), String(refused)).toBe(true);
    expect((refused as { retryAfter: number }).retryAfter).toBeGreaterThan(0);
    // Another address is another client.
    const other = await makeUser();
    await submitRequest({ userId: other.id, storeSlug: stores[0]!.slug, kind: "ERASURE", clientIp: "198.51.100.0" });
  });

  it("the 11th request of a shopper within the hour is refused with Retry-After, and nothing is created", async () => {
    // The limit is a one-hour window in Redis from the shopper's first request (lib/rate-limit.ts).
    const user = await makeUser();
    const stores = [];
    for (let i = 0; i < 11; i++) stores.push(await makeStore());
    for (const s of stores.slice(0, 10)) await submitRequest({ userId: user.id, storeSlug: s.slug, kind: "ERASURE" });
    const e = await submitRequest({ userId: user.id, storeSlug: stores[10]!.slug, kind: "ERASURE" }).catch((x) => x);
    expect(isAppError(e, "rate_limited"), String(e)).toBe(true);
    expect(e.retryAfter).toBeGreaterThan(0);
    expect(e.retryAfter).toBeLessThanOrEqual(HOUR / 1000);
    expect(await db().dataRequest.count({ where: { userId: user.id } })).toBe(10);
    expect(await db().dataRequest.count({ where: { userId: user.id, storeId: stores[10]!.id } })).toBe(0);
  });
});
