"use server";

import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/current-user.ts";
import { approveRequest } from "@/lib/requests/approve-request.ts";
import { rejectRequest } from "@/lib/requests/reject-request.ts";
import { extendRequest } from "@/lib/requests/extend-request.ts";
import { verifyRequest } from "@/lib/requests/verify-request.ts";
import { assignRequest } from "@/lib/requests/assign-request.ts";
import { isAppError } from "@/lib/errors/app-error.ts";
import { logError } from "@/lib/log/log-error.ts";

// Every action re-reads the session; the use cases check the role (support or admin) themselves.
async function act(formData: FormData, fn: (id: string, actor: { id: string; role: string }) => Promise<unknown>): Promise<never> {
  const id = String(formData.get("request") ?? "");
  const user = await currentUser();
  if (!user) redirect("/staff/signin");
  let outcome = "saved=1";
  try {
    await fn(id, { id: user.id, role: user.role });
  } catch (e) {
    if (!isAppError(e)) logError("staff.request", e, { requestId: id });
    outcome = `error=${encodeURIComponent(isAppError(e) ? e.message : "generic")}`;
  }
  redirect(`/staff/requests/${encodeURIComponent(id)}?${outcome}`);
}

export async function approveAction(fd: FormData) {
  await act(fd, (requestId, actor) => approveRequest({ requestId, actor }));
}
export async function rejectAction(fd: FormData) {
  await act(fd, (requestId, actor) => rejectRequest({ requestId, actor, reason: String(fd.get("reason") ?? "") }));
}
export async function extendAction(fd: FormData) {
  const until = new Date(`${String(fd.get("until") ?? "")}T23:59:59Z`);
  await act(fd, (requestId, actor) => extendRequest({ requestId, actor, until, reason: String(fd.get("reason") ?? "") }));
}
export async function verifyAction(fd: FormData) {
  await act(fd, (requestId, actor) => verifyRequest({ requestId, actor, method: String(fd.get("method") ?? "") }));
}
export async function assignToMeAction(fd: FormData) {
  await act(fd, (requestId, actor) => assignRequest({ requestId, actor, assigneeId: actor.id }));
}
export async function noteAction(fd: FormData) {
  await act(fd, (requestId, actor) => assignRequest({ requestId, actor, note: String(fd.get("note") ?? "") }));
}
