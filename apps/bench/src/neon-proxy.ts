// The local stand-in for Neon's WebSocket endpoint: each WebSocket connection is
// piped to a TCP connection to PostgreSQL, as Neon's proxy does. The serverless
// driver asks for `/v2?address=host:port`; only the bench's database server is
// ever dialled, whatever the address says.
import { connect } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

export interface NeonProxy {
  /** "127.0.0.1:<port>", the value of NEON_WS_PROXY. */
  readonly address: string;
  close(): Promise<void>;
}

function pipeToPostgres(socket: WebSocket, host: string, port: number): void {
  const tcp = connect({ host, port });
  socket.binaryType = "nodebuffer";
  socket.on("message", (data: Buffer) => tcp.write(data));
  tcp.on("data", (data) => socket.send(data));
  tcp.on("close", () => socket.close());
  tcp.on("error", () => socket.terminate());
  socket.on("close", () => tcp.destroy());
  socket.on("error", () => tcp.destroy());
}

export async function startNeonProxy(postgresUrl: string): Promise<NeonProxy> {
  const target = new URL(postgresUrl);
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => server.once("listening", resolve));
  server.on("connection", (socket) =>
    pipeToPostgres(socket, target.hostname, Number(target.port || 5432)),
  );
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
