import type { CurveBudget } from '@retune/core';
import { Prisma } from '../generated/sqlite/client';

/**
 * The query behind metricRepository.curvesForSweep, the same SQL on SQLite and PostgreSQL
 * (recursive CTE, correlated subqueries, integer division; parameters cast so PostgreSQL
 * knows their types):
 *  1. `best`, `span`: the best `curves` trials by objective (unscored last, then by number),
 *     each with its first and last epoch of the metric (two index seeks);
 *  2. `targets`: `points` evenly spaced epochs over each span, rounded half up (the rule of
 *     core's curveTargetEpochs; BIGINT because i × span may pass 2^31 on PostgreSQL);
 *  3. `picked`: the last step of the last stored epoch at or before each target (one
 *     backward seek in the (trialId, name, epoch, step) index; epochs may have gaps), then
 *     its value by primary key.
 */
export function thinnedCurvesSql(
  sweepId: string,
  name: string,
  budget: CurveBudget,
  goal: 'maximize' | 'minimize',
): Prisma.Sql {
  const points = Math.max(2, Math.floor(budget.pointsPerCurve));
  const order = goal === 'minimize' ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  const int = (n: number) => Prisma.sql`CAST(${n} AS INTEGER)`;
  return Prisma.sql`
    WITH RECURSIVE seq(i) AS (
      SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < ${int(points)}
    ),
    best AS (
      SELECT t."id" AS "trialId" FROM "Trial" t WHERE t."sweepId" = ${sweepId}
      ORDER BY (CASE WHEN t."objective" IS NULL THEN 1 ELSE 0 END), t."objective" ${order}, t."number"
      LIMIT ${int(budget.curves)}
    ),
    span AS MATERIALIZED (
      SELECT b."trialId",
        (SELECT m."epoch" FROM "MetricPoint" m WHERE m."trialId" = b."trialId" AND m."name" = ${name}
          ORDER BY m."epoch" ASC LIMIT 1) AS lo,
        (SELECT m."epoch" FROM "MetricPoint" m WHERE m."trialId" = b."trialId" AND m."name" = ${name}
          ORDER BY m."epoch" DESC LIMIT 1) AS hi
      FROM best b
    ),
    targets AS (
      SELECT DISTINCT s."trialId",
        s.lo + (CAST(seq.i AS BIGINT) * (s.hi - s.lo) + ${int(Math.floor((points - 1) / 2))}) / ${int(points - 1)} AS target
      FROM span s CROSS JOIN seq WHERE s.hi IS NOT NULL
    ),
    picked AS (
      SELECT DISTINCT
        (SELECT m."id" FROM "MetricPoint" m
          WHERE m."trialId" = g."trialId" AND m."name" = ${name} AND m."epoch" <= g.target
          ORDER BY m."epoch" DESC, m."step" DESC LIMIT 1) AS id
      FROM targets g
    )
    SELECT m."trialId", m."epoch", m."value"
    FROM picked p JOIN "MetricPoint" m ON m."id" = p.id
    ORDER BY m."trialId", m."epoch"`;
}
