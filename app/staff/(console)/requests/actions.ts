"use server";

import { z } from "zod";
import { approveRequest } from "@/lib/requests/approve-request.ts";
import { rejectRequest } from "@/lib/requests/reject-request.ts";
import { extendRequest } from "@/lib/requests/extend-request.ts";
import { verifyRequest } from "@/lib/requests/verify-request.ts";
import { assignRequest } from "@/lib/requests/assign-request.ts";
import { formAction } from "../../../_lib/form-action.ts";

const requestId = z.string().min(1).max(64);
const text = z.string().max(2000).default("");
// Each form comes back to the request it was sent from, even when its input did not parse (a
// reason over the limit), and names itself so the page shows the outcome beside it.
const staff = (form: string) => ({
  role: "SUPPORT" as const,
  saved: "1",
  signIn: () => "/staff/signin",
  back: (i: { request: string } | undefined, result: string, fields: Record<string, unknown>) => {
    const id = i?.request ?? fields.request;
    return requestId.safeParse(id).success
      ? `/staff/requests/${encodeURIComponent(id as string)}?${result}&form=${form}#form-${form}`
      : `/staff/requests?${result}`;
  },
});
const actor = (user: { id: string; role: string }) => ({ id: user.id, role: user.role });

export const approveAction = formAction({
  ...staff("approve"),
  name: "staff.approve",
  input: z.object({ request: requestId }),
  run: (i, u) => approveRequest({ requestId: i.request, actor: actor(u) }),
});

export const rejectAction = formAction({
  ...staff("reject"),
  name: "staff.reject",
  input: z.object({ request: requestId, reason: text }),
  run: (i, u) => rejectRequest({ requestId: i.request, actor: actor(u), reason: i.reason }),
});

export const extendAction = formAction({
  ...staff("extend"),
  name: "staff.extend",
  input: z.object({ request: requestId, until: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), reason: text }),
  run: (i, u) => extendRequest({ requestId: i.request, actor: actor(u), until: i.until, reason: i.reason }),
});

export const verifyAction = formAction({
  ...staff("verify"),
  name: "staff.verify",
  input: z.object({ request: requestId, method: text }),
  run: (i, u) => verifyRequest({ requestId: i.request, actor: actor(u), method: i.method }),
});

export const assignToMeAction = formAction({
  ...staff("assign"),
  name: "staff.assign",
  input: z.object({ request: requestId }),
  run: (i, u) => assignRequest({ requestId: i.request, actor: actor(u), assigneeId: u.id }),
});

export const noteAction = formAction({
  ...staff("note"),
  name: "staff.note",
  input: z.object({ request: requestId, note: text }),
  run: (i, u) => assignRequest({ requestId: i.request, actor: actor(u), note: i.note }),
});
