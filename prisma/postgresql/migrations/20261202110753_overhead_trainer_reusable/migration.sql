-- AlterTable
ALTER TABLE "Trainer" ADD COLUMN     "reusable" BOOLEAN NOT NULL DEFAULT false;
