import { describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.ts";
import { LogLines } from "./support/log-lines.ts";

describe("the logger", () => {
  it("censors credentials wherever a line carries headers or a credential field", () => {
    const lines = new LogLines();
    const logger = createLogger({ LOG_LEVEL: "info" }, lines);
    logger.warn(
      { headers: { authorization: "Bearer secret-1", cookie: "session=secret-2", accept: "*/*" } },
      "headers",
    );
    logger.error({ authorization: "Bearer secret-3", cookie: "secret-4" }, "fields");
    logger.child({ reqId: "r1" }).info({ headers: "not an object" }, "odd headers");
    expect(lines.text).not.toMatch(/secret-\d/);
    expect(lines.lines[0]?.headers).toEqual({
      authorization: "[redacted]",
      cookie: "[redacted]",
      accept: "*/*",
    });
    expect(lines.lines[1]).toMatchObject({ authorization: "[redacted]", cookie: "[redacted]" });
    expect(lines.lines[2]).toMatchObject({ reqId: "r1", headers: "not an object" });
  });
});
