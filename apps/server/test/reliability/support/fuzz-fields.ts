import fc from "fast-check";
import type { WireRequest } from "./fuzz-http.ts";
import {
  isValidQuery,
  isWellFormed,
  queryString,
  rawJsonString,
  storedDescription,
  storedTitle,
  unicodeText,
} from "./fuzz-text.ts";

/**
 * One text sent in one field, on one surface: a case whose outcome API.md fixes
 * exactly (stored as sent after trimming, or a 422 naming the field).
 */
export interface TextCase {
  surface: "rest" | "trpc";
  field: "createTitle" | "createDescription" | "updateTitle" | "updateDescription" | "listQ";
  text: string;
  /**
   * `escaped`: JSON escapes (`\ud800`) or percent-encoded UTF-8, so the server reads
   * exactly `text`. `raw`: the loose UTF-8 bytes, invalid wherever `text` holds an
   * unpaired surrogate (the server must refuse those bytes, not store U+FFFD).
   */
  encoding: "escaped" | "raw";
}

export const textCase: fc.Arbitrary<TextCase> = fc.record({
  surface: fc.constantFrom("rest", "trpc"),
  field: fc.constantFrom(
    "createTitle",
    "createDescription",
    "updateTitle",
    "updateDescription",
    "listQ",
  ),
  text: unicodeText,
  encoding: fc.constantFrom("escaped", "escaped", "raw"),
});

/** What the server must do with a text case. */
export type TextVerdict =
  | { outcome: "stored"; column: "title" | "description"; value: string | null }
  | { outcome: "listed" }
  | { outcome: "refused"; statuses: readonly number[]; path: string };

export function verdictOf(fuzz: TextCase): TextVerdict {
  const urlText = fuzz.surface === "rest" && fuzz.field === "listQ";
  if ((fuzz.encoding === "raw" || urlText) && !isWellFormed(fuzz.text)) {
    // Invalid UTF-8 on the wire (a URL has no escape for a lone surrogate): malformed
    // JSON or URL (400), or at worst the 422 the text itself deserves.
    return { outcome: "refused", statuses: [400, 422], path: "" };
  }
  switch (fuzz.field) {
    case "createTitle":
    case "updateTitle": {
      const value = storedTitle(fuzz.text);
      return value === undefined
        ? { outcome: "refused", statuses: [422], path: "title" }
        : { outcome: "stored", column: "title", value };
    }
    case "createDescription":
    case "updateDescription": {
      const value = storedDescription(fuzz.text);
      return value === undefined
        ? { outcome: "refused", statuses: [422], path: "description" }
        : { outcome: "stored", column: "description", value };
    }
    case "listQ":
      return isValidQuery(fuzz.text)
        ? { outcome: "listed" }
        : { outcome: "refused", statuses: [422], path: "q" };
  }
}

function jsonObject(fields: Record<string, string>, raw: boolean): string {
  if (!raw) return JSON.stringify(fields);
  const members = Object.entries(fields).map(([key, value]) => `"${key}":${rawJsonString(value)}`);
  return `{${members.join(",")}}`;
}

/** The HTTP request of a text case; `taskId` is the task an update changes. */
export function textRequest(fuzz: TextCase, token: string, taskId: string): WireRequest {
  const raw = fuzz.encoding === "raw";
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const { text } = fuzz;
  switch (fuzz.field) {
    case "createTitle":
    case "createDescription": {
      const fields: Record<string, string> =
        fuzz.field === "createTitle" ? { title: text } : { title: "t", description: text };
      const body = jsonObject(fields, raw);
      return fuzz.surface === "rest"
        ? { method: "POST", path: "/api/v1/tasks", headers, body }
        : { method: "POST", path: "/trpc/tasks.create", headers, body };
    }
    case "updateTitle":
    case "updateDescription": {
      const fields: Record<string, string> =
        fuzz.field === "updateTitle" ? { title: text } : { description: text };
      return fuzz.surface === "rest"
        ? {
            method: "PATCH",
            path: `/api/v1/tasks/${taskId}`,
            headers,
            body: jsonObject(fields, raw),
          }
        : {
            method: "POST",
            path: "/trpc/tasks.update",
            headers,
            body: jsonObject({ id: taskId, ...fields }, raw),
          };
    }
    case "listQ": {
      const get = {
        method: "GET",
        headers: { authorization: headers.authorization },
        body: undefined,
      };
      if (fuzz.surface === "rest")
        return { ...get, path: `/api/v1/tasks?${queryString({ q: text })}` };
      return {
        ...get,
        path: `/trpc/tasks.list?${queryString({ input: jsonObject({ q: text }, raw) })}`,
      };
    }
  }
}
