// Every PGlite that holds the tasks database, whatever opens it (the server, the
// migration tools, the test template), loads the extensions the migrations create
// (pg_trgm, for the search indexes). PGlite ships each as a separate bundle.
import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

export const PGLITE_EXTENSIONS = { pg_trgm };

/** A PGlite on a folder or `memory://`, with the tasks database's extensions. */
export function createPglite(
  dataDir: string,
  options: Omit<PGliteOptions, "extensions"> = {},
): Promise<PGlite> {
  return PGlite.create(dataDir, { ...options, extensions: PGLITE_EXTENSIONS });
}
