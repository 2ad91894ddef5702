/** Runs `work` in `workers` parallel loops until `running()` turns false; each loop awaits its own calls. */
export async function runWorkers(
  workers: number,
  running: () => boolean,
  work: (worker: number, iteration: number) => Promise<void>,
): Promise<void> {
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let iteration = 0; running(); iteration += 1) await work(worker, iteration);
    }),
  );
}

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** Polls `check` until it holds or the time is up; says whether it held. */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(100);
  }
  return false;
}
