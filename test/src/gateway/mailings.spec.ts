import { checkPublishedEvents } from '../support/event-contracts';
import { CREATE_COUNTERPARTY, legalEntityInput } from '../support/fixtures';
import { startStack, type Stack } from '../support/stack';
import { scaled } from '../support/timing';

/**
 * An offer mailing through the gateway (issue 12): contacts' consent recorded in counterparties reaches the mailings
 * service's read model by events; a manager builds the mailing with an attachment, previews its audience and submits
 * it; documents files the EDMS document and routes it; the director signs it off as in the EDMS; the mailing becomes
 * APPROVED by documents' events, starts with its recipients QUEUED, and the counterparty card shows them.
 */
let stack: Stack;
let rest: string;

beforeAll(async () => {
  stack = await startStack({ production: true });
  rest = stack.gatewayUrl.replace(/\/graphql$/, '/rest/mailings');
});
afterAll(() => stack?.stop());

const MANAGER = 'manager@kartoteka.local';
const DIRECTOR = 'director@kartoteka.local';
const ADMIN = 'admin@kartoteka.local';

async function gql<T>(query: string, variables: Record<string, unknown>, email: string): Promise<T> {
  const result = await stack.call<T>(query, variables, await stack.login(email));
  if (result.errors?.length) throw new Error(`${email}: ${JSON.stringify(result.errors)}`);
  return result.data as T;
}

/** Polls until `check` passes (events cross three services); fails with the last value seen. */
async function until<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + scaled(20_000);
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const MAILING = `id status version approvalDocumentId approvalComment attachment { fileName contentType size }
  progress { total queued sent } recipients(first: 10) { totalCount edges { node { email status contactName counterparty { id name } } } }`;

