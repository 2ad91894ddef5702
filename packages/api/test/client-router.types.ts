// Type-level test, checked by `pnpm typecheck`: the router clients are built on is
// the server's router less its request context, so it can never drift from it.
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { expectTypeOf } from "vitest";
import type { AppRouter, ClientRouter } from "../src/index.ts";

type RootOf<TRouter extends AppRouter | ClientRouter> = TRouter["_def"]["_config"]["$types"];

expectTypeOf<ClientRouter["_def"]["record"]>().toEqualTypeOf<AppRouter["_def"]["record"]>();
expectTypeOf<RootOf<ClientRouter>["errorShape"]>().toEqualTypeOf<RootOf<AppRouter>["errorShape"]>();
expectTypeOf<RootOf<ClientRouter>["transformer"]>().toEqualTypeOf<
  RootOf<AppRouter>["transformer"]
>();
expectTypeOf<RootOf<ClientRouter>["meta"]>().toEqualTypeOf<RootOf<AppRouter>["meta"]>();
expectTypeOf<inferRouterInputs<ClientRouter>>().toEqualTypeOf<inferRouterInputs<AppRouter>>();
expectTypeOf<inferRouterOutputs<ClientRouter>>().toEqualTypeOf<inferRouterOutputs<AppRouter>>();
