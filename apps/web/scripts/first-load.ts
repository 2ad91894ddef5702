// What a first visit to each app route loads, read from the manifests `next build` writes in
// .next/: Next.js 16 with Turbopack no longer prints a "First Load JS" column itself.
import { gzipSync } from "node:zlib";

/** The part of .next/build-manifest.json used here: Next's runtime, loaded by every app route. */
export interface BuildManifest {
  rootMainFiles: string[];
}

/** The part of a page's client reference manifest used here: the chunks of its layouts and page. */
export interface ClientReferenceManifest {
  entryJSFiles: Record<string, string[]>;
}

export interface Size {
  scripts: number;
  raw: number;
  gzip: number;
}

export interface RouteSize extends Size {
  route: string;
}

/** The scripts, as paths under .next/, a first visit to the page loads. */
export function routeScripts(build: BuildManifest, client: ClientReferenceManifest): string[] {
  return [...new Set([...build.rootMainFiles, ...Object.values(client.entryJSFiles).flat()])];
}

/** The scripts, as paths under .next/, the HTML loads; `nomodule` ones only run in browsers without ES modules. */
export function htmlScripts(html: string): string[] {
  const scripts: string[] = [];
  for (const [, attributes = ""] of html.matchAll(/<script\b([^>]*)>/gi)) {
    const src = /\bsrc="\/_next\/([^"]+)"/i.exec(attributes)?.[1];
    if (src !== undefined && !/\bnomodule\b/i.test(attributes)) scripts.push(src);
  }
  return scripts;
}

/** Raw and gzip bytes (zlib's default level, each file on its own, as a server sends them). */
export function sizeOf(contents: Uint8Array[]): Size {
  const sum = (sizes: number[]) => sizes.reduce((total, size) => total + size, 0);
  return {
    scripts: contents.length,
    raw: sum(contents.map((content) => content.byteLength)),
    gzip: sum(contents.map((content) => gzipSync(content).byteLength)),
  };
}

/** The scripts every route loads. */
export function sharedScripts(scriptsByRoute: string[][]): string[] {
  const [first = [], ...rest] = scriptsByRoute;
  return first.filter((script) => rest.every((scripts) => scripts.includes(script)));
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

export function formatTable(rows: RouteSize[]): string {
  const cells = [
    ["Route", "Scripts", "Raw", "Gzip"],
    ...rows.map((row) => [row.route, String(row.scripts), kB(row.raw), kB(row.gzip)]),
  ];
  const width = (column: number) => Math.max(...cells.map((row) => row[column]?.length ?? 0));
  // Names to the left, figures to the right.
  const pad = (cell: string, column: number) =>
    column === 0 ? cell.padEnd(width(column)) : cell.padStart(width(column));
  return cells.map((row) => row.map(pad).join("  ")).join("\n");
}
