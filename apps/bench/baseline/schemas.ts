// Response schemas: Fastify compiles them into fast-json-stringify serializers,
// the quickest way to write these bodies. Nothing validates requests with them.
const task = {
  type: "object",
  properties: {
    id: { type: "string" },
    title: { type: "string" },
    description: { type: ["string", "null"] },
    completed: { type: "boolean" },
    version: { type: "integer" },
    createdAt: { type: "string" },
    updatedAt: { type: "string" },
  },
  required: ["id", "title", "description", "completed", "version", "createdAt", "updatedAt"],
} as const;

const problem = {
  type: "object",
  properties: {
    detail: { type: "string" },
    errors: {
      type: "array",
      items: {
        type: "object",
        properties: { path: { type: "string" }, message: { type: "string" } },
      },
    },
  },
  required: ["detail"],
} as const;

const page = {
  type: "object",
  properties: { items: { type: "array", items: task }, nextCursor: { type: ["string", "null"] } },
  required: ["items", "nextCursor"],
} as const;

export const listResponse = { 200: page, "4xx": problem } as const;
export const taskResponse = { 200: task, "4xx": problem } as const;
export const createdResponse = { 201: task, "4xx": problem } as const;
