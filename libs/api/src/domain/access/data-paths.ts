import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { ForbiddenError } from '../errors';
import { DATA_ROOTS_SETTING, type AccessPolicy } from './access-policy';

/** The real path of `path`, or of its nearest existing ancestor joined with the rest. */
async function realpathOfNearest(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    const parent = dirname(path);
    if (parent === path) return path;
    return resolve(await realpathOfNearest(parent), relative(parent, path));
  }
}

const within = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/**
 * Refuses a dataset or base-model path outside the data roots: `..` segments outright, and
 * anything whose real path (symlinks followed) leaves every root. `field` names the spec field.
 */
export async function checkDataPath(
  field: string,
  path: string,
  policy: AccessPolicy,
): Promise<void> {
  const rootsText = `${policy.dataRoots.join(', ') || 'none'}`;
  if (path.split(/[\\/]/).includes('..')) {
    throw new ForbiddenError(
      `${field}: "${path}" contains "..", which is refused (rule: paths stay under the data roots ${rootsText}): name the folder without ".."`,
    );
  }
  const absolute = resolve(path);
  const real = await realpathOfNearest(absolute);
  for (const root of policy.dataRoots) {
    const realRoot = await realpathOfNearest(root);
    if (within(realRoot, real)) return;
  }
  const how = real !== absolute ? ` (it resolves to ${real} through a symlink)` : '';
  throw new ForbiddenError(
    `${field}: "${path}" is outside the data roots ${rootsText}${how} (rule: data paths lie under a data root): move the data under one of them, or an admin adds its folder to ${DATA_ROOTS_SETTING}`,
  );
}
