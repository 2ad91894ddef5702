#!/usr/bin/env bash
# Builds the server's self-contained production folder: dist/ (the server and the
# migration command bundled with every dependency, plus PGlite's files) and the
# migrations in prisma/. It needs no node_modules and no TypeScript loader: run it
# with `node dist/main.mjs`. Run from the repository root of a clean tree;
# apps/server/Dockerfile and .ci/prod-smoke both use this script, so what CI starts
# is what the image runs.
#   usage: apps/server/scripts/build-production.sh <output folder (must not exist)>
set -euo pipefail
out="${1:?usage: build-production.sh <output folder>}"
[ -e "$out" ] && { echo "build-production: $out already exists" >&2; exit 1; }

pnpm install --frozen-lockfile
# The client is gitignored: generate it explicitly (also covers --ignore-scripts).
pnpm --filter @tasks/db generate
pnpm --filter @tasks/server build

mkdir -p "$out"
cp -R apps/server/dist "$out/dist"
# The migration applier finds its migrations in the nearest prisma/ above itself.
cp -R prisma "$out/prisma"

ls "$out"/dist/main.mjs "$out"/dist/migrate.mjs "$out"/dist/pglite.wasm >/dev/null
ls "$out"/prisma/migrations/*/migration.sql >/dev/null
echo "build-production: $out is ready ($(du -sh "$out" | cut -f1)); start it with: node dist/main.mjs"
