// The target table: every server the bench measures, and how. Adding a target is
// one row; a target whose entry file does not exist yet is skipped and reported.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Surface } from "./scenarios.ts";
import type { ServerCommand } from "./server-process.ts";

export type DatabaseKind = "pg" | "neon" | "pglite";

export interface Target {
  readonly name: string;
  readonly role: "baseline" | "project";
  readonly command: ServerCommand;
  readonly database: DatabaseKind;
  readonly surfaces: readonly Surface[];
  /** "sql": the shared SQL seed in the bench database; "rest": seeded through its own API. */
  readonly seeding: "sql" | "rest";
  /** Whether the list-latency scale measurements run against it. */
  readonly scale: boolean;
  /** Variables of its own, over the common ones. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * The Node options the server's image sets (`NODE_OPTIONS` in apps/server/Dockerfile):
 * read from there, so that the bench runs the server as the image does.
 */
export function imageNodeOptions(dockerfile: string): string[] {
  const options = /NODE_OPTIONS="([^"]*)"/.exec(dockerfile)?.[1];
  if (options === undefined) throw new Error("apps/server/Dockerfile sets no NODE_OPTIONS");
  return options.split(" ").filter(Boolean);
}

const DOCKERFILE = new URL("../../server/Dockerfile", import.meta.url);

/** The production build, as the Dockerfile runs it (built by build-targets.ts). */
export const PROJECT_SERVER: ServerCommand = {
  cwd: "apps/server",
  nodeArgs: imageNodeOptions(readFileSync(DOCKERFILE, "utf8")),
  entry: "dist/main.mjs",
};

export const BASELINE_SERVER: ServerCommand = {
  cwd: "apps/bench",
  nodeArgs: [],
  entry: "dist/baseline.mjs",
};

const ALL_SURFACES: readonly Surface[] = ["rest", "trpc", "trpc-batch"];

export const TARGETS: readonly Target[] = [
  {
    name: "baseline",
    role: "baseline",
    command: BASELINE_SERVER,
    database: "pg",
    surfaces: ["rest", "trpc-batch"],
    seeding: "sql",
    scale: true,
  },
  {
    name: "project",
    role: "project",
    command: PROJECT_SERVER,
    database: "pg",
    surfaces: ALL_SURFACES,
    seeding: "sql",
    scale: true,
  },
  {
    // tRPC's own Fastify handler for every call (docs/architecture.md, "tRPC").
    name: "project-trpc-official",
    role: "project",
    command: PROJECT_SERVER,
    database: "pg",
    surfaces: ["trpc", "trpc-batch"],
    seeding: "sql",
    scale: false,
    env: { TRPC_FAST_PATH: "false" },
  },
  {
    name: "project-neon",
    role: "project",
    command: PROJECT_SERVER,
    database: "neon",
    surfaces: ["rest"],
    seeding: "sql",
    scale: false,
  },
  {
    name: "project-pglite",
    role: "project",
    command: PROJECT_SERVER,
    database: "pglite",
    surfaces: ["rest"],
    seeding: "rest",
    scale: false,
  },
];

export function isAvailable(target: Target, repoRoot: string): boolean {
  return existsSync(join(repoRoot, target.command.cwd, target.command.entry));
}
