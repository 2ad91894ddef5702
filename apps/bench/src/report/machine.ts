import { cpus, release, totalmem, type } from "node:os";

export interface Machine {
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryBytes: number;
  readonly os: string;
  readonly node: string;
  readonly postgres: string;
  readonly date: string;
}

export function describeMachine(postgresVersion: string, now: Date = new Date()): Machine {
  const processors = cpus();
  return {
    cores: processors.length,
    cpuModel: processors[0]?.model.trim() ?? "unknown",
    memoryBytes: totalmem(),
    os: `${type()} ${release()}`,
    node: process.version,
    postgres: postgresVersion,
    date: now.toISOString(),
  };
}
