import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '@retune/core';
import { appRouter } from '../root';
import { FakeCookies, testApi } from '../test-support/context';

/**
 * Who may call each procedure. A procedure missing here fails the first test: a new procedure
 * must be given a rule (viewerProcedure / memberProcedure / adminProcedure) and a row here.
 */
const ACCESS: Record<string, 'public' | Role> = {
  'auth.signIn': 'public',
  'auth.signOut': 'viewer',
  'auth.me': 'viewer',
  'auth.changePassword': 'viewer',
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
  'user.setRole': 'admin',
  'audit.list': 'admin',
};

type Procedures = Record<string, { _def: { type: string; meta?: { access?: string } } }>;
const procedures = appRouter._def.procedures as unknown as Procedures;

let api: Awaited<ReturnType<typeof testApi>>;
beforeAll(async () => {
  api = await testApi();
});
afterAll(async () => {
  await api.db.$disconnect();
});

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
