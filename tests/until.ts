// Waiting on a condition, never on the clock: polls `check` until it returns a value other than
// undefined/false, or fails naming what it waited for. The deadline stays below vitest's
// integration timeout (60 s), so a broken condition fails the test with this message rather than
// a bare timeout.
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`gave up waiting after ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
