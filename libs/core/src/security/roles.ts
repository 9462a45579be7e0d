/**
 * Who may do what (docs/security.md). Each role includes the ones before it: a viewer reads
 * everything, a member also launches and controls sweeps, promotes models and manages
 * schedules, an admin also manages users, roles, trainers, data roots and every token.
 */
export const ROLES = ['viewer', 'member', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/** True when `role` is at least `needed`. */
export const roleAllows = (role: Role, needed: Role): boolean =>
  ROLES.indexOf(role) >= ROLES.indexOf(needed);

/** The actions the dashboard and CLI show or hide; the server checks the same roles itself. */
export const ACTION_ROLES = {
  'sweep.launch': 'member',
  'sweep.control': 'member',
  'sweep.cancel': 'member',
  'model.promote': 'member',
  'model.grantPromotion': 'admin',
  'user.manage': 'admin',
  'model.registerTrial': 'member',
  'schedule.write': 'member',
  'schedule.remove': 'admin',
  'trainer.register': 'admin',
  'trainer.rawCommand': 'admin',
  'user.setRole': 'admin',
  'audit.list': 'admin',
} as const satisfies Record<string, Role>;
export type RoleAction = keyof typeof ACTION_ROLES;

/** Whether a user with `role` (and a token that is read-only or not) may take `action`. */
export const can = (role: Role, action: RoleAction, readOnly = false): boolean =>
  !readOnly && roleAllows(role, ACTION_ROLES[action]);
