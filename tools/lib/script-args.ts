/**
 * The command line of a benchmark or test script: `--name value` options and `--flag`s. Scripts
 * take few options, each with a default, so this is all they need (no parser dependency).
 */
export function scriptArg(name: string, fallback: string, argv = process.argv): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : fallback;
}

/** A numeric option; a value that is not a number reads as NaN, for the script to reject. */
export function scriptNumber(name: string, fallback: number, argv = process.argv): number {
  return Number(scriptArg(name, String(fallback), argv));
}

/** Whether `--name` was given. */
export function scriptFlag(name: string, argv = process.argv): boolean {
  return argv.includes(`--${name}`);
}
