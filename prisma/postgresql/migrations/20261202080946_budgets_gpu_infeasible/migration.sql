-- AlterTable
ALTER TABLE "Sweep" ADD COLUMN     "gpuHoursBudget" DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "Trial" ADD COLUMN     "gpuSeconds" DOUBLE PRECISION,
ADD COLUMN     "infeasible" BOOLEAN NOT NULL DEFAULT false;
