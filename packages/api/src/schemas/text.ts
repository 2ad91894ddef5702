import { z } from "zod";

const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

/** Code points allowed per user-perceived character: one task stays a few kilobytes. */
export const CODE_POINTS_PER_CHARACTER = 4;

/**
 * Length as a person counts it: one per user-perceived character (grapheme
 * cluster), so "👍🏽" and "é" written with a combining accent each count as one.
 */
export function userPerceivedLength(text: string): number {
  // Every grapheme holds at least one UTF-16 unit: short strings need no segmenting.
  if (text.length <= 1) return text.length;
  let count = 0;
  const segments = graphemes.segment(text)[Symbol.iterator]();
  while (!segments.next().done) count += 1;
  return count;
}

/** UTF-16 units minus the second unit of each surrogate pair. */
function codePointCount(text: string): number {
  let count = text.length;
  for (let index = 0; index < text.length - 1; index += 1) {
    const unit = text.charCodeAt(index);
    const next = text.charCodeAt(index + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      count -= 1;
      index += 1;
    }
  }
  return count;
}

/**
 * Whether `text` has at most `max` user-perceived characters and at most
 * CODE_POINTS_PER_CHARACTER × `max` code points. A grapheme holds at least one
 * UTF-16 unit, so a text no longer than `max` units needs no counting at all
 * (nearly every title).
 */
export function fitsLength(text: string, max: number): boolean {
  if (text.length <= max) return true;
  return (
    codePointCount(text) <= max * CODE_POINTS_PER_CHARACTER && userPerceivedLength(text) <= max
  );
}

/** In a `u` regex a surrogate pair is one code point, so `\p{Cs}` matches only unpaired ones. */
const UNPAIRED_SURROGATE = /\p{Cs}/u;

/**
 * A text may not begin with U+FEFF: the embedded database's driver decodes every
 * value with a TextDecoder that drops a leading byte order mark, so it would not
 * come back as sent. (Titles and searches are trimmed, which removes it first.)
 */
const BYTE_ORDER_MARK = "\ufeff";

/**
 * Whether `text` is stored exactly as sent: PostgreSQL refuses U+0000 in text, and
 * an unpaired surrogate has no UTF-8 form (drivers would store U+FFFD instead).
 */
export function isStorableText(text: string): boolean {
  return (
    !text.includes("\u0000") && !UNPAIRED_SURROGATE.test(text) && !text.startsWith(BYTE_ORDER_MARK)
  );
}

/** The rule every client text obeys before any other (title, description, q). */
export function storableText(field: string) {
  return z.string({ message: `${field} must be a string.` }).refine(isStorableText, {
    message: `${field} must be well-formed Unicode without U+0000, not beginning with U+FEFF.`,
    abort: true,
  });
}

/**
 * What JSON Schema can state of `fitsLength(text, max)`: its maxLength counts code
 * points, so it carries the code-point cap and the description the rest.
 */
export function textLengthMeta(max: number) {
  const codePoints = max * CODE_POINTS_PER_CHARACTER;
  return {
    maxLength: codePoints,
    description:
      `At most ${max} user-perceived characters (grapheme clusters) and at most ` +
      `${codePoints} code points (${CODE_POINTS_PER_CHARACTER} per character); maxLength counts code points.`,
  };
}

/** A string of at most `max` user-perceived characters, stored exactly as sent. */
export function boundedText(field: string, max: number) {
  return storableText(field)
    .refine((text) => fitsLength(text, max), {
      message: `${field} must be at most ${max} characters.`,
      abort: true,
    })
    .meta(textLengthMeta(max));
}
