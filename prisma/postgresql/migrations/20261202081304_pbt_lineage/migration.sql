-- AlterTable
ALTER TABLE "Trial" ADD COLUMN     "pbt" JSONB;
