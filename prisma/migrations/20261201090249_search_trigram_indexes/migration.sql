-- Hand-written (the schema cannot express it: see prisma/schema.prisma, datasource db):
-- the operator class gin_trgm_ops below comes from pg_trgm.
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateIndex
CREATE INDEX "tasks_title_trgm_idx" ON "tasks" USING GIN ("title" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "tasks_description_trgm_idx" ON "tasks" USING GIN ("description" gin_trgm_ops);
