// The hand-written part of docs/benchmarks.md: what was changed in the project
// server to close the gap to the baseline, and what each change measured. Kept
// here so the generated report carries it on every run.

export const CHANGES = `## Changes and their effect

Ratios are project ÷ baseline requests/s, each from one \`BENCH_SECONDS=5\` run of
\`baseline,project\` on a quiet machine (load average below 1 before the run); a
ratio moves by about ±0.05 between runs of the same code. The full run above is
the figure that counts.

| step | change | rest list | rest get | rest create | rest toggle | rest mixed | trpc list | trpc get | trpc create | trpc toggle | trpc mixed | trpc batch | peak RSS |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
| A | start of this round (steps 1–5 below, \`node --import tsx\`) | 0.78× | 0.77× | 0.65× | 0.72× | 0.75× | 0.49× | 0.45× | 0.41× | 0.47× | 0.46× | 0.51× | 538 MiB |
| B | 6 and 7: tRPC plain calls, production bundle | 0.75× | 0.74× | 0.60× | 0.75× | 0.69× | 0.75× | 0.77× | 0.67× | 0.77× | 0.76× | 0.61× | 416 MiB |
| C | 8 to 11: minified bundle, prepared statements, helmet once, one middleware, no segmenting | 0.78× | 0.84× | 0.76× | 0.86× | 0.85× | 0.82× | 0.81× | 0.82× | 0.86× | 0.93× | 0.65× | 353 MiB |

Steps 1–5 came first (an earlier round, measured while other work loaded the
machine; from 0.23× for rest list and 0.11× for trpc toggle):

1. **REST response serialization** (\`apps/server/src/rest/serializer.ts\`): each
   response schema is turned into JSON Schema once and compiled by
   fast-json-stringify, instead of zod parsing every response before
   \`JSON.stringify\`. The zod schemas stay the single source.
2. **No zod output parsing in the procedures** (\`packages/api/src/tasks/router.ts\`):
   the handlers return \`Task\`/\`TaskPage\` by type.
3. **Raw keyset SQL for \`list\` and \`find\`** (\`packages/api/src/tasks/task-store.ts\`):
   \`$queryRaw\` with \`Prisma.sql\` fragments, every value bound, every statement
   scoped by \`user_id\`, the cursor a row comparison matching the
   \`(user_id, sort key, id)\` indexes. Prisma's ORM path cost more than the driver.
4. **helmet built once** instead of per request (as @fastify/helmet did).
5. **\`create\` as one \`INSERT … RETURNING\`** with a UUIDv7 id from \`uuid\`.

This round:

6. **tRPC plain calls answered from tRPC's public pieces**
   (\`apps/server/src/trpc/\`, \`apps/server/src/plugins/trpc.ts\`). The profile of
   \`trpc get\` showed tRPC's \`resolveResponse\` costing 82 µs per call in isolation
   against 9 µs for the procedure call itself: a Fetch \`Request\` and \`Response\`
   per request and three \`AbortSignal.any\` per call, which on Node 20 allocate
   weak references the GC must then process. A well-formed JSON call of existing
   queries (GET) or mutations (POST), which is every call \`httpLink\` and
   \`httpBatchLink\` make, is now run with \`callTRPCProcedure\`,
   \`getTRPCErrorShape\`, \`getHTTPStatusCode\` and \`transformTRPCResponse\`, all
   exported by \`@trpc/server\` for adapters; anything else (streaming, SSE,
   unknown procedure, wrong method, bad input) still goes to tRPC's own
   \`fastifyRequestHandler\`. A test sends 20 cases to both and requires the same
   status, body and headers. Server CPU per \`tasks.get\`: 490–520 µs → 320 µs.
7. **Production is a bundle** (\`apps/server/scripts/build.mjs\`, docs/deploy.md):
   \`node dist/main.mjs\` instead of \`node --import tsx src/main.ts\`; the baseline
   is bundled the same way, so neither pays for a loader. Idle RSS 265 → 134 MB.
8. **Minified bundle, names kept.** V8 keeps each module's source in memory; six
   em dashes in comments of a dependency made the 14.8 MB bundle a 28 MB two-byte
   string. Minified it is 12.5 MB, one byte per character.
9. **Prepared statements** (\`packages/db/src/drivers/statement-names.ts\`):
   \`PrismaPg\`'s \`statementNameGenerator\` names each SQL text once, so
   node-postgres prepares it once per connection, as the baseline does.
   PostgreSQL's CPU per \`tasks.get\`: 105 → 48 µs. \`DB_PREPARED_STATEMENTS=false\`
   turns it off behind a pooler that cannot keep prepared statements.
10. **helmet's headers computed once** (read from a response helmet handled, then
    \`reply.headers()\`), **one tRPC middleware** for auth and public errors (one
    context merge per call instead of two).
11. **No grapheme segmenting for short texts** (\`packages/api/src/schemas/text.ts\`):
    a text no longer than the limit in UTF-16 units cannot exceed it in graphemes.

**What is still missed, and why.**

- **trpc batch (0.65×).** Three procedures in one request pay three times for the
  per-call costs left after step 6: Prisma's \`$queryRaw\` path (about 14 % of the
  server's CPU in the batch profile: argument serialization, its query
  interpreter, result deserialization into \`Date\`s that \`toTask\` turns back into
  strings), tRPC's middleware context merges (babel's \`objectSpread\`, 4 %), and
  GC (7 %). The next step would be to run the hot reads on the driver adapter's
  own \`queryRaw\` (the interface every Prisma driver adapter implements) and
  select timestamps as ISO text; not done in this round.
- **Peak RSS (353 MiB against 200 MB).** At idle the server holds 128 MB (the
  baseline 62 MB): the bundle's source text (12.5 MB), Scalar's API-reference
  script, which its Fastify plugin keeps as a 9 MB string, Prisma's client, and a
  32 MB young generation. Under load the rest is garbage: after a forced full GC
  at the end of a create run the heap held 60 MB of the 196 MB it had grown to.
  V8 on this 24 GB machine grows the old generation for minutes before its first
  full collection. A heap limit bounds that, but costs throughput here:
  \`--max-old-space-size=96\` (plus \`--max-semi-space-size=8\`) gave 197 MiB peak
  and 0.50–0.69× everywhere; \`=128\` gave 213 MiB with p99 past 1.5× on most
  scenarios. Production therefore ships without a heap flag: in a container, Node
  sizes its heap from the memory limit it is given (docs/deploy.md).`;
