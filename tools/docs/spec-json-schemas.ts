import { z } from 'zod';
import { PRUNER_TYPE_ALIASES, retrainScheduleSpecSchema, sweepSpecSchema } from '@retune/core';

/** A JSON Schema node, loosely typed: the generator reads and patches what zod emits. */
export type JsonSchema = { [key: string]: unknown };

/** Where a zod refinement sits, the reference lists its message (null: a check across fields). */
export const CHECKS_KEY = 'x-retune-checks';

/**
 * The JSON Schemas of the spec files, from libs/core's zod schemas. They describe what a user
 * writes (zod's `io: 'input'`: fields with defaults are optional, `default` is shown). Draft-07,
 * which editors' YAML language server reads. `annotateChecks` marks the refinements JSON Schema
 * cannot express, for the Markdown reference; the published files leave it out.
 */
export function specJsonSchemas({ annotateChecks } = { annotateChecks: false }): {
  sweepSpec: JsonSchema;
  retrainSchedule: JsonSchema;
} {
  const toJsonSchema = (schema: z.ZodType, title: string) =>
    jsonSchemaOf(schema, title, annotateChecks);
  const sweepSpec = toJsonSchema(sweepSpecSchema, 'Retune sweep spec');
  acceptPrunerAliases(sweepSpec);
  showDefaults(sweepSpec, sweepSpecSchema);

  const retrainSchedule = toJsonSchema(retrainScheduleSpecSchema, 'Retune retrain schedule');
  // `spec` is parsed by parseSweepSpec inside a transform, which JSON Schema sees as "anything":
  // point it at the sweep spec's schema instead, embedded so the file stands alone.
  const { $schema: _, title: __, ...embedded } = sweepSpec;
  const properties = retrainSchedule.properties as Record<string, JsonSchema>;
  // Draft-07 ignores a $ref's siblings, so the description stays beside an allOf.
  properties.spec = { ...properties.spec, allOf: [{ $ref: '#/definitions/SweepSpec' }] };
  retrainSchedule.definitions = { SweepSpec: embedded };
  return { sweepSpec, retrainSchedule };
}

function jsonSchemaOf(schema: z.ZodType, title: string, annotateChecks: boolean): JsonSchema {
  const json = z.toJSONSchema(schema, {
    io: 'input',
    target: 'draft-7',
    // A part JSON Schema cannot express becomes `{}` (any value); the reference says so.
    unrepresentable: 'any',
    override: annotateChecks
      ? ({ zodSchema, jsonSchema }) => {
          const messages = refinementMessages(zodSchema);
          if (messages.length > 0) jsonSchema[CHECKS_KEY] = messages;
        }
      : undefined,
  }) as JsonSchema;
  const { $schema, ...rest } = json;
  return { $schema, title, ...rest };
}

/** zod leaves out the default of a preprocessed field (earlyStopping): take it from the schema. */
function showDefaults(json: JsonSchema, schema: z.ZodObject): void {
  const properties = json.properties as Record<string, JsonSchema>;
  for (const [key, field] of Object.entries(schema.shape)) {
    if (!(field instanceof z.ZodDefault) || 'default' in properties[key]!) continue;
    properties[key] = { default: field.def.defaultValue, ...properties[key] };
  }
}

/**
 * `earlyStopping` is preprocessed (aliases → pruner names) before zod checks it, and zod exports
 * only the checked side: accept the aliases where their pruner's `type` is accepted.
 */
function acceptPrunerAliases(sweepSpec: JsonSchema): void {
  const earlyStopping = (sweepSpec.properties as Record<string, JsonSchema>).earlyStopping;
  const variants = (earlyStopping?.oneOf ?? earlyStopping?.anyOf) as JsonSchema[] | undefined;
  if (!variants) throw new Error('earlyStopping is no longer a union of pruners: update this');
  for (const variant of variants) {
    const type = (variant.properties as Record<string, JsonSchema>).type!;
    const aliases = Object.keys(PRUNER_TYPE_ALIASES).filter(
      (alias) => PRUNER_TYPE_ALIASES[alias] === type.const,
    );
    if (aliases.length === 0) continue;
    const { const: name, ...rest } = type;
    (variant.properties as Record<string, JsonSchema>).type = { ...rest, enum: [name, ...aliases] };
  }
}

/** `.refine(fn, message)` keeps its message; `.superRefine` computes its own (null here). */
function refinementMessages(schema: z.core.$ZodType): (string | null)[] {
  return (schema._zod.def.checks ?? [])
    .map((check) => check._zod.def as { check: string; error?: () => unknown })
    .filter((def) => def.check === 'custom')
    .map((def) => {
      const message = def.error?.();
      return typeof message === 'string' ? message : null;
    });
}
