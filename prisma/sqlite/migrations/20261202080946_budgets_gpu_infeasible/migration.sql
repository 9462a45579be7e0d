-- AlterTable
ALTER TABLE "Sweep" ADD COLUMN "gpuHoursBudget" REAL;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Trial" (
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
    "device" JSONB,
    "gpuSeconds" REAL,
    "infeasible" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    CONSTRAINT "Trial_sweepId_fkey" FOREIGN KEY ("sweepId") REFERENCES "Sweep" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Trial" ("artifact", "attempts", "createdAt", "device", "error", "finishedAt", "id", "number", "objective", "params", "slot", "startedAt", "status", "sweepId", "values", "worker") SELECT "artifact", "attempts", "createdAt", "device", "error", "finishedAt", "id", "number", "objective", "params", "slot", "startedAt", "status", "sweepId", "values", "worker" FROM "Trial";
DROP TABLE "Trial";
ALTER TABLE "new_Trial" RENAME TO "Trial";
CREATE INDEX "Trial_sweepId_status_idx" ON "Trial"("sweepId", "status");
CREATE UNIQUE INDEX "Trial_sweepId_number_key" ON "Trial"("sweepId", "number");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
