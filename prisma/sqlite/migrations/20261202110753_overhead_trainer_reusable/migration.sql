-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Trainer" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "command" JSONB NOT NULL,
    "cwd" TEXT,
    "reusable" BOOLEAN NOT NULL DEFAULT false,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_Trainer" ("command", "createdAt", "createdBy", "cwd", "name") SELECT "command", "createdAt", "createdBy", "cwd", "name" FROM "Trainer";
DROP TABLE "Trainer";
ALTER TABLE "new_Trainer" RENAME TO "Trainer";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
