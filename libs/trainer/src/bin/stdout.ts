/**
 * Trainer executables own stdout for protocol lines: anything a library prints through
 * console.log/info/debug goes to stderr instead.
 */
export function reserveStdoutForProtocol(): (line: string) => void {
  const toStderr = (...args: unknown[]) => console.error(...args);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  return (line) => {
    process.stdout.write(`${line}\n`);
  };
}

export function fail(prefix: string, err: unknown, code = 1): never {
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`${prefix}: ${msg}\n`);
  process.exit(code);
}
