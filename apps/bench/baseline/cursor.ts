// The opaque page cursor: base64url of `[sortValue, id]`, the keyset of the last
// row of a page. Decoding never throws: a cursor that is not one of ours is null.
export interface Cursor {
  /** The sort column's value of the last row: an ISO timestamp or a title. */
  readonly value: string;
  readonly id: string;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(text: string): boolean {
  return UUID_PATTERN.test(text);
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.value, cursor.id])).toString("base64url");
}

export function decodeCursor(text: string): Cursor | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return null;
  const [value, id] = parsed as unknown[];
  if (typeof value !== "string" || typeof id !== "string" || !isUuid(id)) return null;
  return { value, id };
}
