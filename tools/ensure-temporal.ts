/** Prints the path of a working `temporal` CLI, installing it into .tools/bin if needed. */
import { ensureTemporal, TemporalInstallError } from './lib/temporal-cli';

const quiet = process.argv.includes('--quiet');
try {
  const path = await ensureTemporal(quiet ? () => {} : (m) => console.error(`[temporal] ${m}`));
  console.log(path);
} catch (err) {
  console.error(err instanceof TemporalInstallError ? err.message : err);
  process.exit(1);
}
