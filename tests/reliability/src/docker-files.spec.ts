import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@retune/worker';
import { POSTGRES_RELIABILITY_FLAGS } from './harness/private-postgres';

/**
 * docker/ is never built here (no Docker engine in CI), so it is checked statically: the compose
 * file parses, its services, builds, commands and environment refer to things that exist, and
 * the Dockerfile builds what compose runs.
 */
interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }> | string[];
  working_dir?: string;
  volumes?: string[];
  healthcheck?: unknown;
}

const composeDir = join(repoRoot, 'docker');
const compose = parse(readFileSync(join(composeDir, 'compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
};
const services = compose.services;
const retuneServices = Object.entries(services).filter(([, s]) => s.build);
const dockerfile = readFileSync(join(composeDir, 'Dockerfile'), 'utf8');

/** Keys of an env.ts zod schema that have neither a default nor .optional(). */
function requiredEnvKeys(envTs: string): string[] {
  const text = readFileSync(join(repoRoot, envTs), 'utf8');
  return [...text.matchAll(/^\s+([A-Z][A-Z0-9_]+): (z\..*)$/gm)]
    .filter(([, , rule]) => !/\.default\(|\.optional\(\)/.test(rule!))
    .map(([, key]) => key!);
}

describe('docker/compose.yaml', () => {
  it('runs the whole stack: database, Temporal, migration, both worker roles, dashboard', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining([
        'postgres',
        'temporal',
        'migrate',
        'control-worker',
        'gpu-worker',
        'dashboard',
      ]),
    );
  });

  it('pins every image and builds Retune services from docker/Dockerfile at the repo root', () => {
    for (const [name, s] of Object.entries(services)) {
      if (s.image) expect(s.image, name).toMatch(/:[\w.-]+$/);
      if (s.image) expect(s.image, name).not.toMatch(/:latest$/);
      if (s.build) {
        const context = resolve(composeDir, s.build.context);
        expect(context + '/', name).toBe(repoRoot);
        expect(existsSync(join(context, s.build.dockerfile)), name).toBe(true);
      }
    }
  });

  it('depends only on services that exist, with valid conditions', () => {
    const conditions = ['service_started', 'service_healthy', 'service_completed_successfully'];
    for (const [name, s] of Object.entries(services)) {
      const deps = Array.isArray(s.depends_on)
        ? Object.fromEntries(s.depends_on.map((d) => [d, { condition: 'service_started' }]))
        : (s.depends_on ?? {});
      for (const [dep, { condition }] of Object.entries(deps)) {
        expect(services[dep], `${name} depends on ${dep}`).toBeDefined();
        expect(conditions, `${name} → ${dep}`).toContain(condition);
        if (condition === 'service_healthy') expect(services[dep]!.healthcheck).toBeDefined();
      }
    }
  });

  it('runs scripts that exist, with worker flags the worker knows', () => {
    for (const [name, s] of retuneServices) {
      const cmd = s.command ?? [];
      const tsx = cmd.indexOf('tsx');
      if (tsx >= 0) expect(existsSync(join(repoRoot, cmd[tsx + 1]!)), `${name}: ${cmd}`).toBe(true);
      if (cmd.includes('apps/worker/src/main.ts')) {
        const flags = cmd.filter((a) => a.startsWith('--'));
        for (const f of flags) expect(['--queues', '--gpus', '--slots'], name).toContain(f);
        const queues = cmd[cmd.indexOf('--queues') + 1]!.split(',');
        for (const q of queues) expect(['control', 'gpu'], name).toContain(q);
      }
    }
    const dashboard = services.dashboard!;
    expect(dashboard.working_dir).toBe('/app/apps/dashboard');
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'apps/dashboard/package.json'), 'utf8'));
    expect(pkg.scripts.build).toMatch(/next build/);
    expect(dashboard.command?.slice(0, 3)).toEqual(['npx', 'next', 'start']);
  });

  it('points every Retune process at the shared PostgreSQL and Temporal', () => {
    const pg = services.postgres!.environment!;
    const required = new Set([
      'DATABASE_URL',
      'TEMPORAL_ADDRESS',
      ...requiredEnvKeys('apps/worker/src/env.ts'),
      ...requiredEnvKeys('apps/dashboard/src/env.ts'),
      ...requiredEnvKeys('apps/cli/src/env.ts'),
    ]);
    for (const [name, s] of retuneServices) {
      const env = s.environment ?? {};
      for (const key of required) expect(env[key], `${name} lacks ${key}`).toBeDefined();
      const db = new URL(String(env.DATABASE_URL));
      expect(db.protocol).toBe('postgresql:');
      expect(db.hostname).toBe('postgres');
      expect(db.username).toBe(pg.POSTGRES_USER);
      expect(db.password).toBe(pg.POSTGRES_PASSWORD);
      expect(db.pathname).toBe(`/${pg.POSTGRES_DB}`);
      expect(String(env.TEMPORAL_ADDRESS)).toMatch(/^temporal:7233$/);
    }
  });

  it('runs PostgreSQL with the settings the reliability suite tests under', () => {
    const command = services.postgres!.command ?? [];
    expect(command[0]).toBe('postgres');
    for (const flag of POSTGRES_RELIABILITY_FLAGS) expect(command).toContain(flag.split(' ')[1]);
  });

  it('gives GPU workers one shared work directory, so a retried trial finds its checkpoint', () => {
    // Without it each container keeps checkpoints in its own .data/work, and a trial moved to
    // another worker silently starts over.
    const gpu = services['gpu-worker']!;
    const workDir = String(gpu.environment?.RETUNE_WORK_DIR ?? '');
    expect(workDir).not.toBe('');
    const mount = (gpu.volumes ?? []).find((v) => v.split(':')[1] === workDir);
    expect(mount, `a volume mounted at ${workDir}`).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(mount!.split(':')[0]);
  });
});

describe('docker/Dockerfile', () => {
  it('uses a pinned Node that satisfies the engines field', () => {
    const from = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]!);
    expect(from.length).toBeGreaterThan(0);
    const engines = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).engines.node;
    const want = Number(/(\d+)/.exec(engines)![1]);
    const node = from.find((f) => f.startsWith('node:'))!;
    expect(Number(/^node:(\d+)/.exec(node)![1])).toBeGreaterThanOrEqual(want);
  });

  it('runs every Retune process as a non-root user that owns the work folder', () => {
    const users = [...dockerfile.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]!);
    expect(users.length, 'the Dockerfile sets USER').toBeGreaterThan(0);
    const last = users.at(-1)!;
    expect(['root', '0', '0:0']).not.toContain(last);
    expect(dockerfile).toMatch(new RegExp(`useradd[^\\n]*\\b${last}\\b`));
    expect(dockerfile).toMatch(new RegExp(`chown -R ${last}:${last} /data`));
    for (const [name, s] of retuneServices) {
      const user = (s as { user?: string | number }).user;
      expect(user === undefined || !/^(root|0)(:|$)/.test(String(user)), name).toBe(true);
    }
  });

  it('builds the dashboard workspace and defaults to a worker script that exists', () => {
    const build = /npm run build --workspace (\S+)/.exec(dockerfile)![1];
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'apps/dashboard/package.json'), 'utf8'));
    expect(build).toBe(pkg.name);
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
    expect(existsSync(join(repoRoot, cmd[cmd.indexOf('tsx') + 1]!))).toBe(true);
  });

  it('keeps local state and dependencies out of the build context', () => {
    const ignore = readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split('\n');
    for (const p of ['node_modules', '.data', '.tools']) expect(ignore).toContain(p);
  });
});
