import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '@retune/core';
import { createUser } from '../domain/auth/users';
import { appRouter } from '../root';
import { FakeScheduleGateway } from '../temporal/schedule-gateway.fake';
import { FakeCookies, useTestApi } from '../test-support/context';
import { seedFinishedSweep } from '../test-support/seed-sweep';

/**
 * Who may call each procedure. A procedure missing here fails the first test: a new procedure
 * must be given a rule (viewerProcedure / memberProcedure / adminProcedure) and a row here.
 */
const ACCESS: Record<string, 'public' | Role> = {
  'auth.signIn': 'public',
  'auth.signOut': 'viewer',
  'auth.me': 'viewer',
  'auth.changePassword': 'viewer',
  'auth.promotionTasks': 'viewer',
  'token.create': 'viewer',
  'token.list': 'viewer',
  'token.revoke': 'viewer',
  'sweep.list': 'viewer',
  'sweep.get': 'viewer',
  'sweep.metrics': 'viewer',
  'sweep.importance': 'viewer',
  'sweep.pareto': 'viewer',
  'sweep.pbtFamily': 'viewer',
  'sweep.curves': 'viewer',
  'sweep.formOptions': 'viewer',
  'sweep.overview': 'viewer',
  'sweep.trials': 'viewer',
  'sweep.chartTrials': 'viewer',
  'sweep.launch': 'member',
  'sweep.cancel': 'member',
  'sweep.control': 'member',
  'trial.get': 'viewer',
  'trial.logs': 'viewer',
  'compare.trials': 'viewer',
  'model.list': 'viewer',
  'model.get': 'viewer',
  'model.history': 'viewer',
  'model.card': 'viewer',
  'model.baseModels': 'viewer',
  'model.promote': 'member',
  'model.registerTrial': 'member',
  'schedule.list': 'viewer',
  'schedule.get': 'viewer',
  'schedule.create': 'member',
  'schedule.update': 'member',
  'schedule.pause': 'member',
  'schedule.resume': 'member',
  'schedule.trigger': 'member',
  'schedule.remove': 'admin',
  'trainer.list': 'viewer',
  'trainer.register': 'admin',
  'user.list': 'admin',
  'user.create': 'admin',
  'user.setRole': 'admin',
  'user.grants': 'admin',
  'user.grantPromotion': 'admin',
  'user.revokePromotion': 'admin',
  'audit.list': 'admin',
};

type Procedures = Record<string, { _def: { type: string; meta?: { access?: string } } }>;
const procedures = appRouter._def.procedures as unknown as Procedures;

const api = useTestApi();

/** The tRPC code a call ends with ('ok' if it succeeds). Inputs are deliberately invalid. */
async function codeOf(
  caller: ReturnType<typeof api.caller>,
  path: string,
  input: unknown,
): Promise<string> {
  const [group, name] = path.split('.') as [string, string];
  const fn = (
    caller as unknown as Record<string, Record<string, (i: unknown) => Promise<unknown>>>
  )[group]![name]!;
  try {
    await fn(input);
    return 'ok';
  } catch (err) {
    return err instanceof TRPCError ? err.code : String(err);
  }
}

