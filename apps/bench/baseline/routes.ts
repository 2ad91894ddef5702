// The REST routes the bench drives, with API.md's status codes and bodies.
import type { FastifyInstance, FastifyReply } from "fastify";
import type { Pool } from "pg";
import { isUuid } from "./cursor.ts";
import { parseListQuery } from "./list-query.ts";
import { createdResponse, listResponse, taskResponse } from "./schemas.ts";
import { parseNewTask } from "./task-body.ts";
import { notifier } from "./outbox.ts";
import { createTask, getTask, listTasks, toggleTask, type Lookup } from "./tasks.ts";

interface IdParams {
  id: string;
}

export function sendLookup(reply: FastifyReply, lookup: Lookup): FastifyReply {
  if (lookup.kind === "found") return reply.send(lookup.task);
  if (lookup.kind === "forbidden")
    return reply.code(403).send({ detail: "This task belongs to another user." });
  return reply.code(404).send({ detail: "There is no task with this id." });
}

function sendMalformedId(reply: FastifyReply): FastifyReply {
  return reply.code(422).send({ detail: "The task id is not a UUID." });
}

function isEmptyBody(body: unknown): boolean {
  return (
    body === undefined ||
    body === null ||
    (typeof body === "object" && Object.keys(body).length === 0)
  );
}

export function registerTaskRoutes(app: FastifyInstance, pool: Pool): void {
  const announce = notifier(pool);
  app.get("/api/v1/tasks", { schema: { response: listResponse } }, async (request, reply) => {
    const query = parseListQuery(request.query as Record<string, unknown>);
    if (!query.ok) return reply.code(422).send({ detail: query.detail });
    return listTasks(pool, request.userId, query.value);
  });

  app.get<{ Params: IdParams }>(
    "/api/v1/tasks/:id",
    { schema: { response: taskResponse } },
    async (request, reply) => {
      if (!isUuid(request.params.id)) return sendMalformedId(reply);
      return sendLookup(reply, await getTask(pool, request.userId, request.params.id));
    },
  );

  app.post("/api/v1/tasks", { schema: { response: createdResponse } }, async (request, reply) => {
    const body = parseNewTask(request.body);
    if (!body.ok) return reply.code(422).send(body);
    const task = await createTask(pool, request.userId, body.value);
    announce(request.userId);
    return reply.code(201).header("location", `/api/v1/tasks/${task.id}`).send(task);
  });

  app.patch<{ Params: IdParams }>(
    "/api/v1/tasks/:id/toggle",
    { schema: { response: taskResponse } },
    async (request, reply) => {
      if (!isEmptyBody(request.body))
        return reply.code(422).send({ detail: "toggle takes no fields." });
      if (!isUuid(request.params.id)) return sendMalformedId(reply);
      const lookup = await toggleTask(pool, request.userId, request.params.id);
      if (lookup.kind === "found") announce(request.userId);
      return sendLookup(reply, lookup);
    },
  );
}
