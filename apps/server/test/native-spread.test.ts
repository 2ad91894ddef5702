import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { ACCESSOR_SYNTAX, NATIVE_HELPER, REPLACED_HELPER } from "../scripts/native-spread.mjs";

type Spread = (target: object, ...sources: unknown[]) => object;

/** tRPC's published modules, as installed. */
function trpcModules(): Array<{ path: string; source: string }> {
  const dist = join(dirname(createRequire(import.meta.url).resolve("@trpc/server")), "..", "dist");
  return readdirSync(dist, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".mjs"))
    .map((name) => ({ path: name, source: readFileSync(join(dist, name), "utf8") }));
}

/** tRPC's module that defines the helper. */
function trpcHelperModule(): string {
  const sources = trpcModules()
    .map((module) => module.source)
    .filter((source) => source.includes("function _objectSpread2("));
  expect(sources).toHaveLength(1);
  return sources[0] as string;
}

/** The helper and the ones it calls (typeof … ownKeys), from that module, as one function. */
function helperFrom(module: string, helper: string): Spread {
  const start = module.indexOf("function _typeof(");
  const end = module.indexOf(REPLACED_HELPER) + REPLACED_HELPER.length;
  expect(start).toBeGreaterThanOrEqual(0);
  const block = module.slice(start, end).replace(REPLACED_HELPER, helper);
  return new Function(`${block}\nreturn _objectSpread2;`)() as Spread;
}

/** Everything observable about a result: prototype, keys in order, every descriptor. */
function observed(value: object) {
  return {
    prototype: Object.getPrototypeOf(value) as unknown,
    keys: Reflect.ownKeys(value),
    descriptors: Object.getOwnPropertyDescriptors(value),
  };
}

const symbol = Symbol("visible");
const hidden = Symbol("hidden");
/** One function for every run: descriptors compare it by identity. */
const next = (): undefined => undefined;

/** Sources built fresh for each run, with a log of the getters read, in order. */
function cases(reads: string[]): Array<[string, () => unknown[]]> {
  const withGetter = () => ({
    get lazy() {
      reads.push("lazy");
      return 1;
    },
    after: 2,
  });
  const withHidden = () => {
    const source: Record<PropertyKey, unknown> = { shown: 1, [symbol]: 2 };
    Object.defineProperty(source, "secret", { value: 3, enumerable: false });
    Object.defineProperty(source, hidden, { value: 4, enumerable: false });
    return source;
  };
  return [
    [
      "a call's options, as callRecursive spreads them",
      () => [{ ctx: { a: 1 }, input: 2 }, {}, { meta: undefined, next }],
    ],
    [
      "a context merge",
      () => [
        { db: 1, auth: 2, logger: 3 },
        { user: 4, tasks: 5 },
      ],
    ],
    ["a later source overriding an earlier key", () => [{ a: 1, b: 2 }, {}, { b: 3, c: 4 }]],
    ["null and undefined sources", () => [null, undefined, { a: 1 }]],
    ["primitive sources", () => ["ab", 7, true, { c: 1 }]],
    ["an array source", () => [[1, 2, 3]]],
    ["getters read once, in order", () => [withGetter(), {}, withGetter()]],
    ["symbols and non-enumerable keys", () => [withHidden()]],
    [
      "a literal chunk with a method, a symbol key and a computed __proto__ key",
      () => [{ a: 1 }, {}, { next, [symbol]: 2, ["__proto__"]: 3 }],
    ],
    ["integer-like keys and insertion order", () => [{ b: 1, 2: "two", a: 3, 1: "one" }]],
    [
      "an own __proto__ key, as JSON.parse makes it",
      () => [JSON.parse('{"__proto__": {"polluted": true}, "x": 1}')],
    ],
    [
      "an own __proto__ key after other sources",
      () => [{ a: 1 }, {}, JSON.parse('{"__proto__": 5}')],
    ],
    [
      "keys named like Object.prototype's",
      () => [{ toString: 1, hasOwnProperty: 2, constructor: 3 }],
    ],
    ["a null-prototype source", () => [Object.assign(Object.create(null), { a: 1 })]],
  ];
}

describe("the bundle's native _objectSpread2 (scripts/native-spread.mjs)", () => {
  const module = trpcHelperModule();
  const original = helperFrom(module, REPLACED_HELPER);
  const native = helperFrom(module, NATIVE_HELPER);

  it("replaces the helper tRPC ships, exactly", () => {
    expect(module).toContain(REPLACED_HELPER);
  });

  for (const [name] of cases([])) {
    it(`gives what tRPC's helper gives: ${name}`, () => {
      const originalReads: string[] = [];
      const nativeReads: string[] = [];
      const build = (reads: string[]) =>
        (cases(reads).find(([candidate]) => candidate === name)?.[1] ?? (() => []))();
      const expected = original({}, ...build(originalReads));
      const actual = native({}, ...build(nativeReads));
      expect(observed(actual)).toEqual(observed(expected));
      expect(nativeReads).toEqual(originalReads);
    });
  }

  it("reads an even argument's getter as a value: the build refuses tRPC modules with accessor syntax", () => {
    const literal = {
      get lazy() {
        return 1;
      },
    };
    expect(Object.getOwnPropertyDescriptor(original({}, {}, literal), "lazy")?.get).toBeDefined();
    expect(Object.getOwnPropertyDescriptor(native({}, {}, literal), "lazy")?.value).toBe(1);
    for (const accessor of [
      "({ get lazy() {} })",
      "class A { set [key](v) {} }",
      "{ a,\n get b() {} }",
    ]) {
      expect(ACCESSOR_SYNTAX.test(accessor)).toBe(true);
    }
    for (const plain of ["({ getLazy() {} })", "map.get(key)", "({ get: 1, set })"]) {
      expect(ACCESSOR_SYNTAX.test(plain)).toBe(false);
    }
    const spreading = trpcModules().filter((module) => module.source.includes("_objectSpread2("));
    expect(spreading.length).toBeGreaterThan(1);
    expect(spreading.filter((module) => ACCESSOR_SYNTAX.test(module.source))).toEqual([]);
  });

  it("leaves Object.prototype alone where tRPC's helper does", () => {
    const source = JSON.parse('{"__proto__": {"polluted": true}}') as object;
    const result = native({}, source);
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("throws where tRPC's helper throws: a getter that fails", () => {
    const failing = {
      get broken(): never {
        throw new Error("getter failed");
      },
    };
    expect(() => original({}, failing)).toThrow("getter failed");
    expect(() => native({}, failing)).toThrow("getter failed");
  });
});
