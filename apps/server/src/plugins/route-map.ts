import type { FastifyInstance } from "fastify";
import FindMyWay, { type HTTPMethod } from "find-my-way";

/** Every route the server registers, by method, to tell a 405 from a 404. */
export type RouteMap = FindMyWay.Instance<FindMyWay.HTTPVersion.V1>;

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;

/**
 * Records each route as it is registered (call before any route). Wildcard routes
 * (CORS's `OPTIONS *`, the docs' assets) match any path and say nothing about it.
 */
export function recordRoutes(app: FastifyInstance, maxParamLength: number): RouteMap {
  const routes = FindMyWay({ maxParamLength });
  app.addHook("onRoute", ({ method, url }) => {
    if (url.includes("*")) return;
    for (const each of [method].flat().map((name) => name.toUpperCase() as HTTPMethod)) {
      if (!routes.hasRoute(each, url)) routes.on(each, url, () => undefined);
    }
  });
  return routes;
}

/** The methods served on `path`, in a stable order (none: no route has this path). */
export function allowedMethods(routes: RouteMap, path: string): string[] {
  return METHODS.filter((method) => routes.find(method, path) !== null);
}
