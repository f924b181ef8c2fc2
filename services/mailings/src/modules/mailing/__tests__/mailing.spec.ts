import { randomUUID } from 'node:crypto';
import { DEMO_USERS, MAILING_APPROVAL_REQUESTED, mailingApprovalRequestedContract, OutboxEvent } from '@kartoteka/kit';
import { demoIdentity, seedDemoUserRefs, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { mailingsSubgraph } from '../../../subgraph';
import { documentActivity, putCounterparty, putRating, signDocument } from '../../../testing/mailings.fixtures';
import { Suppression, SuppressionReason } from '../../suppression/suppression.entity';
import { MailingRecipient } from '../mailing-recipient.entity';
import { Mailing, MailingStatus } from '../mailing.entity';

const MANAGER = DEMO_USERS.find((user) => user.roles.includes('MANAGER'))!;
const manager = demoIdentity(MANAGER.email);
const viewer = demoIdentity(DEMO_USERS.find((user) => user.roles.includes('VIEWER'))!.email);

const FIELDS = 'id name subject bodyMjml status version approvalDocumentId approvalComment audience { statuses tags responsibleManagerIds minRatingScore counterpartyIds } progress { total queued sent }';
const BODY = '<mjml><mj-body><mj-section><mj-column><mj-text>Здравствуйте, {{contact.name}}! {{company.shortName}}, ваш менеджер {{manager.name}}.</mj-text><mj-button href="{{unsubscribeUrl}}">Отписаться</mj-button></mj-column></mj-section></mj-body></mjml>';

type MailingView = { id: string; status: MailingStatus; version: number; approvalDocumentId: string | null; approvalComment: string | null; bodyMjml: string; progress: { total: number; queued: number } };

describe('mailings: audience, editing, approval by events, start', () => {
  let subgraph: TestSubgraph;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    subgraph = await startTestSubgraph(mailingsSubgraph(undefined, { workers: false }));
    const orm = subgraph.orm;
    await seedDemoUserRefs(orm.em.fork());
    const managerId = MANAGER.id;
    ids.alpha = await putCounterparty(orm, {
      name: 'Альфа',
      status: 'PROSPECT',
      tags: ['it'],
      responsibleManagerId: managerId,
      contacts: [
        { name: 'Анна', email: 'Anna@Alpha.example', mailingConsent: true },
        { name: 'Борис', email: 'boris@alpha.example', mailingConsent: false },
        { name: 'Без почты', email: null, mailingConsent: true },
      ],
    });
    // the same address at a second counterparty: one recipient
    ids.beta = await putCounterparty(orm, { name: 'Бета', status: 'CLIENT', tags: ['retail'], contacts: [{ name: 'Анна (Бета)', email: 'anna@alpha.example', mailingConsent: true }, { name: 'Вера', email: 'vera@beta.example', mailingConsent: true }] });
    ids.archived = await putCounterparty(orm, { name: 'Архив', status: 'ARCHIVED', contacts: [{ name: 'Глеб', email: 'gleb@archived.example', mailingConsent: true }] });
    ids.delta = await putCounterparty(orm, { name: 'Дельта', status: 'PROSPECT', contacts: [{ name: 'Дарья', email: 'darya@delta.example', mailingConsent: true }] });
    await putRating(orm, ids.delta, 30);
    await putRating(orm, ids.beta, 80);
  });
  afterAll(() => subgraph?.close());

  const call = <T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, identity = manager) => subgraph.request<T>(query, variables, identity);
  const preview = async (audience: Record<string, unknown>) => {
    const result = await call<{ mailingAudiencePreview: { recipients: number; suppressed: number; withoutConsent: number; sample: { email: string; counterpartyName: string }[] } }>(
      'query($a: MailingAudienceFilterInput!) { mailingAudiencePreview(audience: $a) { recipients suppressed withoutConsent sample { email counterpartyName contactName } } }',
      { a: audience },
    );
    expect(result.errors).toBeUndefined();
    return result.data!.mailingAudiencePreview;
  };
  const read = async (id: string) => (await subgraph.orm.em.fork().findOneOrFail(Mailing, { id }));
  const create = async (extra: Record<string, unknown> = {}) => {
    const result = await call<{ createMailing: MailingView }>(`mutation($i: CreateMailingInput!) { createMailing(input: $i) { ${FIELDS} } }`, {
      i: { name: 'Весенняя акция', subject: 'Предложение для {{company.name}}', bodyMjml: BODY, audience: { statuses: ['PROSPECT'] }, ...extra },
    });
    expect(result.errors).toBeUndefined();
    return result.data!.createMailing;
  };
  const command = (name: string, id: string, identity = manager) => call<Record<string, MailingView>>(`mutation($i: MailingIdInput!) { ${name}(input: $i) { ${FIELDS} } }`, { i: { id } }, identity);

  it('previews an audience: consenting contacts with an e-mail, one per address, no archived counterparty, minus suppressed', async () => {
    expect(await preview({ statuses: ['PROSPECT'] })).toMatchObject({ recipients: 2, suppressed: 0, withoutConsent: 1 });
    const all = await preview({});
    expect(all.recipients).toBe(3); // anna (once), vera, darya — never gleb (archived)
    expect(all.sample.map((member) => member.email).sort()).toEqual(['anna@alpha.example', 'darya@delta.example', 'vera@beta.example']);
    expect(await preview({ tags: ['retail'] })).toMatchObject({ recipients: 2 });
    expect(await preview({ responsibleManagerIds: [MANAGER.id] })).toMatchObject({ recipients: 1 });
    expect(await preview({ minRatingScore: 50 })).toMatchObject({ recipients: 2 }); // beta only (80); unrated alpha and delta (30) left out
    // explicit picks only: exactly those (an archived pick never counts)
    expect(await preview({ counterpartyIds: [ids.delta, ids.archived] })).toMatchObject({ recipients: 1 });
    // picks are added to a filter's result
    expect(await preview({ tags: ['it'], counterpartyIds: [ids.delta] })).toMatchObject({ recipients: 2 });

    await subgraph.orm.em.fork().persistAndFlush(Object.assign(new Suppression(), { email: 'darya@delta.example', reason: SuppressionReason.MANUAL }));
    expect(await preview({ statuses: ['PROSPECT'] })).toMatchObject({ recipients: 1, suppressed: 1 });
    await subgraph.orm.em.fork().nativeDelete(Suppression, { email: 'darya@delta.example' });
  });

  it('creates a draft with a sanitized body; refuses unknown placeholders on their field; needs mailings:manage', async () => {
    const mailing = await create({ bodyMjml: `${BODY.replace('</mj-text>', '<script>alert(1)</script><img src="x" onerror="alert(2)"></mj-text>')}` });
    expect(mailing).toMatchObject({ status: 'DRAFT', version: 1, audience: { statuses: ['PROSPECT'], tags: [], minRatingScore: null } });
    expect(mailing.bodyMjml).not.toMatch(/script|onerror/);
    expect(mailing.bodyMjml).toContain('{{contact.name}}');

    const unknown = await call(`mutation($i: CreateMailingInput!) { createMailing(input: $i) { id } }`, { i: { name: 'x', subject: 'x', bodyMjml: '<mj-text>{{deal.amount}}</mj-text>' } });
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'bodyMjml' });
    const forbidden = await call(`mutation($i: CreateMailingInput!) { createMailing(input: $i) { id } }`, { i: { name: 'x', subject: 'x', bodyMjml: 'x' } }, viewer);
    expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses a stale version (CONFLICT) and an illegal transition (BAD_USER_INPUT), changing nothing', async () => {
    const mailing = await create();
    const updated = await call<{ updateMailing: MailingView }>(`mutation($i: UpdateMailingInput!) { updateMailing(input: $i) { ${FIELDS} } }`, { i: { id: mailing.id, version: 1, name: 'Новое имя' } });
    expect(updated.data?.updateMailing.version).toBe(2);
    const stale = await call(`mutation($i: UpdateMailingInput!) { updateMailing(input: $i) { id } }`, { i: { id: mailing.id, version: 1, name: 'Чужая правка' } });
    expect(stale.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(await read(mailing.id)).toMatchObject({ name: 'Новое имя', version: 2 });

    for (const name of ['startMailing', 'pauseMailing', 'resumeMailing']) {
      const illegal = await command(name, mailing.id);
      expect(illegal.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id', reason: 'mailing.status' });
    }
    expect(await read(mailing.id)).toMatchObject({ status: MailingStatus.DRAFT, version: 2 });
    expect(await subgraph.orm.em.fork().count(MailingRecipient, { mailingId: mailing.id })).toBe(0);
    const missing = await command('cancelMailing', randomUUID());
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('goes through approval by the EDMS\'s events: rejected with the comment, edited, resubmitted, approved; then starts with fixed recipients', async () => {
    const mailing = await create();
    const submitted = (await command('submitMailingForApproval', mailing.id)).data!.submitMailingForApproval;
    expect(submitted).toMatchObject({ status: 'ON_APPROVAL', approvalComment: null });
    const firstDocument = submitted.approvalDocumentId!;
    expect(firstDocument).toMatch(/^[0-9a-f-]{36}$/);
    // the request to documents went out in the same transaction, rendered for the first recipient
    const [request] = await subgraph.orm.em.fork().find(OutboxEvent, { topic: MAILING_APPROVAL_REQUESTED });
    const parsed = mailingApprovalRequestedContract.parse(request);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value).toMatchObject({ mailingId: mailing.id, documentId: firstDocument, counterpartyId: ids.alpha, recipientCount: 2, requestedById: MANAGER.id, subject: 'Предложение для Альфа' });
    expect(parsed.value.html).toContain('Здравствуйте, Анна!');
    expect(parsed.value.html).toContain(`ваш менеджер ${MANAGER.name}`);
    expect(parsed.value.text).toContain('Здравствуйте, Анна!');

    // rejected: the comment comes with the document's activity; a redelivery changes nothing
    await documentActivity(subgraph.orm, firstDocument, ids.alpha, 'REJECTED', 'Уберите скидку 50%');
    await documentActivity(subgraph.orm, firstDocument, ids.alpha, 'REJECTED', 'Уберите скидку 50%');
    expect(await read(mailing.id)).toMatchObject({ status: MailingStatus.REJECTED, approvalComment: 'Уберите скидку 50%' });
    expect((await command('startMailing', mailing.id)).errors?.[0].extensions?.reason).toBe('mailing.status');

    const current = await read(mailing.id);
    const edited = await call<{ updateMailing: MailingView }>(`mutation($i: UpdateMailingInput!) { updateMailing(input: $i) { ${FIELDS} } }`, { i: { id: mailing.id, version: current.version, subject: 'Скидка 10% для {{company.name}}' } });
    expect(edited.data?.updateMailing.status).toBe('DRAFT');
    const resubmitted = (await command('submitMailingForApproval', mailing.id)).data!.submitMailingForApproval;
    expect(resubmitted.approvalDocumentId).not.toBe(firstDocument);

    // a late sign-off of the old document does not approve the new submission
    await signDocument(subgraph.orm, firstDocument, ids.alpha);
    expect((await read(mailing.id)).status).toBe(MailingStatus.ON_APPROVAL);
    await signDocument(subgraph.orm, resubmitted.approvalDocumentId!, ids.alpha);
    await signDocument(subgraph.orm, resubmitted.approvalDocumentId!, ids.alpha);
    expect(await read(mailing.id)).toMatchObject({ status: MailingStatus.APPROVED, approvalComment: null });

    // start: the audience at this moment, QUEUED, one per address; later consent changes do not touch them
    const started = (await command('startMailing', mailing.id)).data!.startMailing;
    expect(started).toMatchObject({ status: 'SENDING', progress: { total: 2, queued: 2, sent: 0 } });
    const recipients = await subgraph.orm.em.fork().find(MailingRecipient, { mailingId: mailing.id }, { orderBy: { email: 'asc' } });
    expect(recipients.map((recipient) => [recipient.email, recipient.status, recipient.counterpartyId])).toEqual([
      ['anna@alpha.example', 'QUEUED', ids.alpha],
      ['darya@delta.example', 'QUEUED', ids.delta],
    ]);
    expect((await command('pauseMailing', mailing.id)).data?.pauseMailing.status).toBe('PAUSED');
    expect((await command('resumeMailing', mailing.id)).data?.resumeMailing.status).toBe('SENDING');

    // the counterparty card: its recipients in every mailing, batched for many counterparties
    const card = await call<{ _entities: { mailingRecipients: { totalCount: number; edges: { node: { email: string; status: string; mailing: { id: string } } }[] } }[] }>(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Counterparty { mailingRecipients(first: 5) { totalCount edges { node { email status mailing { id } } } } } } }',
      { r: [{ __typename: 'Counterparty', id: ids.alpha }, { __typename: 'Counterparty', id: ids.beta }] },
    );
    expect(card.errors).toBeUndefined();
    expect(card.data?._entities[0].mailingRecipients).toMatchObject({ totalCount: 1, edges: [{ node: { email: 'anna@alpha.example', status: 'QUEUED', mailing: { id: mailing.id } } }] });
    expect(card.data?._entities[1].mailingRecipients.totalCount).toBe(0);

    expect((await command('cancelMailing', mailing.id)).data?.cancelMailing.status).toBe('CANCELLED');
    expect((await command('resumeMailing', mailing.id)).errors?.[0].extensions?.reason).toBe('mailing.status');
  });

  it('refuses to submit a mailing whose audience is empty', async () => {
    const mailing = await create({ audience: { tags: ['nobody-has-this-tag'] } });
    const result = await command('submitMailingForApproval', mailing.id);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'audience' });
    expect((await read(mailing.id)).status).toBe(MailingStatus.DRAFT);
  });

  it('renders unsaved content sanitized, with warnings for unknown placeholders', async () => {
    const result = await call<{ renderMailing: { html: string; text: string; subject: string; warnings: string[] } }>(
      'query($i: RenderMailingInput!) { renderMailing(input: $i) { html text subject warnings } }',
      { i: { subject: 'Для {{company.name}}', bodyMjml: '<mj-text>Привет, {{contact.name}} {{foo}}<script>x()</script></mj-text>', counterpartyId: ids.beta } },
      viewer,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.renderMailing.subject).toBe('Для Бета');
    expect(result.data?.renderMailing.html).not.toContain('<script');
    expect(result.data?.renderMailing.warnings.join(' ')).toContain('{{foo}}');
  });
});
