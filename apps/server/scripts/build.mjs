/* global process, URL */
// `pnpm --filter @tasks/server build`: bundles the server and the migration command
// into dist/, one ES module each with every dependency inside, so that production
// runs `node dist/main.mjs` with no node_modules and no TypeScript loader. tsx kept
// ~130 MB of loader state resident beside the server (docs/benchmarks.md).
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { nativeSpread } from "./native-spread.mjs";

const serverRoot = fileURLToPath(new URL("..", import.meta.url));
const dist = join(serverRoot, "dist");
/** PGlite loads these next to its own module (`new URL("./pglite.wasm", import.meta.url)`). */
const PGLITE_ASSETS = ["pglite.wasm", "pglite.data", "initdb.wasm"];
/** The extensions the migrations create (packages/db/src/drivers/pglite-instance.ts). */
const PGLITE_EXTENSIONS = ["pg_trgm"];

/**
 * PGlite's contrib modules find their bundle one folder up from themselves
 * (`new URL("../pg_trgm.tar.gz", import.meta.url)`, from dist/contrib/): inside
 * one bundled file that would be the folder above dist/, so they are pointed at
 * dist/, where the bundles are copied.
 */
const pgliteExtensionsBesideBundle = {
  name: "pglite-extensions-beside-bundle",
  setup(builder) {
    builder.onLoad(
      { filter: /[\\/]pglite[\\/]dist[\\/]contrib[\\/][^\\/]+\.js$/ },
      async (args) => {
        const source = await readFile(args.path, "utf8");
        const rewritten = source.replaceAll('new URL("../', 'new URL("./');
        if (rewritten === source) throw new Error(`${args.path}: no bundle URL to rewrite`);
        return { contents: rewritten, loader: "js" };
      },
    );
  },
};

function pgliteDist() {
  const fromDb = createRequire(fileURLToPath(import.meta.resolve("@tasks/db")));
  return dirname(fromDb.resolve("@electric-sql/pglite"));
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist);
await build({
  absWorkingDir: serverRoot,
  entryPoints: {
    main: "src/main.ts",
    migrate: fileURLToPath(import.meta.resolve("@tasks/db/cli/migrate")),
  },
  outdir: dist,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20.19",
  sourcemap: "linked",
  // Whitespace and comments out: V8 keeps each module's source text in memory, and
  // a single non-Latin-1 character in a comment doubled it (two-byte string).
  // Identifiers are not minified, so functions and classes keep their names for
  // stack traces and error names without `keepNames`, which re-labels every
  // closure each time one is created (a defineProperty per closure per request).
  minifyWhitespace: true,
  minifySyntax: true,
  // Dependencies written as CommonJS call `require`; an ES module has none.
  banner: {
    js: "import { createRequire as $createRequire } from 'node:module'; const require = $createRequire(import.meta.url);",
  },
  plugins: [
    pgliteExtensionsBesideBundle,
    ...(process.env.TRPC_NATIVE_SPREAD === "false" ? [] : [nativeSpread]),
  ],
  logLevel: "warning",
});
const assets = [...PGLITE_ASSETS, ...PGLITE_EXTENSIONS.map((name) => `${name}.tar.gz`)];
for (const asset of assets) copyFileSync(join(pgliteDist(), asset), join(dist, asset));
process.stdout.write(`build: ${dist} (node dist/main.mjs, node dist/migrate.mjs)\n`);
