-- AlterTable
ALTER TABLE "BaseModel" ADD COLUMN     "meta" JSONB;
