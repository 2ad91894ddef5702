// A load run with wrk: the requests are built up front (the scenario's builder over
// its distinct sequence numbers) and written raw to a file that apps/bench/wrk/
// requests.lua cycles through; that script checks every response and prints one
// JSON line at the end. The generator's CPU share is read from /proc/<wrk pid>.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { LoadOptions, LoadResult } from "./load-result.ts";
import { cpuShare, sampleCpu, type CpuSample } from "./process-cpu.ts";
import type { RequestSpec } from "./requests.ts";

const SCRIPT = fileURLToPath(new URL("../wrk/requests.lua", import.meta.url));
const CPU_SAMPLE_MS = 100;
const OUTPUT_KEEP_CHARS = 4_000;

/** The request as bytes on the wire (HTTP/1.1, keep-alive). */
export function rawRequest(spec: RequestSpec, host: string): Buffer {
  const body = Buffer.from(spec.body ?? "");
  const length = spec.body === undefined ? {} : { "content-length": String(body.length) };
  const head = Object.entries({ host, ...spec.headers, ...length })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  return Buffer.concat([Buffer.from(`${spec.method} ${spec.path} HTTP/1.1\r\n${head}\r\n`), body]);
}

/** "<byte length>\n<bytes>" per request: what requests.lua reads. */
export function requestFile(options: LoadOptions): Buffer {
  const host = new URL(options.url).host;
  const parts: Buffer[] = [];
  for (let sequence = 0; sequence < options.distinctRequests; sequence += 1) {
    const raw = rawRequest(options.next(sequence), host);
    parts.push(Buffer.from(`${raw.length}\n`), raw);
  }
  return Buffer.concat(parts);
}

interface WrkSummary {
  readonly requests: number;
  readonly durationUs: number;
  readonly p50Us: number;
  readonly p99Us: number;
  readonly failures: number;
  readonly socketErrors: number;
  readonly timeouts: number;
  readonly firstFailure: string;
}

export function parseWrkOutput(output: string): WrkSummary {
  const line = /^BENCH_RESULT (.*)$/m.exec(output)?.[1];
  if (line === undefined) throw new Error(`wrk printed no result:\n${output}`);
  return JSON.parse(line) as WrkSummary;
}

export function toLoadResult(summary: WrkSummary, generatorCpu: number | null): LoadResult {
  const socketErrors = summary.socketErrors + summary.timeouts;
  const firstFailure =
    summary.firstFailure !== ""
      ? `response ${summary.firstFailure}`
      : socketErrors > 0
        ? `${socketErrors} socket errors or timeouts`
        : null;
  return {
    requests: summary.requests,
    requestsPerSecond: summary.requests / (summary.durationUs / 1e6),
    latencyP50Ms: summary.p50Us / 1000,
    latencyP99Ms: summary.p99Us / 1000,
    errors: summary.failures + socketErrors,
    firstFailure,
    generatorCpu,
  };
}

function runProcess(args: readonly string[]): Promise<{ output: string; cpu: number | null }> {
  const child = spawn("wrk", args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEEP_CHARS);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  // The first and last samples while wrk runs bound its CPU share.
  let first: CpuSample | null = null;
  let last: CpuSample | null = null;
  const timer = setInterval(() => {
    const sample = child.pid === undefined ? null : sampleCpu(child.pid);
    if (sample === null) return;
    first ??= sample;
    last = sample;
  }, CPU_SAMPLE_MS);
  return new Promise((resolve, reject) => {
    child.once("error", (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.once("exit", (code) => {
      clearInterval(timer);
      if (code === 0) resolve({ output, cpu: cpuShare(first, last) });
      else reject(new Error(`wrk exited with ${code}:\n${output}`));
    });
  });
}

export async function runWrk(options: LoadOptions, threads: number): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), "bench-wrk-"));
  try {
    const file = join(dir, "requests.txt");
    writeFileSync(file, requestFile(options));
    const stride = Math.ceil(options.distinctRequests / threads);
    const { output, cpu } = await runProcess([
      `--threads=${threads}`,
      `--connections=${options.connections}`,
      `--duration=${options.seconds}s`,
      // autocannon's default: wrk's own 2 s counted slow answers of a loaded machine as errors.
      "--timeout=10s",
      `--script=${SCRIPT}`,
      options.url,
      "--",
      file,
      "0",
      String(stride),
    ]);
    return toLoadResult(parseWrkOutput(output), cpu);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
