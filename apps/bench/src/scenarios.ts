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

/**
 * Each tRPC scenario runs right after the REST scenario of the same operation,
 * whose baseline passes are its reference: both are measured on the database as
 * the writes before them left it, not one at the start of the run and the other
 * at its end.
 */
export const SCENARIOS: readonly Scenario[] = [
  { name: "rest list", surface: "rest", operation: "list", build: rest.list },
  { name: "trpc list", surface: "trpc", operation: "list", build: trpc.list },
  { name: "rest get", surface: "rest", operation: "get", build: rest.get },
  { name: "trpc get", surface: "trpc", operation: "get", build: trpc.get },
  { name: "rest create", surface: "rest", operation: "create", build: rest.create },
  { name: "trpc create", surface: "trpc", operation: "create", build: trpc.create },
  { name: "rest toggle", surface: "rest", operation: "toggle", build: rest.toggle },
  { name: "trpc toggle", surface: "trpc", operation: "toggle", build: trpc.toggle },
  { name: "rest mixed", surface: "rest", operation: "mixed", build: mixed(rest) },
  { name: "trpc mixed", surface: "trpc", operation: "mixed", build: mixed(trpc) },
  { name: "trpc batch", surface: "trpc-batch", operation: "batch", build: trpcBatch },
];

export function scenariosFor(surfaces: readonly Surface[]): Scenario[] {
  return SCENARIOS.filter((scenario) => surfaces.includes(scenario.surface));
}
