import fastJson from "fast-json-stringify";
import type { FastifySerializerCompiler } from "fastify";
import { z } from "zod";

/** A route's response schema as Fastify hands it over: a zod schema, or one under `properties`. */
function zodSchemaOf(schema: unknown): z.ZodType {
  if (schema instanceof z.ZodType) return schema;
  const wrapped: unknown = Reflect.get(Object(schema), "properties");
  if (wrapped instanceof z.ZodType) return wrapped;
  throw new TypeError("A response schema must be a zod schema.");
}

/**
 * Compiles each REST response schema once, at start, into a fast-json-stringify
 * serializer (what Fastify does for JSON Schema routes). The zod serializer this
 * replaces parsed every response with zod before `JSON.stringify`: the procedures'
 * return types already fix the shape, so that was a second full walk per response.
 * The compiled serializer still writes only the documented fields.
 */
export const responseSerializerCompiler: FastifySerializerCompiler<unknown> = ({ schema }) =>
  fastJson(z.toJSONSchema(zodSchemaOf(schema), { io: "output", target: "draft-07" }) as object);
