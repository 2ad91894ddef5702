// The scenario table: what each scenario sends, over which surface. A target
// runs the scenarios of the surfaces it serves (see targets.ts).
import { mixed, rest, trpc, trpcBatch, type RequestBuilder } from "./requests.ts";

export type Surface = "rest" | "trpc" | "trpc-batch";
export type Operation = "list" | "get" | "create" | "toggle" | "mixed" | "batch";

export interface Scenario {
  /** Unique, e.g. "rest list". */
  readonly name: string;
  readonly surface: Surface;
  /** Scenarios with the same operation are compared across targets. */
  readonly operation: Operation;
  readonly build: RequestBuilder;
}

export const SCENARIOS: readonly Scenario[] = [
  { name: "rest list", surface: "rest", operation: "list", build: rest.list },
  { name: "rest get", surface: "rest", operation: "get", build: rest.get },
  { name: "rest create", surface: "rest", operation: "create", build: rest.create },
  { name: "rest toggle", surface: "rest", operation: "toggle", build: rest.toggle },
  { name: "rest mixed", surface: "rest", operation: "mixed", build: mixed(rest) },
  { name: "trpc list", surface: "trpc", operation: "list", build: trpc.list },
  { name: "trpc get", surface: "trpc", operation: "get", build: trpc.get },
  { name: "trpc create", surface: "trpc", operation: "create", build: trpc.create },
  { name: "trpc toggle", surface: "trpc", operation: "toggle", build: trpc.toggle },
  { name: "trpc mixed", surface: "trpc", operation: "mixed", build: mixed(trpc) },
  { name: "trpc batch", surface: "trpc-batch", operation: "batch", build: trpcBatch },
];

export function scenariosFor(surfaces: readonly Surface[]): Scenario[] {
  return SCENARIOS.filter((scenario) => surfaces.includes(scenario.surface));
}
