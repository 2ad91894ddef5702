import { randomUUID } from "node:crypto";
import type { TestIssuer } from "@tasks/auth/testing";
import type { Database } from "@tasks/db";
import type { FuzzCase, Procedure } from "./fuzz-cases.ts";
import type { WireRequest } from "./fuzz-http.ts";
import { isWellFormed, looseUtf8, percentEncode, queryString } from "./fuzz-text.ts";
import { unsignedToken } from "./tokens.ts";

/** A concrete HTTP request made from a fuzz case, with what the checks need to judge it. */
export interface FuzzRequest extends WireRequest {
  body: string | undefined;
  /** The query string carries percent-encoding that is not UTF-8: never a success. */
  malformedUrl: boolean;
  /** The JSON object the server reads from the body, when it is one. */
  fields: Record<string, unknown> | undefined;
  surface: "rest" | "trpc";
  procedure: Procedure | undefined;
  /** The user the Authorization header authenticates, if it should. */
  userId: string | undefined;
  /** The task id the request names, when it names a well-formed one. */
  taskId: string | undefined;
}

interface AuthorizationVariant {
  header: string;
  userId: string | undefined;
}

/**
 * The state a fuzz case is resolved against: two users with tasks, their tokens,
 * Authorization headers of every kind, and cursors that really came from the API.
 */
export class FuzzWorld {
  ownIds: string[] = [];
  foreignIds: string[] = [];
  readonly cursors: string[] = [];

  private constructor(
    readonly own: { userId: string; token: string },
    readonly foreign: { userId: string; token: string },
    private readonly variants: AuthorizationVariant[],
    private readonly bodyLimit: number,
  ) {}

  static async create(issuer: TestIssuer, bodyLimit: number): Promise<FuzzWorld> {
    const ownId = `fuzz_own_${randomUUID()}`;
    const foreignId = `fuzz_foreign_${randomUUID()}`;
    const own = { userId: ownId, token: await issuer.sign({ sub: ownId }) };
    const foreign = { userId: foreignId, token: await issuer.sign({ sub: foreignId }) };
    const [head, payload] = own.token.split(".");
    const variants: AuthorizationVariant[] = [
      { header: `bearer ${own.token}`, userId: ownId },
      { header: `Bearer   ${own.token} `, userId: ownId },
      {
        header: `Bearer ${await issuer.sign({ sub: ownId }, { expiresIn: "-5m" })}`,
        userId: undefined,
      },
      {
        header: `Bearer ${await issuer.sign({ sub: ownId }, { notBefore: "10m" })}`,
        userId: undefined,
      },
      {
        header: `Bearer ${await issuer.sign({ sub: ownId }, { issuer: "https://evil.example" })}`,
        userId: undefined,
      },
      {
        header: `Bearer ${await issuer.sign({ sub: ownId }, { audience: "https://other.example" })}`,
        userId: undefined,
      },
      {
        header: `Bearer ${await issuer.sign({ sub: ownId }, { header: { kid: "unknown-kid" } })}`,
        userId: undefined,
      },
      { header: `Bearer ${await issuer.sign({ sub: "" })}`, userId: undefined },
      { header: `Bearer ${unsignedToken(ownId)}`, userId: undefined },
      { header: `Bearer ${head}.${payload}.${"A".repeat(86)}`, userId: undefined },
      { header: `Bearer ${head}.${payload}`, userId: undefined },
      { header: `Bearer ${own.token} ${own.token}`, userId: undefined },
      { header: `Basic ${Buffer.from("user:pass").toString("base64")}`, userId: undefined },
      { header: "Bearer", userId: undefined },
      { header: "Bearer not.a.jwt", userId: undefined },
      { header: `Bearer ${"x".repeat(9000)}`, userId: undefined },
      { header: `Token ${own.token}`, userId: undefined },
      { header: "   ", userId: undefined },
      { header: `Bearer\t${own.token}`, userId: ownId },
      { header: `Bearer ${own.token}\u00e9`, userId: undefined },
      { header: `Bearer ${own.token.slice(0, -2)}`, userId: undefined },
      { header: `Bearer ${own.token.replace(".", "..")}`, userId: undefined },
      { header: `Bearer ${Buffer.from(own.token).toString("base64")}`, userId: undefined },
      {
        header: `Bearer ${head}.${Buffer.from('{"sub":1}').toString("base64url")}.x`,
        userId: undefined,
      },
    ];
    return new FuzzWorld(own, foreign, variants, bodyLimit);
  }

