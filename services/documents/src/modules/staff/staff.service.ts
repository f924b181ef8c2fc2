import { isUuid, UserInputError } from '@kartoteka/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { StaffMemberEntity } from './staff-member.entity';

export type StaffMember = { id: string; email: string; name: string; roles: string[]; active: boolean };

/** A state of a member as identity announced it; `updatedAt` orders states (missing: now, e.g. fixtures). */
export type StaffMemberState = StaffMember & { updatedAt?: Date | null };

/** `first` defaults to 20. */
export type StaffSearch = { search?: string | null; role?: string | null; first?: number | null };

export const STAFF_SEARCH_MAX = 100;

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** The local staff directory: reads for the other modules, and the upsert identity's events drive. */
export class StaffService {
  constructor(private readonly em: EntityManager) {}

  /** Members by id, active or not (unknown and malformed ids are left out). */
  async findByIds(ids: readonly string[]): Promise<StaffMember[]> {
    const wanted = [...new Set(ids.map((id) => id.toLowerCase()).filter(isUuid))];
    if (wanted.length === 0) return [];
    return this.em.find(StaffMemberEntity, { id: { $in: wanted } }, { orderBy: { name: 'asc', id: 'asc' } });
  }

  /** Refuses (BAD_USER_INPUT on `field`) a user this directory does not know, or a deactivated one. */
  async requireActive(id: string, field: string): Promise<StaffMember> {
    const [member] = await this.findByIds([id]);
    if (!member) throw new UserInputError(field, 'There is no such employee', { reason: 'user.unknown' });
    if (!member.active) throw new UserInputError(field, `${member.name} is deactivated`, { reason: 'user.inactive' });
    return member;
  }

  /** Active members holding `role`, by name. */
  activeMembersOfRole(role: string): Promise<StaffMember[]> {
    return this.em.find(StaffMemberEntity, { active: true, roles: { $contains: [role] } }, { orderBy: { name: 'asc', id: 'asc' } });
  }

  /** Active members for pickers: part of a name or e-mail, optionally one role; by name, at most `first`. */
  search(args: StaffSearch): Promise<StaffMember[]> {
    const first = args.first ?? 20;
    if (!Number.isInteger(first) || first < 1 || first > STAFF_SEARCH_MAX) throw new UserInputError('first', `first must be between 1 and ${STAFF_SEARCH_MAX}`);
    const where: FilterQuery<StaffMemberEntity> = { active: true };
    const role = args.role?.trim();
    if (role) where.roles = { $contains: [role] };
    const search = args.search?.trim();
    if (search) where.$or = [{ name: { $ilike: likePattern(search) } }, { email: { $ilike: likePattern(search) } }];
    return this.em.find(StaffMemberEntity, where, { orderBy: { name: 'asc', id: 'asc' }, limit: first });
  }

  /**
   * Stores a member's state unless the directory already holds the same or a newer one (events may arrive
   * late or twice). Returns whether it was stored.
   */
  async upsert(member: StaffMemberState): Promise<boolean> {
    const updatedAt = member.updatedAt ?? new Date();
    const result = await this.em
      .createQueryBuilder(StaffMemberEntity)
      .insert({ id: member.id.toLowerCase(), email: member.email, name: member.name, roles: [...new Set(member.roles)], active: member.active, updatedAt })
      .onConflict('id')
      .merge(['email', 'name', 'roles', 'active', 'updatedAt'])
      .where({ updatedAt: { $lt: updatedAt } })
      .execute('run');
    return result.affectedRows > 0;
  }
}
