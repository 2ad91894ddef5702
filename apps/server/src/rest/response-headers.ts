/** Headers API.md promises on some statuses, added to every documented response with that status. */
const HEADERS_BY_STATUS: Record<string, Record<string, { description: string; schema: object }>> = {
  "201": { Location: { description: "Path of the new task", schema: { type: "string" } } },
  "401": {
    "WWW-Authenticate": {
      description: 'Bearer, or Bearer error="invalid_token"',
      schema: { type: "string" },
    },
  },
  "429": {
    "Retry-After": { description: "Seconds until the budget refills", schema: { type: "integer" } },
  },
  "503": {
    "Retry-After": { description: "Seconds to wait before retrying", schema: { type: "integer" } },
  },
};

interface ResponseObject {
  headers?: Record<string, unknown>;
}

type Paths = Record<string, Record<string, { responses?: Record<string, ResponseObject> }>>;

/** Adds the status-bound headers to an OpenAPI document's responses (in place). */
export function documentResponseHeaders<T extends { paths?: unknown }>(document: T): T {
  for (const operations of Object.values((document.paths ?? {}) as Paths)) {
    for (const operation of Object.values(operations)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const headers = HEADERS_BY_STATUS[status];
        if (headers) response.headers = { ...response.headers, ...headers };
      }
    }
  }
  return document;
}
