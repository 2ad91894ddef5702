import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { testDrivers } from "@tasks/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestServer } from "./support/server.ts";

const [driver = "pglite"] = testDrivers();

const serverRoot = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);

/** Both linters run offline: no telemetry, no update check, rulesets from node_modules. */
const OFFLINE = { REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" };

/** Each linter starts a fresh Node and loads its rulesets: seconds, more on a busy machine. */
const LINT_TIMEOUT_MS = 120_000;

/** Runs a package's CLI with this Node; a non-zero exit (problems found) is not an error here. */
function runCli(bin: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [require.resolve(bin), ...args],
      { cwd: serverRoot, env: { ...process.env, ...OFFLINE }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && stdout.trim() === "") reject(new Error(`${bin} failed: ${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

interface Finding {
  rule: string;
  severity: "error" | "warning" | "info" | "hint";
  where: string;
  message: string;
}

interface RedoclyProblem {
  ruleId: string;
  severity: "error" | "warn";
  message: string;
  location: { pointer?: string }[];
}

async function redocly(file: string): Promise<Finding[]> {
  const output = await runCli("@redocly/cli/bin/cli.js", ["lint", "--format=json", file]);
  const { problems } = JSON.parse(output) as { problems: RedoclyProblem[] };
  return problems.map((problem) => ({
    rule: problem.ruleId,
    severity: problem.severity === "warn" ? "warning" : "error",
    where: problem.location[0]?.pointer ?? "",
    message: problem.message,
  }));
}

const SPECTRAL_SEVERITIES = ["error", "warning", "info", "hint"] as const;

interface SpectralResult {
  code: string;
  severity: number;
  path: string[];
  message: string;
}

async function spectral(file: string): Promise<Finding[]> {
  const args = ["lint", "--ruleset", ".spectral.mjs", "--format", "json", "--quiet", file];
  const output = await runCli("@stoplight/spectral-cli/dist/index.js", args);
  const results = JSON.parse(output) as SpectralResult[];
  return results.map((result) => ({
    rule: result.code,
    severity: SPECTRAL_SEVERITIES[result.severity] ?? "error",
    where: result.path.join("."),
    message: result.message,
  }));
}

/** The findings one per line, so that a failure says what to fix. */
function listed(findings: readonly Finding[]): string[] {
  return findings.map(
    ({ severity, rule, where, message }) => `${severity} ${rule} ${where}: ${message}`,
  );
}

describe("the live OpenAPI document under third-party linters", () => {
  let server: TestServer;
  let folder: string;
  let file: string;

  beforeAll(async () => {
    server = await TestServer.start(driver);
    const reply = await server.request("GET", "/api/v1/openapi.json");
    expect(reply.status).toBe(200);
    folder = await mkdtemp(join(tmpdir(), "openapi-lint-"));
    file = join(folder, "openapi.json");
    await writeFile(file, reply.text);
  });
  afterAll(async () => {
    await server.close();
    await rm(folder, { recursive: true, force: true });
  });

  it(
    "passes Redocly's recommended rules (redocly.yaml) with no error and no warning",
    {
      timeout: LINT_TIMEOUT_MS,
    },
    async () => {
      expect(listed(await redocly(file))).toEqual([]);
    },
  );

  it(
    "passes Spectral's OWASP API security ruleset (.spectral.mjs) with no finding",
    {
      timeout: LINT_TIMEOUT_MS,
    },
    async () => {
      expect(listed(await spectral(file))).toEqual([]);
    },
  );

  it(
    "fails a document that breaks the rules, so a pass means something",
    {
      timeout: LINT_TIMEOUT_MS,
    },
    async () => {
      const broken = JSON.parse(await readFile(file, "utf8"));
      delete broken.servers;
      delete broken.paths["/health"].get.security;
      broken.components.schemas.Task.properties.title = { type: "string" };
      const brokenFile = join(folder, "broken.json");
      await writeFile(brokenFile, JSON.stringify(broken));
      const rules = (findings: Finding[]) => new Set(findings.map((finding) => finding.rule));
      expect(rules(await redocly(brokenFile))).toEqual(
        new Set(["no-empty-servers", "security-defined"]),
      );
      expect(rules(await spectral(brokenFile))).toContain("owasp:api4:2023-string-limit");
    },
  );
});
