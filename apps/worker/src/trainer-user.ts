import { execFileSync } from 'node:child_process';
import type { RunAs } from '@retune/activities';

/**
 * RETUNE_TRAINER_USER → the user trainer processes run as: a user name (looked up with
 * getent) or "uid:gid". The worker must be able to switch to it (root, or CAP_SETUID and
 * CAP_SETGID); otherwise it refuses to start rather than run trainers as itself.
 */
export function resolveTrainerUser(
  spec: string,
  lookup: (name: string) => string = getentPasswd,
  currentUid: number | undefined = process.getuid?.(),
): RunAs {
  const numeric = /^(\d+):(\d+)$/.exec(spec);
  let runAs: RunAs;
  if (numeric) {
    runAs = { user: spec, uid: Number(numeric[1]), gid: Number(numeric[2]) };
  } else {
    let line: string;
    try {
      line = lookup(spec);
    } catch {
      throw new Error(
        `RETUNE_TRAINER_USER: no user "${spec}" on this host: create it (useradd --system ${spec}) or give uid:gid`,
      );
    }
    const [, , uid, gid] = line.trim().split(':');
    runAs = { user: spec, uid: Number(uid), gid: Number(gid) };
  }
  if (!Number.isInteger(runAs.uid) || !Number.isInteger(runAs.gid)) {
    throw new Error(`RETUNE_TRAINER_USER: cannot read the uid/gid of "${spec}"`);
  }
  if (runAs.uid === 0) {
    throw new Error('RETUNE_TRAINER_USER: name an unprivileged user, not root');
  }
  if (currentUid !== undefined && currentUid !== 0 && currentUid !== runAs.uid) {
    throw new Error(
      `RETUNE_TRAINER_USER=${spec}: the worker runs as uid ${currentUid} and cannot switch users; run it as root (it drops to ${spec} for trainers) or unset RETUNE_TRAINER_USER`,
    );
  }
  return runAs;
}

function getentPasswd(name: string): string {
  return execFileSync('getent', ['passwd', name], { encoding: 'utf8' });
}