describe('procedure access', () => {
  it('every procedure of the app router has a rule, here and in its meta', () => {
    expect(Object.keys(procedures).sort()).toEqual(Object.keys(ACCESS).sort());
    for (const [path, p] of Object.entries(procedures)) {
      expect(p._def.meta?.access, path).toBe(ACCESS[path]);
    }
  });

  // The role check runs before input parsing: a refused role gets FORBIDDEN, an allowed one
  // gets as far as the (invalid) input. Nothing is stored either way.
  for (const role of ROLES) {
    it(`a ${role} is refused exactly the procedures above its role`, async () => {
      const caller = api.caller({ id: `u-${role}`, role }, { cookies: new FakeCookies() });
      for (const [path, needed] of Object.entries(ACCESS)) {
        if (needed === 'public') continue;
        const allowed = ROLES.indexOf(role) >= ROLES.indexOf(needed);
        const code = await codeOf(caller, path, 'not an input');
        if (allowed) expect(code, `${role} → ${path}`).not.toBe('FORBIDDEN');
        else expect(code, `${role} → ${path}`).toBe('FORBIDDEN');
      }
    });
  }

  it('a read-only token may call queries only, whatever its role', async () => {
    const caller = api.caller({ id: 'u-ro', role: 'admin', tokenId: 'tok_ro', readOnly: true });
    for (const [path, needed] of Object.entries(ACCESS)) {
      if (needed === 'public') continue;
      const code = await codeOf(caller, path, 'not an input');
      const isQuery = procedures[path]!._def.type === 'query';
      if (isQuery) expect(code, path).not.toBe('FORBIDDEN');
      else expect(code, path).toBe('FORBIDDEN');
    }
  });
});

/**
 * Promotion is per task: who may make a model of task "digits" the champion, directly or by a
 * retrain schedule that will promote on its own. Each row is a caller and its grants.
 */
const PROMOTERS: { who: string; role: Role; grants: string[]; allowed: boolean }[] = [
  { who: 'viewer', role: 'viewer', grants: [], allowed: false },
  { who: 'member without grants', role: 'member', grants: [], allowed: false },
  { who: 'member granted another task', role: 'member', grants: ['faces'], allowed: false },
  { who: 'member granted the task', role: 'member', grants: ['digits'], allowed: true },
  { who: 'member granted a prefix', role: 'member', grants: ['dig*'], allowed: true },
  { who: 'member granted every task', role: 'member', grants: ['*'], allowed: true },
  { who: 'admin without grants', role: 'admin', grants: [], allowed: true },
];

describe('promotion rights per task', () => {
  for (const [i, row] of PROMOTERS.entries()) {
    it(`a ${row.who} ${row.allowed ? 'may' : 'may not'} promote on "digits"`, async () => {
      const user = await createUser(api, {
        email: `p${i}@test`,
        password: 'promoter-password',
        role: row.role === 'viewer' ? 'member' : row.role,
      });
      for (const task of row.grants) {
        await api.repos.promotionGrants.grant({ userId: user.id, task, grantedBy: 'test' });
      }
      const caller = api.caller(
        { id: user.id, email: user.email, role: row.role },
        { schedules: new FakeScheduleGateway() },
      );
      const { trialIds } = await seedFinishedSweep(api.repos, {
        id: `pr${i}`,
        trials: 1,
        epochs: 1,
      });
      const version = await api.repos.modelVersions.register({
        id: `mv-p${i}`,
        task: 'digits',
        artifact: '/m',
        metricName: 'val_acc',
        metricValue: 0.5,
        metrics: {},
        params: {},
        baseModel: 'demo:cnn',
        dataset: 'demo:digits',
      });
      const calls: Record<string, unknown> = {
        'model.promote': { id: version.id },
        'model.registerTrial': { trialId: trialIds[0], task: 'digits', champion: true },
        'schedule.create': {
          schedule: {
            name: `retrain p${i}`,
            task: 'digits',
            intervalSeconds: 3600,
            spec: {
              name: 'digits',
              dataset: 'demo:digits',
              baseModel: 'demo:cnn',
              algorithm: 'grid',
              trainer: { name: 'synthetic' },
              searchSpace: { headLr: { type: 'choice', values: [0.01, 0.1] } },
            },
          },
        },
      };
      for (const [path, input] of Object.entries(calls)) {
        expect(await codeOf(caller, path, input), `${row.who} → ${path}`).toBe(
          row.allowed ? 'ok' : 'FORBIDDEN',
        );
      }
      const refused = await api.repos.audit.list({ limit: 3 });
      if (!row.allowed) expect(refused.every((r) => r.outcome === 'refused')).toBe(true);
      // Nothing a refused caller asked for was stored.
      if (!row.allowed) expect(await api.repos.schedules.findByName(`retrain p${i}`)).toBeNull();
    });
  }
});
