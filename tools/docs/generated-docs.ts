import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { schemaReference } from './schema-reference';
import { specJsonSchemas } from './spec-json-schemas';

/** The repository root; generated paths are relative to it. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const GENERATE_COMMAND = 'npm run docs:generate';

/** How an editor finds the schema, shown with an example file that does it. */
const schemaLine = (file: string, example: string, relativePath: string) =>
  `Editors with the YAML language server (VS Code's YAML extension, for one) validate and complete ` +
  `a file whose first line points at the JSON Schema [schema/${file}](schema/${file}), relative ` +
  `to the file; \`${example}\` starts with \`# yaml-language-server: $schema=${relativePath}\`.`;

/**
 * Every generated file under docs/, path → content, formatted as prettier would: the generator
 * writes these and the staleness test compares them with the committed ones.
 */
export async function generatedDocs(): Promise<Map<string, string>> {
  const published = specJsonSchemas();
  const annotated = specJsonSchemas({ annotateChecks: true });
  const files: [string, string][] = [
    ['docs/schema/sweep-spec.schema.json', JSON.stringify(published.sweepSpec)],
    ['docs/schema/retrain-schedule.schema.json', JSON.stringify(published.retrainSchedule)],
    [
      'docs/sweep-spec-reference.md',
      schemaReference(annotated.sweepSpec, {
        title: 'Sweep spec reference',
        intro: [
          'Every field of a sweep spec (YAML or JSON), from `sweepSpecSchema` in libs/core. ' +
            'The guide with examples: [sweep-spec.md](sweep-spec.md).',
          schemaLine(
            'sweep-spec.schema.json',
            'examples/demo-sweep.yaml',
            '../docs/schema/sweep-spec.schema.json',
          ),
        ],
        refs: {},
        rootName: 'the spec as a whole',
      }),
    ],
    [
      'docs/retrain-schedule-reference.md',
      schemaReference(annotated.retrainSchedule, {
        title: 'Retrain schedule reference',
        intro: [
          'Every field of a retrain schedule file, from `retrainScheduleSpecSchema` in libs/core. ' +
            'The guide: [retraining.md](retraining.md).',
          schemaLine(
            'retrain-schedule.schema.json',
            'examples/schedules/nightly-retrain.yaml',
            '../../docs/schema/retrain-schedule.schema.json',
          ),
        ],
        refs: {
          '#/definitions/SweepSpec':
            'a sweep spec: see the [sweep spec reference](sweep-spec-reference.md)',
        },
        rootName: 'the schedule as a whole',
      }),
    ],
  ];
  const formatted = await Promise.all(
    files.map(async ([path, text]) => [path, await formatLike(path, text)] as const),
  );
  return new Map(formatted);
}

async function formatLike(path: string, text: string): Promise<string> {
  const filepath = ROOT + path;
  const config = await resolveConfig(filepath);
  return format(text, { ...config, filepath });
}
