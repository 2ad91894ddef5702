// Neon's servers unwrap the PostgreSQL protocol from a secure WebSocket. In front of
// a plain PostgreSQL (local development, the bench, tests) a local proxy does that
// instead, over plain ws://, and TLS is PostgreSQL's business behind it, so the
// driver's TLS pipelining and password pipelining (Neon-only shortcuts) are off.
import { neonConfig } from "@neondatabase/serverless";

/**
 * Points every Neon connection of this process at the proxy at `address`
 * (`host:port`), which forwards `/v2?address=<host>:<port>` to that PostgreSQL.
 */
export function useNeonWsProxy(address: string): void {
  neonConfig.wsProxy = (host, port) => `${address}/v2?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
}
