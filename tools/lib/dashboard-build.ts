import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * `npm start` reuses the dashboard's production build while nothing it was built from changed:
 * a hash of the dashboard's sources, the workspace libs it bundles, the lockfile and the
 * NEXT_PUBLIC_ variables is stored beside the build and compared on the next start.
 */
export const BUILD_STAMP = 'retune-sources.sha256';

/** Folders and files a build never reads (outputs, caches, tests run elsewhere). */
const SKIP =
  /(^|\/)(node_modules|\.next[^/]*|e2e|test-artifacts|coverage)(\/|$)|\.tsbuildinfo$|(^|\/)next-env\.d\.ts$/;

/** The workspace folders `dir`'s package depends on, itself first, transitively. */
export function workspaceClosure(repoRoot: string, dir: string): string[] {
  const byName = new Map<string, string>();
  for (const group of ['apps', 'libs']) {
    for (const name of readdirSync(join(repoRoot, group))) {
      const pkg = join(repoRoot, group, name, 'package.json');
      if (existsSync(pkg))
        byName.set(JSON.parse(readFileSync(pkg, 'utf8')).name, join(group, name));
    }
  }
  const seen: string[] = [];
  const visit = (d: string) => {
    if (seen.includes(d)) return;
    seen.push(d);
    const pkg = JSON.parse(readFileSync(join(repoRoot, d, 'package.json'), 'utf8'));
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      const depDir = byName.get(dep);
      if (depDir) visit(depDir);
    }
  };
  visit(dir);
  return seen;
}

function filesUnder(root: string, rel: string, out: string[]): void {
  const abs = join(root, rel);
  if (SKIP.test(rel) || !existsSync(abs)) return;
  if (!statSync(abs).isDirectory()) {
    out.push(rel);
    return;
  }
  for (const name of readdirSync(abs)) filesUnder(root, rel ? `${rel}/${name}` : name, out);
}

/** sha256 over the paths and contents of every file under `paths` (relative to `root`). */
export function hashSources(root: string, paths: string[], extra = ''): string {
  const files: string[] = [];
  for (const p of paths) filesUnder(root, relative(root, join(root, p)), files);
  const hash = createHash('sha256').update(extra);
  for (const f of [...new Set(files)].sort()) {
    hash.update(`\0${f}\0`).update(readFileSync(join(root, f)));
  }
  return hash.digest('hex');
}

/** Everything the dashboard's build depends on, as one hash. */
export function dashboardSourcesHash(repoRoot: string, env: NodeJS.ProcessEnv): string {
  const publicEnv = Object.entries(env)
    .filter(([k]) => k.startsWith('NEXT_PUBLIC_'))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
  const packages = workspaceClosure(repoRoot, 'apps/dashboard');
  return hashSources(repoRoot, [...packages, 'package-lock.json', 'tsconfig.base.json'], publicEnv);
}

/** Whether to build: no build yet, no stamp (built by hand or interrupted), or other sources. */
export function dashboardBuildNeeded(
  build: { exists: boolean; stamp: string | undefined },
  sourcesHash: string,
): { build: boolean; why: string } {
  if (!build.exists) return { build: true, why: 'no production build yet' };
  if (build.stamp === undefined) return { build: true, why: 'the build has no source stamp' };
  if (build.stamp.trim() !== sourcesHash) return { build: true, why: 'its sources changed' };
  return { build: false, why: 'its sources are unchanged' };
}

/** Builds the dashboard into `distDir` unless the build there matches the current sources. */
export async function ensureDashboardBuild(opts: {
  repoRoot: string;
  distDir: string;
  env: NodeJS.ProcessEnv;
  build: () => Promise<number | null>;
  log: (msg: string) => void;
}): Promise<void> {
  const stampPath = join(opts.distDir, BUILD_STAMP);
  const hash = dashboardSourcesHash(opts.repoRoot, opts.env);
  const decision = dashboardBuildNeeded(
    {
      exists: existsSync(join(opts.distDir, 'BUILD_ID')),
      stamp: existsSync(stampPath) ? readFileSync(stampPath, 'utf8') : undefined,
    },
    hash,
  );
  if (!decision.build) {
    opts.log(`reusing the dashboard build (${decision.why})`);
    return;
  }
  opts.log(`building the dashboard (${decision.why})…`);
  rmSync(stampPath, { force: true });
  if ((await opts.build()) !== 0) throw new Error('dashboard build failed');
  // Written only after a successful build, so an interrupted one is rebuilt next time.
  writeFileSync(stampPath, hash);
}
