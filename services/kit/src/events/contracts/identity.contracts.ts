import type { JSONSchemaType } from 'ajv';
import type { BusEvent } from '../event-bus';
import { DATE_TIME_PATTERN, defineContract, isRealDateTime, UUID_PATTERN } from './contract';

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

const schema: JSONSchemaType<UserUpserted> = {
  type: 'object',
  properties: {
    id: { type: 'string', pattern: UUID_PATTERN },
    email: { type: 'string', minLength: 1, maxLength: 254 },
    name: { type: 'string', maxLength: 200 },
    roles: { type: 'array', items: { type: 'string', maxLength: 50 }, maxItems: 50 },
    active: { type: 'boolean' },
    updatedAt: { type: 'string', pattern: DATE_TIME_PATTERN },
  },
  required: ['id', 'email', 'name', 'roles', 'active', 'updatedAt'],
  additionalProperties: true,
};

export const userUpsertedContract = defineContract<UserUpserted, UserUpserted>([USER_UPSERTED], schema, (user) =>
  isRealDateTime(user.updatedAt) ? { ...user, id: user.id.toLowerCase() } : 'updatedAt is not a real date-time',
);

/** Reads an `identity.user.upserted` payload; `null` when it is malformed. */
export function parseUserUpserted(event: Pick<BusEvent, 'payload'>): UserUpserted | null {
  const result = userUpsertedContract.parse(event);
  return result.ok ? result.value : null;
}
