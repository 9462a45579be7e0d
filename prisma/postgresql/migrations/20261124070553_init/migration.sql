-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Sweep" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "spec" JSONB NOT NULL,
    "dataset" TEXT NOT NULL,
    "baseModel" TEXT NOT NULL,
    "algorithm" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "metricName" TEXT NOT NULL,
    "metricGoal" TEXT NOT NULL,
    "plannedTrials" INTEGER NOT NULL,
    "workflowId" TEXT,
    "bestTrialId" TEXT,
    "bestValue" DOUBLE PRECISION,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Sweep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Trial" (
    "id" TEXT NOT NULL,
    "sweepId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "params" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "objective" DOUBLE PRECISION,
    "values" JSONB,
    "error" TEXT,
    "worker" TEXT,
    "slot" INTEGER,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "artifact" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Trial_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MetricPoint" (
    "id" SERIAL NOT NULL,
    "trialId" TEXT NOT NULL,
    "epoch" INTEGER NOT NULL,
    "step" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MetricPoint_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Sweep_workflowId_key" ON "Sweep"("workflowId");

-- CreateIndex
CREATE INDEX "Sweep_createdAt_idx" ON "Sweep"("createdAt");

-- CreateIndex
CREATE INDEX "Trial_sweepId_status_idx" ON "Trial"("sweepId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Trial_sweepId_number_key" ON "Trial"("sweepId", "number");

-- CreateIndex
CREATE INDEX "MetricPoint_trialId_epoch_step_idx" ON "MetricPoint"("trialId", "epoch", "step");

-- CreateIndex
CREATE UNIQUE INDEX "MetricPoint_trialId_name_epoch_step_key" ON "MetricPoint"("trialId", "name", "epoch", "step");

-- AddForeignKey
ALTER TABLE "Trial" ADD CONSTRAINT "Trial_sweepId_fkey" FOREIGN KEY ("sweepId") REFERENCES "Sweep"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MetricPoint" ADD CONSTRAINT "MetricPoint_trialId_fkey" FOREIGN KEY ("trialId") REFERENCES "Trial"("id") ON DELETE CASCADE ON UPDATE CASCADE;