describe('offer mailing through the gateway', () => {
  it('an approval the EDMS cannot start (no route for commercial offers yet) comes back as REJECTED with the reason', async () => {
    const tag = `norate-${Date.now()}`;
    await gql(CREATE_COUNTERPARTY, { input: legalEntityInput({ status: 'PROSPECT', tags: [tag], contacts: [{ name: 'Ольга', email: 'olga@example.ru', mailingConsent: true }] }) }, MANAGER);
    const { createMailing: created } = await gql<{ createMailing: { id: string } }>(
      'mutation($i: CreateMailingInput!) { createMailing(input: $i) { id } }',
      { i: { name: 'Без маршрута', subject: 'Тест', bodyMjml: '<mj-text>{{contact.name}}</mj-text>', audience: { tags: [tag] } } },
      MANAGER,
    );
    await gql('mutation($i: MailingIdInput!) { submitMailingForApproval(input: $i) { id } }', { i: { id: created.id } }, MANAGER);
    await stack.settleAll();
    const rejected = await until(
      async () => (await gql<{ mailing: { status: string; approvalComment: string | null } }>('query($id: ID!) { mailing(id: $id) { status approvalComment } }', { id: created.id }, MANAGER)).mailing,
      (mailing) => mailing.status !== 'ON_APPROVAL',
      'refused approval',
    );
    expect(rejected).toMatchObject({ status: 'REJECTED', approvalComment: expect.stringContaining('COMMERCIAL_OFFER') });
  });

  it('consent → audience → approval in the EDMS → start → recipients on the mailing and the counterparty card', async () => {
    await gql(
      `mutation($input: CreateRouteTemplateInput!) { createRouteTemplate(input: $input) { id } }`,
      { input: { name: 'КП: подпись директора', documentType: 'COMMERCIAL_OFFER', stages: [{ name: 'Подписание', mode: 'SEQUENTIAL', rule: 'ALL', steps: [{ role: 'DIRECTOR', deadlineHours: 8 }] }] } },
      ADMIN,
    );
    const tag = `promo-${Date.now()}`;
    const contacts = (prefix: string) => [
      { name: `${prefix} Согласна`, email: `${prefix}.yes@example.ru`, mailingConsent: true },
      { name: `${prefix} Против`, email: `${prefix}.no@example.ru`, mailingConsent: false },
    ];
    const first = (await gql<{ createCounterparty: { id: string } }>(CREATE_COUNTERPARTY, { input: legalEntityInput({ status: 'PROSPECT', tags: [tag], contacts: contacts('alpha') }) }, MANAGER)).createCounterparty.id;
    const second = (await gql<{ createCounterparty: { id: string } }>(CREATE_COUNTERPARTY, { input: legalEntityInput({ status: 'PROSPECT', tags: [tag], contacts: contacts('beta') }) }, MANAGER)).createCounterparty.id;

    const audience = { tags: [tag] };
    const preview = await gql<{ mailingAudiencePreview: { recipients: number; withoutConsent: number; sample: { email: string }[] } }>(
      'query($a: MailingAudienceFilterInput!) { mailingAudiencePreview(audience: $a) { recipients withoutConsent sample { email } } }',
      { a: audience },
      MANAGER,
    );
    expect(preview.mailingAudiencePreview).toMatchObject({ recipients: 2, withoutConsent: 2 });

    const { createMailing: created } = await gql<{ createMailing: { id: string; version: number } }>(
      'mutation($i: CreateMailingInput!) { createMailing(input: $i) { id version } }',
      { i: { name: 'КП: весна', subject: 'Предложение для {{company.shortName}}', bodyMjml: '<mjml><mj-body><mj-section><mj-column><mj-text>{{contact.name}}, смотрите вложение.</mj-text><mj-button href="{{unsubscribeUrl}}">Отписаться</mj-button></mj-column></mj-section></mj-body></mjml>', audience } },
      MANAGER,
    );

    // the attachment over REST: a viewer may not set it; the manager does; the mailing's version moves on
    const upload = async (email: string) => {
      const body = new FormData();
      body.append('file', new Blob([new Uint8Array(Buffer.from('%PDF-1.7\noffer'))], { type: 'application/pdf' }), 'КП весна.pdf');
      return fetch(`${rest}/mailings/${created.id}/attachment`, { method: 'POST', headers: { authorization: `Bearer ${await stack.login(email)}` }, body });
    };
    expect((await upload('viewer@kartoteka.local')).status).toBe(403);
    const uploaded = await upload(MANAGER);
    expect(uploaded.status).toBe(201);
    const download = await fetch(`${rest}/mailings/${created.id}/attachment`, { headers: { authorization: `Bearer ${await stack.login(MANAGER)}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(Buffer.from(await download.arrayBuffer()).toString()).toBe('%PDF-1.7\noffer');

    const { submitMailingForApproval: submitted } = await gql<{ submitMailingForApproval: { status: string; approvalDocumentId: string; attachment: { fileName: string; size: number } } }>(
      `mutation($i: MailingIdInput!) { submitMailingForApproval(input: $i) { ${MAILING} } }`,
      { i: { id: created.id } },
      MANAGER,
    );
    expect(submitted).toMatchObject({ status: 'ON_APPROVAL', attachment: { fileName: 'КП весна.pdf', size: 14 } });
    const documentId = submitted.approvalDocumentId;

    // documents filed the offer with the rendered message and started its route: the director has the task
    await stack.settleAll();
    const task = await until(
      () => gql<{ myApprovalTasks: { edges: { node: { id: string; canDecide: boolean; document: { id: string; type: string; status: string } } }[] } }>('{ myApprovalTasks(first: 50) { edges { node { id canDecide document { id type status } } } } }', {}, DIRECTOR),
      (data) => data.myApprovalTasks.edges.some((edge) => edge.node.document.id === documentId),
      'director task',
    );
    const node = task.myApprovalTasks.edges.find((edge) => edge.node.document.id === documentId)!.node;
    expect(node.document).toMatchObject({ type: 'COMMERCIAL_OFFER', status: 'ON_APPROVAL' });
    await gql('mutation($input: ApproveStepInput!) { approveStep(input: $input) { id status } }', { input: { stepId: node.id, comment: 'Можно отправлять' } }, DIRECTOR);
    await stack.settleAll();

    const approved = await until(
      async () => (await gql<{ mailing: { status: string } }>('query($id: ID!) { mailing(id: $id) { status } }', { id: created.id }, MANAGER)).mailing,
      (mailing) => mailing.status === 'APPROVED',
      'mailing approval',
    );
    expect(approved.status).toBe('APPROVED');
    // an approved mailing's content (and attachment) can no longer change
    expect((await upload(MANAGER)).status).toBe(400);

    const { startMailing: started } = await gql<{ startMailing: { status: string; progress: { total: number; queued: number }; recipients: { totalCount: number; edges: { node: { email: string; status: string; counterparty: { id: string; name: string } } }[] } } }>(
      `mutation($i: MailingIdInput!) { startMailing(input: $i) { ${MAILING} } }`,
      { i: { id: created.id } },
      MANAGER,
    );
    expect(started).toMatchObject({ status: 'SENDING', progress: { total: 2, queued: 2 } });
    expect(started.recipients.edges.map((edge) => [edge.node.email, edge.node.status, edge.node.counterparty.id])).toEqual([
      ['alpha.yes@example.ru', 'QUEUED', first],
      ['beta.yes@example.ru', 'QUEUED', second],
    ]);
    expect(started.recipients.edges[0].node.counterparty.name).toContain('Тестовая Компания');

    // the counterparty card: its recipients in every mailing
    const card = await gql<{ counterparty: { name: string; mailingRecipients: { totalCount: number; edges: { node: { email: string; status: string; mailing: { id: string; name: string } } }[] } } }>(
      'query($id: ID!) { counterparty(id: $id) { name mailingRecipients(first: 5) { totalCount edges { node { email status mailing { id name } } } } } }',
      { id: first },
      MANAGER,
    );
    expect(card.counterparty.mailingRecipients).toEqual({ totalCount: 1, edges: [{ node: { email: 'alpha.yes@example.ru', status: 'QUEUED', mailing: { id: created.id, name: 'КП: весна' } } }] });

    // every event of the scenario fits the contract its consumers read it with
    await stack.settleAll();
    const report = await checkPublishedEvents(stack);
    expect(report.violations).toEqual([]);
    expect(report.pairs).toEqual(
      expect.arrayContaining([
        'counterparties → counterparties.counterparty.created → mailings',
        'mailings → mailings.mailing.approval-requested → documents',
        'documents → documents.mailing-approval.refused → mailings',
        'documents → documents.document.signed → mailings',
        'documents → documents.document.activity → mailings',
      ]),
    );
  });
});
