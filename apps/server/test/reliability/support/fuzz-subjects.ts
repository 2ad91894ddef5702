import fc from "fast-check";
import { isWellFormed, unicodeText } from "./fuzz-text.ts";

/**
 * `sub` claims. API.md: a `sub` that is not a non-empty string of well-formed
 * Unicode without U+0000, at most 255 characters, is an invalid token (401).
 */
const loneSurrogate = fc
  .oneof(fc.integer({ min: 0xd800, max: 0xdbff }), fc.integer({ min: 0xdc00, max: 0xdfff }))
  .map((code) => String.fromCharCode(code));

/** Claims every verifier must refuse, signed by the trusted issuer all the same. */
export const hostileSub: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom("", "\u0000", "user\u0000", "\u0000user"),
  fc
    .tuple(fc.string({ maxLength: 8 }), loneSurrogate, fc.string({ maxLength: 8 }))
    .map(([before, unit, after]) => `${before}${unit}${after}`),
  fc
    .tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }))
    .map(([a, b]) => `${a}\u0000${b}`),
  fc.integer({ min: 256, max: 2000 }).map((length) => "s".repeat(length)),
  fc.integer({ min: 256, max: 600 }).map((length) => "\u4e00".repeat(length)),
  fc.constantFrom(0, 12, -1, 1.5, 1e21, null, true, false, [], ["a"], {}, { id: "a" }),
);

/** Non-empty, well-formed, no U+0000, short: a subject every verifier must accept. */
export const plainSub: fc.Arbitrary<string> = fc
  .oneof(fc.string({ minLength: 1, maxLength: 40 }), unicodeText)
  .filter(
    (sub) =>
      sub.length > 0 &&
      [...sub].length <= 64 &&
      isWellFormed(sub) &&
      !sub.includes("\u0000") &&
      !sub.startsWith("\ufeff"),
  );

/**
 * Two different subjects that a lossy step (U+FFFD for a bad unit, trimming, case
 * or Unicode normalisation, a length cut) would merge into one user.
 */
export const lookalikeSubs: fc.Arbitrary<[string, string]> = fc
  .oneof(
    plainSub.chain((sub) =>
      fc.constantFrom<[string, string]>(
        [sub, `${sub} `],
        [sub, ` ${sub}`],
        [sub, sub.toUpperCase() === sub ? sub.toLowerCase() : sub.toUpperCase()],
        [sub, sub.normalize("NFD")],
        [sub, sub.normalize("NFKC")],
        [sub, `${sub}\ufffd`],
        [sub, `${sub}\u200b`],
        [sub.padEnd(255, "x"), `${sub.padEnd(255, "x").slice(0, 254)}y`],
      ),
    ),
    fc.tuple(plainSub, plainSub),
    fc.constant<[string, string]>(["x\ufffd", "x\ufffd\ufffd"]),
  )
  .filter(
    ([a, b]) =>
      a !== b &&
      [a, b].every(
        (sub) =>
          sub.length > 0 && sub.length <= 255 && isWellFormed(sub) && !sub.startsWith("\ufeff"),
      ),
  );
