// Prisma's schema engine compiled to WebAssembly: it generates migration SQL
// offline (the native engine cannot be downloaded here). Only the migration
// authoring CLI and tests load it; the server never does.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as engineBindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm/schema_engine_bg";

export type { SchemaEngine };

// The runtime has WebAssembly; the ES2023 lib without DOM does not declare it.
declare const WebAssembly: {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, object>,
  ): Promise<{ instance: { exports: { __wbindgen_start(): void } } }>;
};

let instantiated: Promise<void> | undefined;

/**
 * The package's own entry imports the `.wasm` file as an ES module, which Node 20
 * only allows behind --experimental-wasm-modules; instantiating it by hand
 * against the generated JS bindings needs no flag.
 */
function instantiateEngine(): Promise<void> {
  instantiated ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasmPath = require
      .resolve("@prisma/schema-engine-wasm/schema_engine_bg")
      .replace(/\.js$/, ".wasm");
    const imports = { "./schema_engine_bg.js": engineBindings };
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), imports);
    engineBindings.__wbg_set_wasm(instance.exports);
    instance.exports.__wbindgen_start();
  })();
  return instantiated;
}

export interface SchemaFile {
  path: string;
  content: string;
}

export async function openSchemaEngine(
  schema: SchemaFile,
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
): Promise<SchemaEngine> {
  await instantiateEngine();
  const ignoreLog = (): void => undefined;
  return engineBindings.SchemaEngine.new(
    { datamodels: [[schema.path, schema.content]] },
    ignoreLog,
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
}
