import { existsSync, readdirSync } from 'node:fs';

/** An export writes only into a new or empty folder, so nothing of the user's is overwritten. */
export function assertEmptyExportDir(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new Error(`${dir} is not empty: export into a new or empty folder`);
  }
}
