// Neon's driver speaks the PostgreSQL protocol over a WebSocket. Neon's servers
// unwrap it; in tests this local proxy does, in front of a plain PostgreSQL, so
// the Neon code path runs for real without Neon. The driver reaches it through
// NEON_WS_PROXY, exactly as in local development.
import { connect } from "node:net";
import { WebSocketServer } from "ws";
import type { AddressInfo } from "node:net";
import type { WebSocket } from "ws";

export interface NeonProxy {
  /** `127.0.0.1:<port>`: the value for NEON_WS_PROXY. */
  readonly address: string;
  close(): Promise<void>;
}

/** Starts the proxy; only `allowedAddress` (host:port) can be reached through it. */
export async function startNeonProxy(allowedAddress: string): Promise<NeonProxy> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve, reject) =>
    server.once("listening", resolve).once("error", reject),
  );
  server.on("connection", (socket, request) => {
    const address = new URL(request.url ?? "/", "ws://proxy").searchParams.get("address");
    if (address === allowedAddress) tunnel(socket, address);
    else socket.close(1008, "address not allowed");
  });
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

function tunnel(socket: WebSocket, address: string): void {
  const separator = address.lastIndexOf(":");
  const tcp = connect(Number(address.slice(separator + 1)), address.slice(0, separator));
  tcp.on("data", (chunk) => socket.send(chunk));
  tcp.on("close", () => socket.close());
  tcp.on("error", () => socket.terminate());
  socket.on("message", (data: Buffer) => tcp.write(data));
  socket.on("close", () => tcp.end());
}
