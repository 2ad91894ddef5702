import apiReference from "@scalar/fastify-api-reference";
import type { FastifyInstance } from "fastify";

export const DOCS_PATH = "/docs";

/** Nothing leaves the page: no font, image or script from another origin (see DOCS_OFFLINE). */
const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'self'",
].join("; ");

/**
 * Scalar's controls that call Scalar's services are off, so the page works offline
 * and shows nothing that cannot work without the internet.
 */
export const DOCS_OFFLINE = {
  /** Its fonts come from fonts.scalar.com; the system's serve instead. */
  withDefaultFonts: false,
  telemetry: false,
  /** The AI chat and the MCP integration run on Scalar's servers. */
  agent: { disabled: true },
  mcp: { disabled: true },
  /** "Open in API client" opens client.scalar.com; "Test Request" stays, on this page. */
  hideClientButton: true,
  /** The developer toolbar offers deploying and SDK generation on dashboard.scalar.com. */
  showDeveloperTools: "never",
} as const;

/** The interactive page at `/docs` (Scalar), rendering the document at `documentUrl`. */
export async function docsPage(
  docs: FastifyInstance,
  { documentUrl }: { documentUrl: string },
): Promise<void> {
  // Runs after helmet's hook, so this header replaces the API's strict default.
  docs.addHook("onRequest", async (_request, reply) => {
    reply.header("content-security-policy", DOCS_CSP);
  });
  await docs.register(apiReference, {
    routePrefix: DOCS_PATH,
    configuration: { url: documentUrl, title: "Tasks API", ...DOCS_OFFLINE },
    logLevel: "warn",
  });
}
