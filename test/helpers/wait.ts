// Waiting on the event a test means, not on a guessed delay: poll a condition (a sandbox log
// entry, a job state) every few milliseconds, with a deadline that fails the test loudly.
// The probe may be async (a sandbox or app in another process answers over HTTP).
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
