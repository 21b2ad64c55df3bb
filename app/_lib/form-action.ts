import { redirect } from "next/navigation";
import { z } from "zod";
import { currentUser, type CurrentUser } from "@/lib/auth/current-user.ts";
import { isStaffRole, type StaffRole } from "@/lib/auth/require-staff.ts";
import { isAppError } from "@/lib/errors/app-error.ts";
import { logError } from "@/lib/log/log-error.ts";

// The one wrapper of every server action: parse the form with zod, re-read the session, check the
// role, run one lib/ use case, and turn the outcome into a code. Error codes only leave here (never
// an exception's message, which is log text); pages translate them with errorText(). Use cases
// check authorisation again themselves: this is the first gate, not the only one.

type Who = "SHOPPER" | StaffRole;
export type ActionOutcome<T = unknown> = { ok: true; value: T } | { ok: false; code: string };

type Spec<S extends z.ZodType, T> = {
  /** Names the action in logs. */
  name: string;
  input: S;
  /** Who may call it: any signed-in user when absent; "SUPPORT" admits ADMIN too. */
  role?: Who;
  run: (input: z.infer<S>, user: CurrentUser) => Promise<T>;
};

function allowed(user: CurrentUser, role: Who | undefined): boolean {
  if (!role) return true;
  return role === "SHOPPER" ? user.role === "SHOPPER" : isStaffRole(user.role, role);
}

async function outcomeOf<S extends z.ZodType, T>(
  spec: Spec<S, T>,
  input: z.infer<S>,
  user: CurrentUser,
): Promise<ActionOutcome<T>> {
  if (!allowed(user, spec.role)) return { ok: false, code: "forbidden" };
  try {
    return { ok: true, value: await spec.run(input, user) };
  } catch (e) {
    if (!isAppError(e)) logError(`action.${spec.name}`, e, { userId: user.id });
    return { ok: false, code: isAppError(e) ? e.code : "generic" };
  }
}

/**
 * An action for a plain <form>: it works without JavaScript and answers with a redirect to
 * `back(input, "saved=<saved>" | "error=<code>")`. `saved` is a fixed code, optionally followed by
 * `&name=<number>` pairs; never user text. A signed-out caller goes to `signIn(input)`.
 */
export function formAction<S extends z.ZodType, T>(
  spec: Spec<S, T> & {
    saved: string | ((input: z.infer<S>, value: T) => string);
    /** `fields` is the form as sent, for a page to come back to when the input did not parse. */
    back: (input: z.infer<S> | undefined, result: string, fields: Record<string, unknown>) => string;
    signIn: (input: z.infer<S> | undefined) => string;
  },
): (formData: FormData) => Promise<void> {
  return async (formData) => {
    const fields = Object.fromEntries(formData);
    const parsed = spec.input.safeParse(fields);
    const input = parsed.success ? (parsed.data as z.infer<S>) : undefined;
    const user = await currentUser();
    if (!user) redirect(spec.signIn(input));
    if (input === undefined) redirect(spec.back(undefined, "error=invalid_input", fields));
    const r = await outcomeOf(spec, input, user);
    // redirect() throws Next's own control-flow error: it must stay outside any try/catch.
    redirect(
      spec.back(
        input,
        r.ok
          ? `saved=${typeof spec.saved === "function" ? spec.saved(input, r.value) : spec.saved}`
          : `error=${r.code}`,
        fields,
      ),
    );
  };
}

/**
 * An action for a form driven by React's useActionState: it returns the outcome instead of
 * redirecting (used where the page must show a one-time value, such as a new camera secret).
 */
export function stateAction<S extends z.ZodType, T>(
  spec: Spec<S, T> & { after?: () => void },
): (prev: unknown, formData: FormData) => Promise<ActionOutcome<T>> {
  return async (_prev, formData) => {
    const fields = Object.fromEntries(formData);
    const parsed = spec.input.safeParse(fields);
    if (!parsed.success) return { ok: false, code: "invalid_input" };
    const user = await currentUser();
    if (!user) return { ok: false, code: "unauthenticated" };
    const r = await outcomeOf(spec, parsed.data as z.infer<S>, user);
    if (r.ok) spec.after?.();
    return r;
  };
}