  /** Keeps a few tasks of each user in the table, written directly (not through the API). */
  async replenish(db: Database): Promise<void> {
    this.ownIds = await this.topUp(db, this.own.userId, 6);
    this.foreignIds = await this.topUp(db, this.foreign.userId, 4);
  }

  private async topUp(db: Database, userId: string, minimum: number): Promise<string[]> {
    const existing = await db.prisma.task.findMany({ where: { userId }, select: { id: true } });
    for (let index = existing.length; index < minimum; index += 1) {
      const row = await db.prisma.task.create({ data: { userId, title: `seed ${index}` } });
      existing.push({ id: row.id });
    }
    return existing.map((row) => row.id);
  }

  resolve(fuzz: FuzzCase): FuzzRequest {
    const { target } = fuzz;
    const { header: authorization, userId } = this.authorization(fuzz);
    const headers: Record<string, string> = {};
    if (authorization !== undefined) headers.authorization = authorization;
    if (fuzz.requestId !== undefined) headers["x-request-id"] = headerBytes(fuzz.requestId);
    for (const [name, value] of Object.entries(fuzz.headers)) {
      if (value !== undefined) headers[name] = headerBytes(value);
    }
    const taskId = this.taskId(fuzz);
    const rawId = this.rawId(fuzz);
    const bodyText = this.bodyText(fuzz);
    if (bodyText !== undefined && fuzz.contentType !== "") {
      headers["content-type"] = fuzz.contentType ?? "application/json";
    }
    const common = { headers, userId, taskId, fields: undefined, malformedUrl: false };

    if (target.surface === "unknown") {
      const body = target.method === "GET" ? undefined : bodyText;
      // A path the router cannot decode is refused before tRPC, in API.md's { detail }.
      const surface = target.path.startsWith("/trpc/") && decodes(target.path) ? "trpc" : "rest";
      return {
        ...common,
        method: target.method,
        path: target.path,
        body,
        surface,
        procedure: undefined,
      };
    }
    if (target.surface === "rest") {
      const withId = !["list", "create"].includes(target.procedure);
      const path = `/api/v1/tasks${withId ? `/${percentEncode(rawId ?? "")}` : ""}${target.suffix}`;
      const tail = fuzz.queryTail === undefined ? [] : [`q=${fuzz.queryTail}`];
      const search = [queryString(this.queryOf(fuzz)), ...tail].filter(Boolean).join("&");
      const body = target.method === "GET" ? undefined : bodyText;
      const url = search ? `${path}?${search}` : path;
      // fetch resolves "." and ".." segments: the request then names no procedure.
      const dotSegment = withId && [".", ".."].includes(rawId ?? "");
      return {
        ...common,
        malformedUrl: !decodes(url),
        method: target.method,
        path: url,
        body,
        fields: fieldsOf(body),
        surface: "rest",
        procedure: dotSegment ? undefined : target.procedure,
      };
    }
    return this.trpcRequest(fuzz, target, common, rawId);
  }

  private trpcRequest(
    fuzz: FuzzCase,
    target: Extract<FuzzCase["target"], { surface: "trpc" }>,
    common: Pick<FuzzRequest, "headers" | "userId" | "taskId" | "fields" | "malformedUrl">,
    rawId: string | undefined,
  ): FuzzRequest {
    const path = `/trpc/tasks.${target.procedure}`;
    const input = this.trpcInput(fuzz, target.procedure, rawId);
    const request = {
      ...common,
      surface: "trpc" as const,
      procedure: target.procedure,
      fields: fieldsOf(input),
    };
    if (target.method === "GET") {
      if (fuzz.queryTail !== undefined) {
        // The bad bytes inside the input's JSON text: {"q":"<bytes>"}.
        const search = `?input=%7B%22q%22%3A%22${fuzz.queryTail}%22%7D`;
        return {
          ...request,
          malformedUrl: true,
          method: "GET",
          path: `${path}${search}`,
          body: undefined,
        };
      }
      const search = input === undefined ? "" : `?${queryString({ input })}`;
      const url = `${path}${search}`;
      return { ...request, malformedUrl: !decodes(url), method: "GET", path: url, body: undefined };
    }
    if (input !== undefined && fuzz.contentType !== "") {
      request.headers["content-type"] = fuzz.contentType ?? "application/json";
    }
    return { ...request, method: "POST", path, body: input };
  }

