// The bench's handle on its subscriber process (subscriber.ts), forked with the
// bench's own Node options so that it loads TypeScript the same way.
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { cpuShare, sampleCpu, type CpuSample } from "../process-cpu.ts";
import type { FromSubscriber, StreamSpec, ToSubscriber } from "./protocol.ts";

type Report = Extract<FromSubscriber, { type: "report" }>;

const ENTRY = fileURLToPath(new URL("./subscriber.ts", import.meta.url));
const OPEN_TIMEOUT_MS = 30_000;

export interface Subscriber {
  readonly pid: number;
  /** Every stream open (200) or the first failure. */
  open(streams: readonly StreamSpec[]): Promise<void>;
  /** Waits for `receipts` events (at most `timeoutMs`), closes the streams, reports. */
  drain(receipts: number, timeoutMs: number): Promise<Report>;
  /** Its CPU share since `open` (1 = one core busy). */
  cpuShare(): number | null;
  stop(): void;
}

function next(child: ChildProcess, timeoutMs: number): Promise<FromSubscriber> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the subscriber did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const exit = (code: number | null) => reject(new Error(`the subscriber exited with ${code}`));
    child.once("exit", exit);
    child.once("message", (message: FromSubscriber) => {
      clearTimeout(timer);
      child.off("exit", exit);
      resolve(message);
    });
  });
}

export function startSubscriber(): Subscriber {
  const child = fork(ENTRY, { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const post = (message: ToSubscriber): void => void child.send(message);
  let first: CpuSample | null = null;
  let last: CpuSample | null = null;
  return {
    pid: child.pid ?? -1,
    async open(streams) {
      first = sampleCpu(child.pid ?? -1);
      post({ type: "open", streams });
      const answer = await next(child, OPEN_TIMEOUT_MS);
      if (answer.type === "failed") throw new Error(`opening the streams: ${answer.error}`);
      if (answer.type !== "opened") throw new Error(`the subscriber answered ${answer.type}`);
    },
    async drain(receipts, timeoutMs) {
      const cpu = sampleCpu(child.pid ?? -1);
      post({ type: "drain", receipts, timeoutMs });
      const answer = await next(child, timeoutMs + OPEN_TIMEOUT_MS);
      if (answer.type !== "report") throw new Error(`the subscriber answered ${answer.type}`);
      last = cpu;
      return answer;
    },
    cpuShare: () => cpuShare(first, last),
    stop: () => void child.kill(),
  };
}
