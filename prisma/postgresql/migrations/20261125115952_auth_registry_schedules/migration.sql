-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'user',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrialLog" (
    "id" SERIAL NOT NULL,
    "trialId" TEXT NOT NULL,
    "stream" TEXT NOT NULL,
    "line" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrialLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RetrainSchedule" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "task" TEXT NOT NULL,
    "spec" JSONB NOT NULL,
    "policy" TEXT NOT NULL,
    "cron" TEXT,
    "intervalSeconds" INTEGER,
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "overlapPolicy" TEXT NOT NULL DEFAULT 'skip',
    "catchupWindowSeconds" INTEGER NOT NULL DEFAULT 3600,
    "promoteMargin" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "webhookUrl" TEXT,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "temporalScheduleId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RetrainSchedule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RetrainRun" (
    "id" TEXT NOT NULL,
    "scheduleId" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "reason" TEXT,
    "forced" BOOLEAN NOT NULL DEFAULT false,
    "snapshotId" TEXT,
    "sweepId" TEXT,
    "candidateVersionId" TEXT,
    "championVersionId" TEXT,
    "candidateMetric" DOUBLE PRECISION,
    "championMetric" DOUBLE PRECISION,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "RetrainRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DatasetSnapshot" (
    "id" TEXT NOT NULL,
    "dataset" TEXT NOT NULL,
    "fileCount" INTEGER NOT NULL,
    "contentHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DatasetSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelVersion" (
    "id" TEXT NOT NULL,
    "task" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "artifact" TEXT NOT NULL,
    "metricName" TEXT NOT NULL,
    "metricValue" DOUBLE PRECISION,
    "metrics" JSONB NOT NULL,
    "params" JSONB NOT NULL,
    "baseModel" TEXT NOT NULL,
    "dataset" TEXT NOT NULL,
    "isChampion" BOOLEAN NOT NULL DEFAULT false,
    "sweepId" TEXT,
    "trialId" TEXT,
    "retrainRunId" TEXT,
    "snapshotId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "promotedAt" TIMESTAMP(3),

    CONSTRAINT "ModelVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChampionChange" (
    "id" TEXT NOT NULL,
    "task" TEXT NOT NULL,
    "modelVersionId" TEXT NOT NULL,
    "previousVersionId" TEXT,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChampionChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "Session_tokenHash_key" ON "Session"("tokenHash");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ApiToken_userId_idx" ON "ApiToken"("userId");

-- CreateIndex
CREATE INDEX "TrialLog_trialId_id_idx" ON "TrialLog"("trialId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "RetrainSchedule_name_key" ON "RetrainSchedule"("name");

-- CreateIndex
CREATE UNIQUE INDEX "RetrainSchedule_temporalScheduleId_key" ON "RetrainSchedule"("temporalScheduleId");

-- CreateIndex
CREATE UNIQUE INDEX "RetrainRun_workflowId_key" ON "RetrainRun"("workflowId");

-- CreateIndex
CREATE INDEX "RetrainRun_scheduleId_startedAt_idx" ON "RetrainRun"("scheduleId", "startedAt");

-- CreateIndex
CREATE INDEX "DatasetSnapshot_dataset_createdAt_idx" ON "DatasetSnapshot"("dataset", "createdAt");

-- CreateIndex
CREATE INDEX "ModelVersion_task_isChampion_idx" ON "ModelVersion"("task", "isChampion");

-- CreateIndex
CREATE UNIQUE INDEX "ModelVersion_task_version_key" ON "ModelVersion"("task", "version");

-- CreateIndex
CREATE INDEX "ChampionChange_task_createdAt_idx" ON "ChampionChange"("task", "createdAt");

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RetrainRun" ADD CONSTRAINT "RetrainRun_scheduleId_fkey" FOREIGN KEY ("scheduleId") REFERENCES "RetrainSchedule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RetrainRun" ADD CONSTRAINT "RetrainRun_snapshotId_fkey" FOREIGN KEY ("snapshotId") REFERENCES "DatasetSnapshot"("id") ON DELETE SET NULL ON UPDATE CASCADE;
