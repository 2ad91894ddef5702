// Conditional requests (RFC 9110 §13) and idempotency keys on the REST routes:
// the request headers each kind of route reads, and what they mean.
import { idempotencyKeySchema, VERSION_MAX, type Task } from "@tasks/api";
import { maxHeaderSize } from "node:http";
import { z } from "zod";

/** A task's entity tag: its version, quoted (a strong tag). */
export function etagOf(task: Pick<Task, "version">): string {
  return `"${task.version}"`;
}

/** `*`, or the entity tags of an If-Match / If-None-Match list (RFC 9110 §8.8.3). */
type EntityTags = "any" | { tag: string; weak: boolean }[];

const ENTITY_TAG = /\s*(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"\s*(?:,|$)/gy;

function parseEntityTags(header: string): EntityTags {
  if (header.trim() === "*") return "any";
  const tags: { tag: string; weak: boolean }[] = [];
  ENTITY_TAG.lastIndex = 0;
  let match: RegExpExecArray | null;
  while (ENTITY_TAG.lastIndex < header.length && (match = ENTITY_TAG.exec(header))) {
    tags.push({ weak: match[1] !== undefined, tag: match[2] ?? "" });
  }
  return tags;
}

function versionOf(tag: string): number | undefined {
  if (!/^[1-9][0-9]{0,9}$/.test(tag)) return undefined;
  const version = Number(tag);
  return version <= VERSION_MAX ? version : undefined;
}

/**
 * What an If-Match header asks of a write: nothing (absent or `*`: any existing
 * task), or one of these versions. Weak or malformed tags never match (If-Match
 * compares strongly), so a list of them is an empty list: the write gets 412.
 */
export function expectedVersionsOf(header: string | undefined): number[] | "any" {
  if (header === undefined) return "any";
  const tags = parseEntityTags(header);
  if (tags === "any") return tags;
  return tags.flatMap(({ tag, weak }) => {
    const version = weak ? undefined : versionOf(tag);
    return version === undefined ? [] : [version];
  });
}

/** Whether If-None-Match holds the task's current tag (weak comparison) or `*`. */
export function isNotModified(header: string | undefined, task: Pick<Task, "version">): boolean {
  if (header === undefined) return false;
  const tags = parseEntityTags(header);
  return tags === "any" || tags.some(({ tag }) => tag === String(task.version));
}

/** What each request header means, for the OpenAPI document. */
export const REQUEST_HEADER_DESCRIPTIONS: Record<string, string> = {
  "if-none-match": 'The ETag you hold, e.g. "3": 304 without a body while the task is unchanged.',
  "if-match":
    'Apply only while the task still has this ETag, e.g. "3" (* for any existing task); otherwise 412 and nothing changes.',
  "idempotency-key":
    "1–255 printable ASCII chosen by the client: a retry with the same key and body within 24 hours gets the first response again (Idempotent-Replayed: true) and creates nothing.",
};

/** Request headers of the routes that read them, validated and documented with the route. */
/** An entity-tag list is as long as Node lets a request's headers be, no longer. */
const entityTagList = z.string().meta({ maxLength: maxHeaderSize });

export const requestHeaders = {
  read: z.looseObject({ "if-none-match": entityTagList.optional() }),
  write: z.looseObject({ "if-match": entityTagList.optional() }),
  create: z.looseObject({ "idempotency-key": idempotencyKeySchema.optional() }),
} as const;

export type RequestHeaderKind = keyof typeof requestHeaders;
