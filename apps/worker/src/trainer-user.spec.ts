import { describe, expect, it } from 'vitest';
import { resolveTrainerUser } from './trainer-user';

const passwd = (name: string) => {
  if (name !== 'trainer') throw new Error('no such user');
  return 'trainer:x:1500:1500::/home/trainer:/usr/sbin/nologin\n';
};

describe('RETUNE_TRAINER_USER', () => {
  it('reads a user name or uid:gid', () => {
    expect(resolveTrainerUser('trainer', passwd, 0)).toEqual({
      user: 'trainer',
      uid: 1500,
      gid: 1500,
    });
    expect(resolveTrainerUser('1600:1601', passwd, 0)).toMatchObject({ uid: 1600, gid: 1601 });
  });

  it('refuses root, unknown users and a worker that cannot switch users', () => {
    expect(() => resolveTrainerUser('0:0', passwd, 0)).toThrow(/not root/);
    expect(() => resolveTrainerUser('ghost', passwd, 0)).toThrow(/no user "ghost".*useradd/);
    expect(() => resolveTrainerUser('trainer', passwd, 1000)).toThrow(/cannot switch users/);
  });
});
