import { looseUtf8 } from "./fuzz-text.ts";

/** What the checks read of a response. */
export interface FuzzResponse {
  status: number;
  headers: Headers;
  text: string;
}

export interface WireRequest {
  method: string;
  /** Path and query string, already percent-encoded. */
  path: string;
  headers: Record<string, string>;
  /** Sent as its loose UTF-8 bytes (an unpaired surrogate stays one), or as the given bytes. */
  body: string | Buffer | undefined;
}

/**
 * One request over HTTP; a byte body, so that fetch adds no Content-Type of its own.
 * A connection the server cut is status 0 (never thrown: the other requests of a
 * run would still be in flight when the next run starts).
 */
export async function send(url: string, request: WireRequest): Promise<FuzzResponse> {
  const body = typeof request.body === "string" ? looseUtf8(request.body) : request.body;
  try {
    const response = await fetch(`${url}${request.path}`, {
      method: request.method,
      headers: request.headers,
      body,
      redirect: "manual",
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  } catch (error) {
    return { status: 0, headers: new Headers(), text: String((error as Error).cause ?? error) };
  }
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
