import {
  createTaskBody,
  listTasksQuery,
  taskIdParams,
  taskPageSchema,
  taskSchema,
  toggleTaskBody,
  updateTaskBody,
  type RouterInputs,
} from "@tasks/api";
import type { z } from "zod";

export const REST_PREFIX = "/api/v1";

export type TaskProcedure = keyof RouterInputs["tasks"];

/**
 * One REST route: everything the Fastify route and its OpenAPI entry need,
 * written once. The procedure receives `{ ...query or body, ...params }`.
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
    operationId: "createTask",
    method: "POST",
    url: "/tasks",
    procedure: "create",
    summary: "Create a task (201 with Location)",
    success: 201,
    body: createTaskBody,
    response: taskSchema,
  },
  {
    operationId: "getTask",
    method: "GET",
    url: "/tasks/:id",
    procedure: "get",
    summary: "Get one task",
    success: 200,
    params: taskIdParams,
    response: taskSchema,
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
  },
  {
    operationId: "deleteTask",
    method: "DELETE",
    url: "/tasks/:id",
    procedure: "delete",
    summary: "Delete a task (204, no body)",
    success: 204,
    params: taskIdParams,
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
  },
];
