import { describe, expect, it } from "vitest";
import {
  formatTable,
  htmlScripts,
  routeScripts,
  sharedScripts,
  sizeOf,
} from "../scripts/first-load";

describe("first-load JS", () => {
  it("takes Next's runtime and the chunks of the page's layouts and page, each once", () => {
    const build = { rootMainFiles: ["static/chunks/runtime.js", "static/chunks/turbopack.js"] };
    const client = {
      entryJSFiles: {
        "[project]/src/app/layout": ["static/chunks/layout.js"],
        "[project]/src/app/page": ["static/chunks/layout.js", "static/chunks/page.js"],
      },
    };
    expect(routeScripts(build, client)).toEqual([
      "static/chunks/runtime.js",
      "static/chunks/turbopack.js",
      "static/chunks/layout.js",
      "static/chunks/page.js",
    ]);
  });

  it("reads the scripts HTML loads, leaving out nomodule polyfills and inline scripts", () => {
    const html =
      '<script src="/_next/static/chunks/a.js" async=""></script>' +
      '<script src="/_next/static/chunks/polyfill.js" noModule=""></script>' +
      '<script id="_R_">self.__next_r="x"</script>' +
      '<SCRIPT async src="/_next/static/chunks/b.js"></SCRIPT>';
    expect(htmlScripts(html)).toEqual(["static/chunks/a.js", "static/chunks/b.js"]);
  });

  it("sums raw bytes and each file's own gzip bytes", () => {
    const [a, b] = [
      new TextEncoder().encode("a".repeat(5000)),
      new TextEncoder().encode("console.log(1)"),
    ];
    const size = sizeOf([a, b]);
    expect(size).toMatchObject({ scripts: 2, raw: 5014 });
    expect(size.gzip).toBeLessThan(size.raw);
    expect(size.gzip).toBe(sizeOf([a]).gzip + sizeOf([b]).gzip);
  });

  it("shares only the scripts every route loads", () => {
    expect(
      sharedScripts([
        ["a", "b", "c"],
        ["c", "a"],
        ["a", "c", "d"],
      ]),
    ).toEqual(["a", "c"]);
    expect(sharedScripts([])).toEqual([]);
  });

  it("prints one aligned row per route in kB", () => {
    expect(
      formatTable([{ route: "/", scripts: 6, raw: 590_712, gzip: 177_480 }]).split("\n"),
    ).toEqual(["Route  Scripts       Raw      Gzip", "/            6  590.7 kB  177.5 kB"]);
  });
});
