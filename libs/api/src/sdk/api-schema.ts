import { z } from 'zod';
import { appRouter } from '../root';

/** The procedures the Python SDK (sdk/python) calls; its api_schema.json describes exactly these. */
export const SDK_PROCEDURES = [
  'auth.me',
  'sweep.launch',
  'sweep.list',
  'sweep.get',
  'sweep.metrics',
  'sweep.curves',
  'sweep.pareto',
  'sweep.cancel',
  'sweep.control',
  'trial.get',
  'compare.trials',
  'model.list',
  'model.promote',
  'model.registerTrial',
] as const;

/** What tRPC keeps of a procedure: its kind and the zod schemas it parses with. */
interface ProcedureDef {
  type: 'query' | 'mutation' | 'subscription';
  inputs: z.ZodType[];
  output?: z.ZodType;
}

export interface SdkApiSchema {
  note: string;
  procedures: Record<string, { type: string; input: unknown; output: unknown }>;
}

const jsonSchema = (schema: z.ZodType | undefined, io: 'input' | 'output') =>
  schema ? z.toJSONSchema(schema, { io, unrepresentable: 'any' }) : {};

/**
 * JSON Schemas of the SDK's procedures, from the very zod schemas the server parses with: the
 * Python client checks its requests against them, and a test fails when the committed copy
 * (sdk/python/src/retune/api_schema.json) no longer matches the router.
 */
export function sdkApiSchema(): SdkApiSchema {
  const procedures = (appRouter._def as unknown as { procedures: Record<string, unknown> })
    .procedures;
  const out: SdkApiSchema['procedures'] = {};
  for (const path of SDK_PROCEDURES) {
    const def = (procedures[path] as { _def: ProcedureDef } | undefined)?._def;
    if (!def) throw new Error(`SDK procedure ${path} is not in the router`);
    if (def.inputs.length > 1) throw new Error(`SDK procedure ${path} has several input parsers`);
    out[path] = {
      type: def.type,
      input: def.inputs[0] ? jsonSchema(def.inputs[0], 'input') : null,
      output: jsonSchema(def.output, 'output'),
    };
  }
  return {
    note: 'Generated from the tRPC router by libs/api/src/sdk/api-schema.ts; do not edit. Regenerate: RETUNE_WRITE_SDK_SCHEMA=1 npx vitest run src/sdk/api-schema.spec.ts (in libs/api).',
    procedures: out,
  };
}
