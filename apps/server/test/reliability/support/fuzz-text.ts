import fc from "fast-check";

/**
 * Text from the whole of Unicode, as a hostile client sends it, and API.md's text
 * rules written from the contract (not imported from the server), to judge answers.
 */

const fromCode = (code: number) => String.fromCodePoint(code);
const between = (min: number, max: number) => fc.integer({ min, max }).map(fromCode);

const COMBINING_ACUTE = "\u0301";
const FAMILY = "👨‍👩‍👧‍👦"; // seven code points joined by ZWJ, one character
const RAINBOW_FLAG = "🏳️‍🌈"; // four code points, one character

/** One unit of hostile text: every class of code point a client can put in a JSON string. */
const hostileUnit = fc.oneof(
  fc.constantFrom("\u0000", "\u0001", "\u001f", "\u007f", "\u0085", "\u009f"),
  between(0xd800, 0xdbff), // lone high surrogate
  between(0xdc00, 0xdfff), // lone low surrogate
  fc.constantFrom("\udc00\ud800", "\udbff\udfff", "\ud83d\ude00"), // swapped, last and a real pair
  fc.constantFrom("\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067"),
  fc.constantFrom("\u2068", "\u2069", "\u200e", "\u200f", "\u061c", "\u200b", "\u200d"),
  fc.constantFrom(FAMILY, RAINBOW_FLAG, "👍🏽", "🇫🇷", "e\u0301", "\u1100\u1161\u11a8"),
  fc.constantFrom("\u00a0", "\u2028", "\u2029", "\u3000", "\ufeff", "\t", "\n", "\r", " "),
  fc.constantFrom("\ufffd", "\ufffe", "\uffff", "\ufdd0", "\u{10ffff}", "\u{e0001}"),
  between(0x4e00, 0x9fff), // CJK
  between(0x20000, 0x2a6df), // CJK extension B (astral)
  between(0x1d400, 0x1d7ff), // mathematical alphanumerics (astral)
  between(0x0300, 0x036f), // a combining mark on its own
  fc.constantFrom("%", "_", "\\", '"', "'", "<", "&", "a", "Z", "0"),
  fc.string({ unit: "binary", minLength: 1, maxLength: 3 }),
);

/** One letter and a long run of combining marks: one character of thousands of code points. */
const combiningRun = fc
  .tuple(
    fc.constantFrom("a", "Z", "\u4e00", "😀"),
    fc.oneof(
      fc.constantFrom(3, 4, 5, 799, 800, 801, 3999, 4001),
      fc.integer({ min: 1, max: 6000 }),
    ),
  )
  .map(([letter, marks]) => letter + COMBINING_ACUTE.repeat(marks));

/** Units whose repetition walks each limit in characters and in code points. */
const repeatedUnit = fc.constantFrom(
  "a",
  "\u4e00",
  "\u{20000}",
  "👍🏽",
  "e\u0301\u0302\u0303", // four code points, one character
  "e\u0301\u0302\u0303\u0304", // five: over the per-character cap in a long run
  FAMILY,
  "\u001f", // written as \u001f in JSON: the longest escape
);
/** A run of `unit` just under, at and just over `limit` characters or `4 × limit` code points. */
export function nearLimit(limits: readonly number[]): fc.Arbitrary<string> {
  return fc
    .tuple(repeatedUnit, fc.constantFrom(...limits), fc.integer({ min: -2, max: 2 }))
    .map(([unit, limit, delta]) => {
      const codePointsPerUnit = [...unit].length;
      const byCharacters = limit + delta;
      const byCodePoints = Math.floor((limit * 4) / codePointsPerUnit) + delta;
      return unit.repeat(Math.max(0, Math.min(byCharacters, byCodePoints)));
    });
}

