// CPU time of a process from /proc/<pid>/stat: how a load generator's own share of
// the machine is measured, so that a saturated generator shows in the report.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  ticksPerSecond ??= Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
  return ticksPerSecond;
}

/** utime + stime of the process in seconds; null once it has exited. */
export function processCpuSeconds(pid: number | "self"): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name, which may itself hold spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / clockTicks();
  } catch {
    return null;
  }
}

export interface CpuSample {
  readonly atMs: number;
  readonly cpuSeconds: number;
}

export function sampleCpu(pid: number | "self"): CpuSample | null {
  const cpuSeconds = processCpuSeconds(pid);
  return cpuSeconds === null ? null : { atMs: performance.now(), cpuSeconds };
}

/** CPU seconds per wall second between two samples: 1 is one core fully busy. */
export function cpuShare(first: CpuSample | null, last: CpuSample | null): number | null {
  if (first === null || last === null || last.atMs <= first.atMs) return null;
  return (last.cpuSeconds - first.cpuSeconds) / ((last.atMs - first.atMs) / 1000);
}
