import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { CliError } from '../errors';

/** A spec file (sweep or schedule) as plain data; unreadable files and bad YAML exit 2. */
export function readYamlFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${path}: ${(err as Error).message}`, 2);
  }
  try {
    return parseYaml(text);
  } catch (err) {
    throw new CliError(`${path} is not valid YAML: ${(err as Error).message}`, 2);
  }
}
