import { describe, expect, it } from "vitest";
import { SseParser } from "../src/fanout/sse.ts";

describe("SseParser", () => {
  it("reads the server's frames: retry, comments, id, event and data", () => {
    const parser = new SseParser();
    const messages = parser.push(
      'retry: 1000\n\n: keep-alive\n\nid: 7\nevent: updated\ndata: {"a":1}\n\n',
    );
    expect(messages).toEqual([{ id: "7", event: "updated", data: '{"a":1}' }]);
  });

  it("completes a message split across chunks anywhere, CRLF included", () => {
    const text = "id: 1\r\nevent: created\r\ndata: x\r\n\r\nid: 2\r\ndata: y\r\n\r\n";
    const parser = new SseParser();
    const messages = [...text].flatMap((character) => parser.push(character));
    expect(messages).toEqual([
      { id: "1", event: "created", data: "x" },
      { id: "2", event: "message", data: "y" },
    ]);
  });

  it("joins data lines, keeps the last id for later messages and skips empty ones", () => {
    const parser = new SseParser();
    expect(parser.push("id: 3\nevent: x\n\ndata:a\ndata: b\n\n")).toEqual([
      { id: "3", event: "message", data: "a\nb" },
    ]);
  });

  it("waits for a complete line before reading it", () => {
    const parser = new SseParser();
    expect(parser.push("data: par")).toEqual([]);
    expect(parser.push("tial\n")).toEqual([]);
    expect(parser.push("\n")).toEqual([{ id: undefined, event: "message", data: "partial" }]);
  });
});
