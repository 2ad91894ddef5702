import {
  createTaskBody,
  deleteManyTasksQuery,
  deleteManyTasksResultSchema,
  listTasksQuery,
  taskCountsQuery,
  taskCountsSchema,
  taskIdParams,
  taskPageSchema,
  taskSchema,
  toggleTaskBody,
  updateManyTasksBody,
  updateManyTasksResultSchema,
  updateTaskBody,
  type RouterInputs,
} from "@tasks/api";
import type { z } from "zod";
import type { RequestHeaderKind } from "./conditional-requests.ts";

export const REST_PREFIX = "/api/v1";

/** A task's path is this and its id. */
export const TASK_PATH_PREFIX = `${REST_PREFIX}/tasks/`;

export type TaskProcedure = keyof RouterInputs["tasks"];

/**
 * One REST route: everything the Fastify route and its OpenAPI entry need,
 * written once. The procedure receives `{ ...query or body, ...params }`, plus
 * what the route's request headers mean (`headers`): `read` answers 304 to a
 * matching If-None-Match, `write` turns If-Match into `expectedVersion` (412),
 * `create` passes Idempotency-Key as `idempotencyKey`.
 */
export interface RestRoute {
  operationId: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Relative to REST_PREFIX, in Fastify's `:param` form. */
  url: string;
  procedure: TaskProcedure;
  summary: string;
  success: 200 | 201 | 204;
  params?: z.ZodType;
  querystring?: z.ZodType;
  body?: z.ZodType;
  /** A body the route also accepts absent (toggle). */
  bodyOptional?: boolean;
  response?: z.ZodType;
  headers?: RequestHeaderKind;
}

export const restRoutes: readonly RestRoute[] = [
  {
    operationId: "listTasks",
    method: "GET",
    url: "/tasks",
    procedure: "list",
    summary: "List the caller's tasks, one keyset page at a time",
    success: 200,
    querystring: listTasksQuery,
    response: taskPageSchema,
  },
  {
    operationId: "countTasks",
    method: "GET",
    url: "/tasks/counts",
    procedure: "counts",
    summary: "How many of the caller's tasks there are: all, pending, completed (optional q)",
    success: 200,
    querystring: taskCountsQuery,
    response: taskCountsSchema,
  },
  {
    operationId: "updateAllTasks",
    method: "PATCH",
    url: "/tasks",
    procedure: "updateMany",
    summary: "Toggle all: set `completed` on every task of the caller's that differs",
    success: 200,
    body: updateManyTasksBody,
    response: updateManyTasksResultSchema,
  },
  {
    operationId: "deleteTasks",
    method: "DELETE",
    url: "/tasks",
    procedure: "deleteMany",
    summary: "Clear completed: delete the caller's tasks in `status` (required)",
    success: 200,
    querystring: deleteManyTasksQuery,
    response: deleteManyTasksResultSchema,
  },
  {
    operationId: "createTask",
    method: "POST",
    url: "/tasks",
    procedure: "create",
    summary: "Create a task (201 with Location); retried safely with Idempotency-Key",
    success: 201,
    body: createTaskBody,
    response: taskSchema,
    headers: "create",
  },
  {
    operationId: "getTask",
    method: "GET",
    url: "/tasks/:id",
    procedure: "get",
    summary: "Get one task (304 to a matching If-None-Match)",
    success: 200,
    params: taskIdParams,
    response: taskSchema,
    headers: "read",
  },
  {
    operationId: "updateTask",
    method: "PUT",
    url: "/tasks/:id",
    procedure: "update",
    summary: "Update a task: fields left out keep their value",
    success: 200,
    params: taskIdParams,
    body: updateTaskBody,
    response: taskSchema,
    headers: "write",
  },
  {
    operationId: "patchTask",
    method: "PATCH",
    url: "/tasks/:id",
    procedure: "update",
    summary: "Update a task (same meaning as PUT)",
    success: 200,
    params: taskIdParams,
    body: updateTaskBody,
    response: taskSchema,
    headers: "write",
  },
  {
    operationId: "deleteTask",
    method: "DELETE",
    url: "/tasks/:id",
    procedure: "delete",
    summary: "Delete a task (204, no body)",
    success: 204,
    params: taskIdParams,
    headers: "write",
  },
  {
    operationId: "toggleTask",
    method: "PATCH",
    url: "/tasks/:id/toggle",
    procedure: "toggle",
    summary: "Flip `completed` atomically; no body, an empty body or {}",
    success: 200,
    params: taskIdParams,
    body: toggleTaskBody,
    bodyOptional: true,
    response: taskSchema,
    headers: "write",
  },
];
