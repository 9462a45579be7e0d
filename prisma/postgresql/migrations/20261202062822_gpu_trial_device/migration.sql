-- AlterTable
ALTER TABLE "Trial" ADD COLUMN     "device" JSONB;
