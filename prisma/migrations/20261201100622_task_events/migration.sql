-- CreateTable
CREATE TABLE "task_events" (
    "user_id" TEXT NOT NULL,
    "id" BIGINT NOT NULL,
    "type" TEXT NOT NULL,
    "task_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "task" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "task_events_pkey" PRIMARY KEY ("user_id","id")
);

-- CreateTable
CREATE TABLE "task_event_sequences" (
    "user_id" TEXT NOT NULL,
    "last_event_id" BIGINT NOT NULL,

    CONSTRAINT "task_event_sequences_pkey" PRIMARY KEY ("user_id")
);

-- CreateIndex
CREATE INDEX "task_events_created_at_idx" ON "task_events"("created_at");
