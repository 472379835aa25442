/**
 * Polls `probe` every 100 ms until it gives something other than `undefined` or `false`, and
 * returns that; throws `timed out waiting for <what>` after `timeoutMs`. For socket-level tests
 * that wait on other processes (relays, Redis, nginx).
 */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