/** Text of every kind: mixed hostile units (at the start, middle and end), runs near limits, combining runs. */
export const unicodeText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.array(hostileUnit, { maxLength: 8 }).map((units) => units.join("")) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.string({ maxLength: 6 }), hostileUnit, fc.string({ maxLength: 6 }))
      .map(([before, unit, after]) => `${before}${unit}${after}`),
  },
  { weight: 1, arbitrary: combiningRun },
  { weight: 2, arbitrary: nearLimit([200, 1000]) },
  {
    weight: 1,
    arbitrary: fc.tuple(nearLimit([200]), hostileUnit).map(([run, unit]) => `${unit}${run}${unit}`),
  },
);

const graphemes = new Intl.Segmenter("und", { granularity: "grapheme" });

export function characterCount(text: string): number {
  return [...graphemes.segment(text)].length;
}

export function codePointCount(text: string): number {
  return [...text].length;
}

/** No unpaired surrogate (a `u` regex reads a pair as one code point). */
export function isWellFormed(text: string): boolean {
  return !/\p{Cs}/u.test(text);
}

/**
 * API.md: well-formed Unicode without U+0000, at most `max` characters and 4 × `max`
 * code points; and not beginning with U+FEFF (the embedded database's decoder drops it).
 */
export function fitsText(text: string, max: number): boolean {
  return (
    isWellFormed(text) &&
    !text.includes("\u0000") &&
    !text.startsWith("\ufeff") &&
    codePointCount(text) <= 4 * max &&
    characterCount(text) <= max
  );
}

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 1000;
export const Q_MAX = 200;

/** The stored title for a sent one, or `undefined` when API.md refuses it. */
export function storedTitle(sent: unknown): string | undefined {
  if (typeof sent !== "string") return undefined;
  const trimmed = sent.trim();
  return trimmed !== "" && fitsText(trimmed, TITLE_MAX) ? trimmed : undefined;
}

/** The stored description (`null` for none or empty), or `undefined` when API.md refuses it. */
export function storedDescription(sent: unknown): string | null | undefined {
  if (sent === null || sent === "") return null;
  if (typeof sent !== "string") return undefined;
  return fitsText(sent, DESCRIPTION_MAX) ? sent : undefined;
}

export function isValidQuery(sent: string): boolean {
  return fitsText(sent.trim(), Q_MAX);
}

/**
 * UTF-8 bytes of a string, except that an unpaired surrogate is written as the
 * three bytes UTF-8 would give its code point (`ED A0 80` for U+D800): invalid
 * UTF-8, as a client that does not validate its text sends it.
 */
export function looseUtf8(text: string): Buffer {
  const bytes: number[] = [];
  for (let index = 0; index < text.length; index += 1) {
    let code = text.charCodeAt(index);
    const next = text.charCodeAt(index + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
      index += 1;
    }
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000)
      bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else
      bytes.push(
        0xf0 | (code >> 18),
        0x80 | ((code >> 12) & 0x3f),
        0x80 | ((code >> 6) & 0x3f),
        0x80 | (code & 0x3f),
      );
  }
  return Buffer.from(bytes);
}

/** Percent-encodes every byte outside the unreserved set; lone surrogates become invalid UTF-8. */
export function percentEncode(text: string): string {
  let encoded = "";
  for (const byte of looseUtf8(text)) {
    const char = String.fromCharCode(byte);
    encoded += /[A-Za-z0-9\-_.~]/.test(char)
      ? char
      : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return encoded;
}

/** A query string of `fields`, each value percent-encoded byte by byte (URLSearchParams would alter lone surrogates). */
export function queryString(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`)
    .join("&");
}

/** A JSON string literal with every character raw except those JSON must escape; lone surrogates stay raw. */
export function rawJsonString(text: string): string {
  let literal = "";
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (char === '"' || char === "\\") literal += `\\${char}`;
    else if (code < 0x20) literal += `\\u${code.toString(16).padStart(4, "0")}`;
    else literal += char;
  }
  return `"${literal}"`;
}
