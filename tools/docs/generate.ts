import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { generatedDocs, ROOT } from './generated-docs';

/** `npm run docs:generate`: writes the spec JSON Schemas and their Markdown references. */
for (const [path, content] of await generatedDocs()) {
  mkdirSync(dirname(ROOT + path), { recursive: true });
  writeFileSync(ROOT + path, content);
  console.log(`wrote ${path}`);
}
