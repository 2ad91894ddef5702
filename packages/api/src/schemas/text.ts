import { z } from "zod";

const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

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

/**
 * Whether `text` has at most `max` user-perceived characters. A grapheme holds at
 * least one UTF-16 unit, so a text no longer than `max` units needs no segmenting
 * (nearly every title): segmenting cost microseconds on every create.
 */
export function fitsLength(text: string, max: number): boolean {
  return text.length <= max || userPerceivedLength(text) <= max;
}

/** A string of at most `max` user-perceived characters. */
export function boundedText(field: string, max: number) {
  return z
    .string({ message: `${field} must be a string.` })
    .refine((text) => fitsLength(text, max), {
      message: `${field} must be at most ${max} characters.`,
      abort: true,
    });
}
