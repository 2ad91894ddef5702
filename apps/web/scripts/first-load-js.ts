// Prints the JavaScript a first visit to each app route loads, after `next build` (see docs/web.md "Size").
// Where Next prerendered a route's HTML, its <script> tags must list the same files, or this fails.
import { existsSync, readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import {
  formatTable,
  htmlScripts,
  routeScripts,
  sharedScripts,
  sizeOf,
  type BuildManifest,
  type ClientReferenceManifest,
} from "./first-load";

const dotNext = new URL("../.next/", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, dotNext), "utf8");

/** A client reference manifest is a script that fills `globalThis.__RSC_MANIFEST[page]`. */
function clientManifest(page: string): ClientReferenceManifest {
  const context: { __RSC_MANIFEST?: Record<string, ClientReferenceManifest> } = {};
  runInNewContext(read(`server/app${page}_client-reference-manifest.js`), context);
  const manifest = context.__RSC_MANIFEST?.[page];
  if (manifest === undefined) throw new Error(`no client reference manifest for ${page}`);
  return manifest;
}

/** App routes that render a page, as `next build` lists them (API and metadata routes are not pages). */
function pageRoutes(): [page: string, route: string][] {
  const routes: Record<string, string> = JSON.parse(read("app-path-routes-manifest.json"));
  return Object.entries(routes)
    .filter(([page]) => page.endsWith("/page") && page !== "/_global-error/page")
    .sort(([, a], [, b]) => a.localeCompare(b));
}

function checkPrerendered(route: string, scripts: string[]): string | undefined {
  const html = new URL(`server/app${route === "/" ? "/index" : route}.html`, dotNext);
  if (!existsSync(html)) return undefined;
  const listed = htmlScripts(readFileSync(html, "utf8"));
  if (listed.length !== scripts.length || !listed.every((script) => scripts.includes(script))) {
    throw new Error(
      `${route}: the prerendered HTML loads ${listed.join(", ")}; the manifests say ${scripts.join(", ")}`,
    );
  }
  return route;
}

const build: BuildManifest = JSON.parse(read("build-manifest.json"));
const routes = pageRoutes().map(([page, route]) => ({
  route,
  scripts: routeScripts(build, clientManifest(page)),
}));
const measure = (scripts: string[]) =>
  sizeOf(scripts.map((script) => readFileSync(new URL(script, dotNext))));
const shared = sharedScripts(routes.map((route) => route.scripts));
const checked = routes.flatMap(({ route, scripts }) => checkPrerendered(route, scripts) ?? []);

process.stdout.write(
  [
    "First-load JS per route (gzip: node:zlib default level, each file on its own; kB = 1000 bytes)",
    formatTable([
      ...routes.map(({ route, scripts }) => ({ route, ...measure(scripts) })),
      { route: "shared by all", ...measure(shared) },
    ]),
    `Checked against the prerendered HTML: ${checked.join(", ") || "none"}`,
    "",
  ].join("\n"),
);
