import { startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { demoIdentity } from '@kartoteka/kit/testing';
import { defaultDocumentsSettings } from '../../../config';
import { documentsSubgraph } from '../../../subgraph';
import { notifyCommitted, notifyInput, outboxRows, seedStaff, staffMember } from './notification.fixtures';

let subgraph: TestSubgraph;
const admin = demoIdentity('admin@kartoteka.local');
const manager = demoIdentity('manager@kartoteka.local');

beforeAll(async () => {
  subgraph = await startTestSubgraph(documentsSubgraph(defaultDocumentsSettings(), { workers: false }));
});
afterAll(() => subgraph?.close());

describe('failed notification e-mails', () => {
  it('lists what the relay gave up on and sends it again on an administrator\'s request', async () => {
    const members = [staffMember('Анна Петрова'), staffMember('Борис Иванов')];
    await seedStaff(subgraph.orm, members);
    await notifyCommitted(subgraph.orm, notifyInput(members.map((member) => member.id)));
    const rows = await outboxRows(subgraph.orm);
    expect(rows).toHaveLength(2);
    await subgraph.orm.em.getConnection().execute(`update mail_outbox set status = 'FAILED', attempts = 8, last_error = '550 mailbox unavailable'`);

    const FAILED = '{ failedEmails { id to subject attempts lastError } }';
    expect((await subgraph.request(FAILED, {}, manager)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const listed = await subgraph.request<{ failedEmails: { id: string; to: string; attempts: number; lastError: string }[] }>(FAILED, {}, admin);
    expect(listed.data?.failedEmails.map((row) => row.to).sort()).toEqual(members.map((member) => member.email).sort());
    expect(listed.data?.failedEmails[0]).toMatchObject({ attempts: 8, lastError: '550 mailbox unavailable' });

    const RETRY = 'mutation($ids: [ID!]) { retryFailedEmails(ids: $ids) }';
    expect((await subgraph.request(RETRY, { ids: ['nope'] }, admin)).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ids' });
    const one = await subgraph.request<{ retryFailedEmails: number }>(RETRY, { ids: [rows[0].id] }, admin);
    expect(one.errors).toBeUndefined();
    expect(one.data?.retryFailedEmails).toBe(1);
    expect((await subgraph.request<{ retryFailedEmails: number }>(RETRY, {}, admin)).data?.retryFailedEmails).toBe(1);
    expect((await subgraph.request<{ retryFailedEmails: number }>(RETRY, {}, admin)).data?.retryFailedEmails).toBe(0);
    expect((await outboxRows(subgraph.orm)).map((row) => [row.status, row.attempts, row.last_error])).toEqual([
      ['PENDING', 0, null],
      ['PENDING', 0, null],
    ]);
  });
});
