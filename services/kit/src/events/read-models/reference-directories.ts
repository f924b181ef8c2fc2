import type { EntityManager } from '@mikro-orm/postgresql';
import { DEMO_USERS } from '../../demo/demo-users';
import { UserInputError } from '../../errors/domain-errors';
import { isUuid } from '../../schema/ids';
import { ARCHIVED_COUNTERPARTY_STATUS, counterpartyUpsertedContract, type CounterpartyUpserted } from '../contracts/counterparties.contracts';
import { USER_UPSERTED, userUpsertedContract, type UserUpserted } from '../contracts/identity.contracts';
import { parseOrPark, type EventHandlers } from '../event-consumer';
import { CounterpartyRef } from './counterparty-ref.entity';
import { UserRef } from './user-ref.entity';

/** A state to store; `updatedAt` orders states (an older one never replaces a newer one). */
export type CounterpartyRefState = Omit<CounterpartyUpserted, 'updatedAt'> & { updatedAt: Date };
export type UserRefState = Omit<UserUpserted, 'updatedAt'> & { updatedAt: Date };

function wantedIds(ids: readonly string[]): string[] {
  return [...new Set(ids.map((id) => id.toLowerCase()).filter(isUuid))];
}

/**
 * The local read model of counterparties: filled by {@link counterpartyRefHandlers}, read at write time to
 * refuse references to unknown or archived counterparties (never by calling the counterparties service).
 */
export class CounterpartyDirectory {
  constructor(private readonly em: EntityManager) {}

  /** Stores the state unless the same or a newer one is already there; returns whether it was stored. */
  async upsert(state: CounterpartyRefState): Promise<boolean> {
    const result = await this.em
      .createQueryBuilder(CounterpartyRef)
      .insert({ id: state.id.toLowerCase(), name: state.name, shortName: state.shortName, inn: state.inn, kpp: state.kpp, status: state.status, updatedAt: state.updatedAt })
      .onConflict('id')
      .merge(['name', 'shortName', 'inn', 'kpp', 'status', 'updatedAt'])
      .where({ updatedAt: { $lt: state.updatedAt } })
      .execute('run');
    return result.affectedRows > 0;
  }

  findByIds(ids: readonly string[]): Promise<CounterpartyRef[]> {
    const wanted = wantedIds(ids);
    return wanted.length ? this.em.find(CounterpartyRef, { id: { $in: wanted } }) : Promise.resolve([]);
  }

  /**
   * Refuses (BAD_USER_INPUT on `field`) a counterparty this service has never heard of, or an archived one;
   * returns the stored copy otherwise.
   */
  async requireActive(id: string, field = 'counterpartyId'): Promise<CounterpartyRef> {
    const [found] = await this.findByIds([id]);
    if (!found) throw new UserInputError(field, 'There is no such counterparty', { reason: 'counterparty.unknown' });
    if (found.status === ARCHIVED_COUNTERPARTY_STATUS) throw new UserInputError(field, `The counterparty ${found.shortName ?? found.name} is archived: restore it first`, { reason: 'counterparty.archived' });
    return found;
  }
}

/** The local read model of staff for services without a directory of their own (see documents' staff module). */
export class UserDirectory {
  constructor(private readonly em: EntityManager) {}

  async upsert(state: UserRefState): Promise<boolean> {
    const result = await this.em
      .createQueryBuilder(UserRef)
      .insert({ id: state.id.toLowerCase(), email: state.email, name: state.name, roles: [...new Set(state.roles)], active: state.active, updatedAt: state.updatedAt })
      .onConflict('id')
      .merge(['email', 'name', 'roles', 'active', 'updatedAt'])
      .where({ updatedAt: { $lt: state.updatedAt } })
      .execute('run');
    return result.affectedRows > 0;
  }

  findByIds(ids: readonly string[]): Promise<UserRef[]> {
    const wanted = wantedIds(ids);
    return wanted.length ? this.em.find(UserRef, { id: { $in: wanted } }) : Promise.resolve([]);
  }

  /** Refuses (BAD_USER_INPUT on `field`) an unknown or deactivated user. */
  async requireActive(id: string, field: string): Promise<UserRef> {
    const [found] = await this.findByIds([id]);
    if (!found) throw new UserInputError(field, 'There is no such user', { reason: 'user.unknown' });
    if (!found.active) throw new UserInputError(field, `${found.name} is deactivated`, { reason: 'user.inactive' });
    return found;
  }
}

/** Handlers keeping `counterparty_refs` current, for a service's event consumer (malformed payloads are parked). */
export function counterpartyRefHandlers(): EventHandlers {
  return Object.fromEntries(
    counterpartyUpsertedContract.topics.map((topic) => [
      topic,
      async (event, em) => {
        const counterparty = parseOrPark(counterpartyUpsertedContract, event);
        await new CounterpartyDirectory(em).upsert({ ...counterparty, updatedAt: new Date(counterparty.updatedAt) });
      },
    ]),
  ) as EventHandlers;
}

/** Handlers keeping `user_refs` current from identity's user events. */
export function userRefHandlers(): EventHandlers {
  return {
    [USER_UPSERTED]: async (event, em) => {
      const user = parseOrPark(userUpsertedContract, event);
      await new UserDirectory(em).upsert({ ...user, updatedAt: new Date(user.updatedAt) });
    },
  };
}

/**
 * For demo seeds that run before any event could arrive (`pnpm start` seeds every service before starting them):
 * the demo counterparties the seed refers to, known locally at the oldest possible version, so counterparties'
 * real events (its seed publishes every demo company) replace them as soon as they are consumed.
 */
export async function preloadDemoCounterpartyRefs(em: EntityManager, ids: readonly string[]): Promise<void> {
  const directory = new CounterpartyDirectory(em);
  for (const [index, id] of ids.entries()) {
    await directory.upsert({ id, name: `Демо-контрагент ${index + 1}`, shortName: null, inn: '0000000000', kpp: null, status: 'CLIENT', updatedAt: new Date(0) });
  }
}

/** For demo seeds that run before identity's events could arrive: the demo staff at the oldest version (real events win). */
export async function preloadDemoUserRefs(em: EntityManager): Promise<void> {
  const directory = new UserDirectory(em);
  for (const user of DEMO_USERS) await directory.upsert({ id: user.id, email: user.email, name: user.name, roles: [...user.roles], active: true, updatedAt: new Date(0) });
}
