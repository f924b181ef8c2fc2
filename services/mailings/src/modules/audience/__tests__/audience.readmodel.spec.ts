import { randomUUID } from 'node:crypto';
import { COUNTERPARTY_CHANGED, UnprocessableEventError } from '@kartoteka/kit';
import { startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { mailingsSubgraph } from '../../../subgraph';
import { busEvent, deliver, putCounterparty, putRating } from '../../../testing/mailings.fixtures';
import { AudienceContact } from '../audience-contact.entity';
import { AudienceCounterparty } from '../audience-counterparty.entity';
import { AudienceRating } from '../audience-rating.entity';

describe('audience read models: counterparties with their contacts, and ratings, from events', () => {
  let subgraph: TestSubgraph;
  beforeAll(async () => {
    subgraph = await startTestSubgraph(mailingsSubgraph(undefined, { workers: false }));
  });
  afterAll(() => subgraph?.close());

  const contactsOf = (counterpartyId: string) => subgraph.orm.em.fork().find(AudienceContact, { counterpartyId }, { orderBy: { name: 'asc' } });

  it('keeps the newest state: a late event changes nothing, contacts are replaced as a whole, an event without them keeps them', async () => {
    const id = randomUUID();
    await putCounterparty(subgraph.orm, { id, name: 'Альфа', tags: ['it'], contacts: [{ name: 'Анна', email: 'Anna@A.example', mailingConsent: true }, { name: 'Борис', email: 'b@a.example' }], updatedAt: '2026-12-06T10:00:00.000Z' });
    expect((await contactsOf(id)).map((contact) => [contact.name, contact.email, contact.mailingConsent, contact.mailingConsentAt !== null])).toEqual([
      ['Анна', 'anna@a.example', true, true],
      ['Борис', 'b@a.example', false, false],
    ]);

    // older: ignored entirely (name, tags and contacts)
    await putCounterparty(subgraph.orm, { id, name: 'Старое имя', tags: [], contacts: [], updatedAt: '2026-12-06T09:00:00.000Z' });
    expect(await subgraph.orm.em.fork().findOneOrFail(AudienceCounterparty, { id })).toMatchObject({ name: 'Альфа', tags: ['it'] });
    expect(await contactsOf(id)).toHaveLength(2);

    // newer: a removed contact is gone, consent withdrawn
    await putCounterparty(subgraph.orm, { id, name: 'Альфа', tags: ['it', 'vip'], contacts: [{ name: 'Анна', email: 'anna@a.example', mailingConsent: false }], updatedAt: '2026-12-06T11:00:00.000Z' });
    expect((await contactsOf(id)).map((contact) => [contact.name, contact.mailingConsent, contact.mailingConsentAt])).toEqual([['Анна', false, null]]);

    // a producer from before contacts and tags: the state moves on, contacts and tags stay
    await deliver(subgraph.orm, busEvent(COUNTERPARTY_CHANGED, { id, name: 'Альфа-2', shortName: null, inn: '7707083893', kpp: null, status: 'CLIENT', updatedAt: '2026-12-06T12:00:00.000Z' }));
    expect(await subgraph.orm.em.fork().findOneOrFail(AudienceCounterparty, { id })).toMatchObject({ name: 'Альфа-2', status: 'CLIENT', tags: ['it', 'vip'] });
    expect(await contactsOf(id)).toHaveLength(1);
  });

  it('keeps the newest rating and parks a malformed event', async () => {
    const id = randomUUID();
    await putRating(subgraph.orm, id, 40, '2026-12-06T10:00:00.000Z');
    await putRating(subgraph.orm, id, 75, '2026-12-06T11:00:00.000Z');
    await putRating(subgraph.orm, id, 10, '2026-12-06T09:00:00.000Z');
    expect((await subgraph.orm.em.fork().findOneOrFail(AudienceRating, { counterpartyId: id })).score).toBe(75);
    await expect(deliver(subgraph.orm, busEvent(COUNTERPARTY_CHANGED, { id, name: '', inn: 'x' }))).rejects.toBeInstanceOf(UnprocessableEventError);
  });
});
