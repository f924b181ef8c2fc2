import type { BusEvent } from './event-bus';

/** identity → everyone: a staff member was created or changed (the whole current state, not a diff). */
export const USER_UPSERTED = 'identity.user.upserted';

export type UserUpserted = {
  id: string;
  email: string;
  name: string;
  /** Role codes (strings, so a role added later does not break older consumers). */
  roles: string[];
  active: boolean;
  /** When identity made this change: consumers keep the newest state and ignore older ones arriving late. */
  updatedAt: string;
};

/** Reads an `identity.user.upserted` payload; `null` when it is malformed. */
export function parseUserUpserted(event: Pick<BusEvent, 'payload'>): UserUpserted | null {
  const { id, email, name, roles, active, updatedAt } = event.payload;
  if (typeof id !== 'string' || typeof email !== 'string' || typeof name !== 'string' || typeof active !== 'boolean') return null;
  if (!Array.isArray(roles) || !roles.every((role): role is string => typeof role === 'string')) return null;
  if (typeof updatedAt !== 'string' || Number.isNaN(Date.parse(updatedAt))) return null;
  return { id, email, name, roles, active, updatedAt };
}
