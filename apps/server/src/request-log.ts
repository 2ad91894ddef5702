import { LogController, type FastifyReply, type FastifyRequest } from "fastify";

/**
 * One line per request, written when its response is done, with the request, the
 * status and the time taken (as pino-http logs): Fastify's default writes a second
 * line as each request arrives, which doubles logging's cost and says nothing the
 * completed line does not, bar requests that never finish (their timeout is logged).
 */
export class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...line, err: error }, "request errored");
    else reply.log.info(line, "request completed");
  }
}
