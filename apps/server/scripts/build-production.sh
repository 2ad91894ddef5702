#!/usr/bin/env bash
# Builds the server's self-contained production folder: the server's source, its
# workspace packages (TypeScript, run by tsx), production dependencies only, the
# generated Prisma client and the migrations. Run from the repository root of a
# clean tree; apps/server/Dockerfile and .ci/prod-smoke both use this script, so
# what CI starts is what the image runs.
#   usage: apps/server/scripts/build-production.sh <output folder (must not exist)>
set -euo pipefail
out="${1:?usage: build-production.sh <output folder>}"
[ -e "$out" ] && { echo "build-production: $out already exists" >&2; exit 1; }

pnpm install --frozen-lockfile
# The client is gitignored: generate it explicitly (also covers --ignore-scripts).
pnpm --filter @tasks/db generate
# --legacy: pnpm 10's default deploy needs inject-workspace-packages=true, which
# would copy workspace packages into every app's node_modules in development too.
pnpm --filter @tasks/server --prod deploy --legacy "$out"
# @tasks/db finds its migrations in the nearest prisma/ above itself.
cp -R prisma "$out/prisma"

client="$out/node_modules/@tasks/db/src/generated/prisma/client.ts"
[ -f "$client" ] || { echo "build-production: the Prisma client is missing ($client)" >&2; exit 1; }
ls "$out"/prisma/migrations/*/migration.sql >/dev/null
echo "build-production: $out is ready; start it with: node --import tsx src/main.ts"
