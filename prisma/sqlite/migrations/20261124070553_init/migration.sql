-- CreateTable
CREATE TABLE "Sweep" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "bestValue" REAL,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "Trial" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sweepId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "params" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "objective" REAL,
    "values" JSONB,
    "error" TEXT,
    "worker" TEXT,
    "slot" INTEGER,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "artifact" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    CONSTRAINT "Trial_sweepId_fkey" FOREIGN KEY ("sweepId") REFERENCES "Sweep" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MetricPoint" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "trialId" TEXT NOT NULL,
    "epoch" INTEGER NOT NULL,
    "step" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "value" REAL NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "MetricPoint_trialId_fkey" FOREIGN KEY ("trialId") REFERENCES "Trial" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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
