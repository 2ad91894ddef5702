import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

const config: NextConfig = {
  // @tasks/client ships compiled JavaScript; the Better Auth configuration is a TypeScript source package.
  transpilePackages: ["@tasks/better-auth-config"],
  // PGlite loads its WebAssembly next to its own module, so it stays a Node import, not bundled.
  serverExternalPackages: ["@electric-sql/pglite"],
  // `pnpm typecheck` and `pnpm lint` check the app; the build only builds.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  outputFileTracingRoot: repoRoot,
  turbopack: { root: repoRoot },
};

export default config;
