-- AlterTable
ALTER TABLE "tasks" ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "task_counts" (
    "user_id" TEXT NOT NULL,
    "total" INTEGER NOT NULL DEFAULT 0,
    "completed" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "task_counts_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "idempotency_keys" (
    "user_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "response" JSONB NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("user_id","key")
);

-- CreateIndex
CREATE INDEX "idempotency_keys_expires_at_idx" ON "idempotency_keys"("expires_at");

-- Below: written by hand, since Prisma's schema cannot express triggers (the diff
-- above is generated and ignores them). task_counts follows every change to tasks
-- in the changing statement's own transaction. Statement-level triggers with
-- transition tables add one aggregate per statement, however many rows it touched.
--
-- Prisma's pg and Neon driver adapters apply a migration by splitting it at every
-- semicolon, so nothing below holds one except at the end of a statement: the
-- function bodies are E'' strings that spell their semicolons \073.

CREATE FUNCTION "task_counts_add"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO "task_counts" AS counts ("user_id", "total", "completed")
  SELECT "user_id", count(*), count(*) FILTER (WHERE "completed") FROM "added_tasks" GROUP BY "user_id"
  ON CONFLICT ("user_id") DO UPDATE
    SET "total" = counts."total" + EXCLUDED."total",
        "completed" = counts."completed" + EXCLUDED."completed"\073
  RETURN NULL\073
END';

-- Only a change of `completed` moves a count: a title edit leaves the row unlocked.
CREATE FUNCTION "task_counts_change"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  UPDATE "task_counts" AS counts SET "completed" = counts."completed" + delta."completed"
  FROM (
    SELECT after."user_id", sum(after."completed"::int - before."completed"::int) AS "completed"
    FROM "changed_tasks_after" AS after JOIN "changed_tasks_before" AS before USING ("id")
    GROUP BY after."user_id"
  ) AS delta
  WHERE counts."user_id" = delta."user_id" AND delta."completed" <> 0\073
  RETURN NULL\073
END';

CREATE FUNCTION "task_counts_remove"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  UPDATE "task_counts" AS counts
    SET "total" = counts."total" - gone."total", "completed" = counts."completed" - gone."completed"
  FROM (
    SELECT "user_id", count(*) AS "total", count(*) FILTER (WHERE "completed") AS "completed"
    FROM "removed_tasks" GROUP BY "user_id"
  ) AS gone
  WHERE counts."user_id" = gone."user_id"\073
  RETURN NULL\073
END';

-- TRUNCATE fires no row triggers and has no transition table: it empties the counts too.
CREATE FUNCTION "task_counts_clear"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  DELETE FROM "task_counts"\073
  RETURN NULL\073
END';

CREATE TRIGGER "task_counts_on_insert" AFTER INSERT ON "tasks"
  REFERENCING NEW TABLE AS "added_tasks" FOR EACH STATEMENT EXECUTE FUNCTION "task_counts_add"();
CREATE TRIGGER "task_counts_on_update" AFTER UPDATE ON "tasks"
  REFERENCING OLD TABLE AS "changed_tasks_before" NEW TABLE AS "changed_tasks_after"
  FOR EACH STATEMENT EXECUTE FUNCTION "task_counts_change"();
CREATE TRIGGER "task_counts_on_delete" AFTER DELETE ON "tasks"
  REFERENCING OLD TABLE AS "removed_tasks" FOR EACH STATEMENT EXECUTE FUNCTION "task_counts_remove"();
CREATE TRIGGER "task_counts_on_truncate" AFTER TRUNCATE ON "tasks"
  FOR EACH STATEMENT EXECUTE FUNCTION "task_counts_clear"();

-- Counts for the tasks that exist already. CREATE TRIGGER above locks out writers
-- until this migration's transaction ends, so no change slips in between.
INSERT INTO "task_counts" ("user_id", "total", "completed")
SELECT "user_id", count(*), count(*) FILTER (WHERE "completed") FROM "tasks" GROUP BY "user_id";
