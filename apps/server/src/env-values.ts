import { isIP } from "node:net";
import { z } from "zod";

/** A whole number in a range, read from an environment string. */
export function integerBetween(min: number, max: number) {
  const message = `must be an integer between ${min} and ${max}`;
  return z
    .string()
    .trim()
    .regex(/^\d+$/, { message })
    .transform(Number)
    .pipe(z.number().int().min(min, { message }).max(max, { message }));
}

function isOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === "http:" || url.protocol === "https:") && url.origin === text;
  } catch {
    return false;
  }
}

function commaList(text: string): string[] {
  return text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

/** A comma list of exact origins such as `https://app.example.com` (no path, no `*`). */
export const originList = z
  .string()
  .transform(commaList)
  .pipe(
    z
      .array(
        z.string().refine(isOrigin, {
          error: (issue) =>
            `"${String(issue.input)}" is not an origin like https://app.example.com (scheme, host and optional port, no path)`,
        }),
      )
      .min(1, { message: "must list at least one origin" }),
  );

export const redisUrl = z.string().refine(
  (text) => {
    try {
      return ["redis:", "rediss:"].includes(new URL(text).protocol);
    } catch {
      return false;
    }
  },
  { message: "must be a redis:// or rediss:// URL" },
);

export const postgresUrl = z.string().refine(
  (text) => URL.canParse(text) && ["postgres:", "postgresql:"].includes(new URL(text).protocol),
  // Never echo the value: it may carry a password.
  { message: "must be a postgres:// or postgresql:// URL" },
);

const PROXY_MESSAGE =
  "must be true, false, a number of proxy hops, or a comma list of proxy addresses (IP or CIDR)";

function isAddressOrRange(text: string): boolean {
  const [address = "", bits, ...rest] = text.split("/");
  if (rest.length > 0 || isIP(address) === 0) return false;
  return bits === undefined || /^\d{1,3}$/.test(bits);
}

/** Fastify's `trustProxy`: off, on, a hop count, or the addresses of trusted proxies. */
export const trustProxy = z.string().transform((text, context): boolean | number | string[] => {
  const value = text.trim().toLowerCase();
  if (value === "true") return true;
  if (value === "false") return false;
  if (/^\d+$/.test(value)) return Number(value);
  const addresses = commaList(value);
  if (addresses.length > 0 && addresses.every(isAddressOrRange)) return addresses;
  context.addIssue({ code: "custom", message: PROXY_MESSAGE });
  return z.NEVER;
});

export const logLevel = z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
  message: "must be one of fatal, error, warn, info, debug, trace, silent",
});
