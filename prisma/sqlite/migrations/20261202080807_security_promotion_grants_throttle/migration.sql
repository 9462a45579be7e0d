-- CreateTable
CREATE TABLE "PromotionGrant" (
    "userId" TEXT NOT NULL,
    "task" TEXT NOT NULL,
    "grantedBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("userId", "task"),
    CONSTRAINT "PromotionGrant_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SignInFailure" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "failures" INTEGER NOT NULL,
    "lockedUntil" DATETIME NOT NULL,
    "lastFailure" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "SignInFailure_lastFailure_idx" ON "SignInFailure"("lastFailure");
