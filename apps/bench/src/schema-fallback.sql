-- TEMPORARY: the tasks table as prisma/schema.prisma defines it, used only while
-- neither `pnpm db:migrate` (packages/db) nor prisma/migrations/* exist yet.
CREATE TABLE "tasks" (
    "id" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "completed" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "tasks_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "tasks_user_created_at_idx" ON "tasks"("user_id", "created_at", "id");
CREATE INDEX "tasks_user_updated_at_idx" ON "tasks"("user_id", "updated_at", "id");
CREATE INDEX "tasks_user_title_idx" ON "tasks"("user_id", "title", "id");
CREATE INDEX "tasks_user_completed_created_at_idx" ON "tasks"("user_id", "completed", "created_at", "id");
