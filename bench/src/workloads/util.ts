/** Small timing helpers shared by the workloads. Every wait is bounded. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

export const sleepUntil = (at: number) => sleep(at - performance.now());

/** Runs `task` over `items`, `size` at a time: connects rooms without a SYN storm. */
export async function inBatches<T>(
  items: T[],
  size: number,
  task: (item: T, index: number) => Promise<void>,
) {
  for (let i = 0; i < items.length; i += size) {
    await Promise.all(items.slice(i, i + size).map((item, j) => task(item, i + j)));
  }
}

/** Waits until `check()` holds or `timeoutMs` passes; returns whether it held. */
export async function waitFor(check: () => boolean, timeoutMs: number, stepMs = 20): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) return false;
    await sleep(stepMs);
  }
  return true;
}

export const MB = 1024 * 1024;
