// tRPC's published build compiles each object spread to oxc's `_objectSpread2`
// helper, which copies every property through `Object.defineProperty`. tRPC spreads
// its call options and context several times per procedure call (callRecursive in
// procedureBuilder), and in CPU profiles of the server that helper was its largest
// single cost (docs/benchmarks.md). This plugin swaps the helper, in the bundle only,
// for one that copies through `Object.assign`.
//
// Fenced: @trpc/server is pinned to one release (pnpm-workspace.yaml); the build
// fails unless it finds exactly the helper written below as `REPLACED_HELPER`, and
// fails if a tRPC module that spreads has accessor syntax (see NATIVE_HELPER);
// test/native-spread.test.ts compares the two helpers; TRPC_NATIVE_SPREAD=false at
// build time bundles tRPC untouched.
import { readFile } from "node:fs/promises";

/** The helper as tRPC 11.22.1 ships it (dist/getErrorShape-*.mjs). */
export const REPLACED_HELPER = `function _objectSpread2(e) {
	for (var r = 1; r < arguments.length; r++) {
		var t = null != arguments[r] ? arguments[r] : {};
		r % 2 ? ownKeys(Object(t), !0).forEach(function(r) {
			_defineProperty(e, r, t[r]);
		}) : Object.getOwnPropertyDescriptors ? Object.defineProperties(e, Object.getOwnPropertyDescriptors(t)) : ownKeys(Object(t)).forEach(function(r) {
			Object.defineProperty(e, r, Object.getOwnPropertyDescriptor(t, r));
		});
	}
	return e;
}`;

/**
 * The same copy. oxc passes the spread sources at odd positions and the object
 * literals written between them at even ones (`{ ...a, b }` is
 * `_objectSpread2(_objectSpread2({}, a), {}, { b })`), which it copies with their
 * descriptors so that a literal's getter stays a getter. A literal's properties are
 * plain data unless it uses accessor syntax, and the build refuses tRPC modules that
 * do (`ACCESSOR_SYNTAX`): so `Object.assign` copies both kinds alike. Copying the
 * descriptors made the target a slow object on every call. Only a source with an
 * own `__proto__` key takes the defining path, since assigning that key would set
 * the target's prototype.
 */
export const NATIVE_HELPER = `function _objectSpread2(e) {
	for (var r = 1; r < arguments.length; r++) {
		var t = null != arguments[r] ? arguments[r] : {};
		if (!Object.hasOwn(t, "__proto__")) Object.assign(e, t);
		else if (r % 2) ownKeys(Object(t), !0).forEach(function(r) {
			_defineProperty(e, r, t[r]);
		});
		else Object.defineProperties(e, Object.getOwnPropertyDescriptors(t));
	}
	return e;
}`;

/**
 * A getter or setter written in an object literal or class (`get name(`, `set [key](`),
 * at the start of a member. It may also match such words in a string or comment: the
 * build then fails, which is the safe side.
 */
export const ACCESSOR_SYNTAX =
  /(?:^|[{,;])\s*(?:static\s+)?(?:get|set)\s+(?:[A-Za-z_$#][\w$]*|\[|"|')/m;

const TRPC_DIST_MODULE = /[\\/]@trpc[\\/]server[\\/]dist[\\/].+\.mjs$/;

/** The esbuild plugin; the build fails if no module of tRPC's had the helper. */
export const nativeSpread = {
  name: "trpc-native-spread",
  setup(builder) {
    let replaced = 0;
    builder.onStart(() => {
      replaced = 0;
    });
    builder.onLoad({ filter: TRPC_DIST_MODULE }, async (args) => {
      const source = await readFile(args.path, "utf8");
      if (source.includes("_objectSpread2(") && ACCESSOR_SYNTAX.test(source)) {
        throw new Error(
          `${args.path}: a module that spreads has accessor syntax, which the native _objectSpread2 would read as values`,
        );
      }
      if (!source.includes("function _objectSpread2(")) return undefined;
      if (!source.includes(REPLACED_HELPER)) {
        throw new Error(
          `${args.path}: _objectSpread2 is not the helper native-spread.mjs replaces`,
        );
      }
      replaced += 1;
      return { contents: source.replace(REPLACED_HELPER, NATIVE_HELPER), loader: "js" };
    });
    builder.onEnd((result) => {
      if (result.errors.length === 0 && replaced === 0) {
        throw new Error("native-spread.mjs: no module of @trpc/server defines _objectSpread2");
      }
    });
  },
};
