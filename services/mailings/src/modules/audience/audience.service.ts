import { ARCHIVED_COUNTERPARTY_STATUS, UserInputError } from '@kartoteka/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { MailingAudience } from '../mailing/mailing.entity';

/** One addressee an audience yields: a consenting contact's e-mail (lower-cased), once per address. */
export type AudienceMember = { counterpartyId: string; counterpartyName: string; contactId: string; contactName: string | null; email: string };

export type AudiencePreview = { recipients: number; suppressed: number; withoutConsent: number; sample: AudienceMember[] };

/** What a preview lists as its sample. */
export const AUDIENCE_SAMPLE_SIZE = 10;

const STATUS = /^[A-Z_]{1,30}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function unique(values: readonly string[] | null | undefined, map: (value: string) => string): string[] {
  return [...new Set((values ?? []).map(map).filter(Boolean))];
}

/**
 * The stored form of an audience filter from an input (trimmed, de-duplicated, ids lower-cased); BAD_USER_INPUT on
 * `audience.<field>` for a value that can never match.
 */
export function normalizeAudience(input: Partial<{ [K in keyof MailingAudience]: MailingAudience[K] | null }> | null | undefined, field = 'audience'): MailingAudience {
  const statuses = unique(input?.statuses, (value) => value.trim().toUpperCase());
  const bad = statuses.find((status) => !STATUS.test(status));
  if (bad) throw new UserInputError(`${field}.statuses`, `Not a counterparty status: ${bad}`);
  const tags = unique(input?.tags, (value) => value.trim());
  if (tags.some((tag) => tag.length > 100)) throw new UserInputError(`${field}.tags`, 'A tag is at most 100 characters long');
  const responsibleManagerIds = unique(input?.responsibleManagerIds, (value) => value.trim().toLowerCase());
  if (responsibleManagerIds.some((id) => !UUID.test(id))) throw new UserInputError(`${field}.responsibleManagerIds`, 'Not a valid user id');
  const counterpartyIds = unique(input?.counterpartyIds, (value) => value.trim().toLowerCase());
  if (counterpartyIds.some((id) => !UUID.test(id))) throw new UserInputError(`${field}.counterpartyIds`, 'Not a valid counterparty id');
  const minRatingScore = input?.minRatingScore ?? null;
  if (minRatingScore !== null && (!Number.isInteger(minRatingScore) || minRatingScore < 0 || minRatingScore > 100)) throw new UserInputError(`${field}.minRatingScore`, 'The rating score is 0..100');
  return { statuses, tags, responsibleManagerIds, minRatingScore, counterpartyIds };
}

/** True when the filter has no criterion besides explicit picks (then the audience is exactly the picks). */
function onlyPicks(audience: MailingAudience): boolean {
  return !audience.statuses.length && !audience.tags.length && !audience.responsibleManagerIds.length && audience.minRatingScore === null && audience.counterpartyIds.length > 0;
}

/**
 * The SQL of the matched counterparties (`matched`) and of every consenting contact's address once (`candidates`,
 * with `suppressed`), as CTEs; the parameters are the filter as JSON (arrays are never spliced into the SQL).
 * Archived counterparties never match, not even when picked explicitly.
 */
function audienceCtes(audience: MailingAudience): { sql: string; params: unknown[] } {
  const sql = `with f as (
      select array(select jsonb_array_elements_text(?::jsonb)) as statuses, array(select jsonb_array_elements_text(?::jsonb)) as tags,
             array(select jsonb_array_elements_text(?::jsonb))::uuid[] as managers, ?::int as min_rating,
             array(select jsonb_array_elements_text(?::jsonb))::uuid[] as picks, ?::boolean as only_picks
    ),
    matched as (
      select c.id, c.name from audience_counterparties c cross join f
      left join audience_ratings r on r.counterparty_id = c.id
      where c.status <> ?
        and (c.id = any(f.picks)
          or (not f.only_picks
            and (cardinality(f.statuses) = 0 or c.status = any(f.statuses))
            and (cardinality(f.tags) = 0 or c.tags && f.tags)
            and (cardinality(f.managers) = 0 or c.responsible_manager_id = any(f.managers))
            and (f.min_rating is null or r.score >= f.min_rating)))
    ),
    candidates as (
      select distinct on (ct.email) m.id as counterparty_id, m.name as counterparty_name, ct.id as contact_id, ct.name as contact_name, ct.email,
             exists (select 1 from suppressions s where s.email = ct.email) as suppressed
      from matched m join audience_contacts ct on ct.counterparty_id = m.id
      where ct.email is not null and ct.mailing_consent
      order by ct.email, m.name, m.id, ct.id
    )`;
  return {
    sql,
    params: [
      JSON.stringify(audience.statuses),
      JSON.stringify(audience.tags),
      JSON.stringify(audience.responsibleManagerIds),
      audience.minRatingScore,
      JSON.stringify(audience.counterpartyIds),
      onlyPicks(audience),
      ARCHIVED_COUNTERPARTY_STATUS,
    ],
  };
}