  /** tRPC takes one input: the body's fields, the list query, and the id, as API.md says. */
  private trpcInput(
    fuzz: FuzzCase,
    procedure: Procedure,
    rawId: string | undefined,
  ): string | undefined {
    if (fuzz.body.kind === "raw") return fuzz.body.text;
    if (fuzz.body.kind === "oversized") return this.bodyText(fuzz);
    const base =
      procedure === "list"
        ? this.queryOf(fuzz)
        : fuzz.body.kind === "json"
          ? fuzz.body.value
          : undefined;
    if (procedure === "list" || procedure === "create")
      return base === undefined ? undefined : JSON.stringify(base);
    const fields = typeof base === "object" && base !== null && !Array.isArray(base) ? base : {};
    return JSON.stringify(rawId === undefined ? fields : { ...fields, id: rawId });
  }

  private authorization(fuzz: FuzzCase): {
    header: string | undefined;
    userId: string | undefined;
  } {
    switch (fuzz.auth.kind) {
      case "own":
        return { header: `Bearer ${this.own.token}`, userId: this.own.userId };
      case "foreign":
        return { header: `Bearer ${this.foreign.token}`, userId: this.foreign.userId };
      case "none":
        return { header: undefined, userId: undefined };
      case "variant": {
        const variant = pick(this.variants, fuzz.auth.pick);
        return { header: variant.header, userId: variant.userId };
      }
    }
  }

  private rawId(fuzz: FuzzCase): string | undefined {
    switch (fuzz.id.kind) {
      case "own":
        return pick(this.ownIds, fuzz.id.pick);
      case "foreign":
        return pick(this.foreignIds, fuzz.id.pick);
      case "absent":
        return undefined;
      case "raw":
        return fuzz.id.text;
    }
  }

  private taskId(fuzz: FuzzCase): string | undefined {
    const raw = this.rawId(fuzz);
    return raw !== undefined && /^[0-9a-f-]{36}$/i.test(raw) ? raw.toLowerCase() : undefined;
  }

  private bodyText(fuzz: FuzzCase): string | undefined {
    switch (fuzz.body.kind) {
      case "none":
        return undefined;
      case "json":
        return JSON.stringify(fuzz.body.value) ?? "null";
      case "raw":
        return fuzz.body.text;
      case "oversized":
        return JSON.stringify({ title: "x".repeat(this.bodyLimit + 1) });
    }
  }

  private queryOf(fuzz: FuzzCase): Record<string, string> {
    const query = { ...fuzz.query };
    if (fuzz.cursor?.kind === "valid" && this.cursors.length > 0) {
      query.cursor = pick(this.cursors, fuzz.cursor.pick);
    } else if (fuzz.cursor?.kind === "raw") {
      query.cursor = fuzz.cursor.text;
    }
    return query;
  }
}

function decodes(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * A header value carries bytes, not text: a string's UTF-8 bytes as fetch sends
 * them (one Latin-1 character per byte), without the control characters it refuses.
 */
function headerBytes(text: string): string {
  const allowed = looseUtf8(text).filter(
    (byte) => byte === 0x09 || (byte >= 0x20 && byte !== 0x7f),
  );
  return Buffer.from(allowed).toString("latin1");
}

/** The JSON object a body holds, as the server parses it (bytes that are not UTF-8 hold none). */
function fieldsOf(body: string | undefined): Record<string, unknown> | undefined {
  if (body === undefined || !isWellFormed(body)) return undefined;
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function pick<T>(items: readonly T[], index: number): T {
  const item = items[index % items.length];
  if (item === undefined) throw new Error("nothing to pick from");
  return item;
}
