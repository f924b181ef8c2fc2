import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Mailings' read model of a counterparty's contact person, replaced as a whole with its counterparty's state
 * (the counterparty events carry every contact). Only a contact with an e-mail and `mailingConsent` may be a
 * recipient; the others are counted as "without consent" in the audience preview.
 */
@Entity({ tableName: 'audience_contacts' })
@Index({ name: 'audience_contacts_counterparty_index', properties: ['counterpartyId'] })
export class AudienceContact {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  counterpartyId!: string;

  @Property({ type: 'string', length: 300 })
  name!: string;

  /** Lower-cased; null when the contact has no e-mail. */
  @Property({ type: 'string', length: 254, nullable: true })
  email: string | null = null;

  @Property({ type: 'boolean', default: false })
  mailingConsent: boolean = false;

  @Property({ type: 'timestamptz', nullable: true })
  mailingConsentAt: Date | null = null;
}