type MemberRow = { counterparty_id: string; counterparty_name: string; contact_id: string; contact_name: string | null; email: string };

const memberOf = (row: MemberRow): AudienceMember => ({ counterpartyId: row.counterparty_id, counterpartyName: row.counterparty_name, contactId: row.contact_id, contactName: row.contact_name, email: row.email });

/**
 * Who a mailing reaches, from mailings' own read models (never a call to another service): the consenting contacts
 * with an e-mail of the counterparties the filter matches (not archived), minus suppressed addresses, one per address.
 */
export class AudienceService {
  constructor(private readonly em: EntityManager) {}

  /** Counts and a sample (ordered by counterparty name, then address). */
  async preview(audience: MailingAudience, sampleSize = AUDIENCE_SAMPLE_SIZE): Promise<AudiencePreview> {
    const { sql, params } = audienceCtes(audience);
    const [counts] = await this.em.execute<{ recipients: string; suppressed: string; without_consent: string }[]>(
      `${sql}
       select (select count(*) from candidates where not suppressed) as recipients,
              (select count(*) from candidates where suppressed) as suppressed,
              (select count(distinct ct.email) from matched m join audience_contacts ct on ct.counterparty_id = m.id
                 where ct.email is not null and not ct.mailing_consent
                   and not exists (select 1 from candidates c where c.email = ct.email)) as without_consent`,
      params,
    );
    const sample = await this.em.execute<MemberRow[]>(`${sql} select * from candidates where not suppressed order by counterparty_name, email limit ?`, [...params, sampleSize]);
    return { recipients: Number(counts.recipients), suppressed: Number(counts.suppressed), withoutConsent: Number(counts.without_consent), sample: sample.map(memberOf) };
  }

  /** The first recipient (the sample the approval document is rendered for); null for an empty audience. */
  async first(audience: MailingAudience): Promise<AudienceMember | null> {
    const { sql, params } = audienceCtes(audience);
    const [row] = await this.em.execute<MemberRow[]>(`${sql} select * from candidates where not suppressed order by counterparty_name, email limit 1`, params);
    return row ? memberOf(row) : null;
  }

  /**
   * Fixes a mailing's recipients now, in the caller's transaction: one QUEUED row per address of the audience at
   * this moment (a repeated call adds nothing). Returns how many rows were added.
   */
  async fixRecipients(mailingId: string, audience: MailingAudience, now = new Date()): Promise<number> {
    const { sql, params } = audienceCtes(audience);
    const rows = await this.em.execute<{ id: string }[]>(
      `${sql}
       insert into mailing_recipients (id, mailing_id, counterparty_id, contact_id, contact_name, email, status, attempts, next_attempt_at, created_at, updated_at)
       select gen_random_uuid(), ?, counterparty_id, contact_id, left(contact_name, 300), email, 'QUEUED', 0, ?, ?, ?
       from candidates where not suppressed
       on conflict (mailing_id, email) do nothing
       returning id`,
      [...params, mailingId, now, now, now],
    );
    return rows.length;
  }

  /** The values a message to `counterpartyId` is personalised with (its first consenting contact, else its first contact). */
  async personalisationOf(counterpartyId: string): Promise<{ companyName: string; companyShortName: string | null; managerName: string | null; contactName: string | null } | null> {
    const [row] = await this.em.execute<{ name: string; short_name: string | null; manager_name: string | null; contact_name: string | null }[]>(
      `select c.name, c.short_name, u.name as manager_name,
              (select ct.name from audience_contacts ct where ct.counterparty_id = c.id order by ct.mailing_consent desc, ct.email is null, ct.name, ct.id limit 1) as contact_name
       from audience_counterparties c left join user_refs u on u.id = c.responsible_manager_id where c.id = ?`,
      [counterpartyId],
    );
    return row ? { companyName: row.name, companyShortName: row.short_name, managerName: row.manager_name, contactName: row.contact_name } : null;
  }
}
