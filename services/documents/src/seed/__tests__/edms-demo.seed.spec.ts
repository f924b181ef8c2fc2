import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { accountant, idOf, lawyer, manager, ok, sales } from '../../modules/approval/__tests__/approval.fixtures';
import { LocalFileStorage } from '../../modules/file/local-file.storage';
import { defaultDocumentsSettings } from '../../config';
import { documentsSubgraph } from '../../subgraph';
import { seedEdmsDemo } from '../edms-demo.seed';
import { seedRouteTemplates } from '../route-templates.seed';

let subgraph: TestSubgraph;
const dir = mkdtempSync(join(tmpdir(), 'kartoteka-demo-files-'));
const counterpartyIds = ['5d1c0000-0000-4000-8000-00000000d001', '5d1c0000-0000-4000-8000-00000000d002', '5d1c0000-0000-4000-8000-00000000d003', '5d1c0000-0000-4000-8000-00000000d004'];

beforeAll(async () => {
  subgraph = await startTestSubgraph(documentsSubgraph(defaultDocumentsSettings(), { workers: false }));
});
afterAll(async () => {
  await subgraph?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('default route templates and the live EDMS demo', () => {
  it('seeds a default route for every document type, once', async () => {
    expect(await seedRouteTemplates(subgraph.orm.em.fork())).toBe('documents: 9 default route templates');
    expect(await seedRouteTemplates(subgraph.orm.em.fork())).toBe('documents: route templates exist, nothing seeded');
    const data = ok(await subgraph.request<{ routeTemplates: { documentType: string; isDefault: boolean; stages: { signOff: boolean; steps: { role: string }[] }[] }[] }>(`{ routeTemplates { documentType isDefault stages { signOff steps { role } } } }`, {}, manager));
    expect(new Set(data.routeTemplates.map((template) => template.documentType)).size).toBe(9);
    const contract = data.routeTemplates.find((template) => template.documentType === 'CONTRACT')!;
    expect(contract.stages.map((stage) => [stage.signOff, stage.steps.map((step) => step.role)])).toEqual([[false, ['LAWYER', 'ACCOUNTANT']], [true, ['DIRECTOR']]]);
  });

  it('creates real routes, tasks, a rework and an acknowledgement through the services, once', async () => {
    const storage = new LocalFileStorage(dir);
    const em = subgraph.orm.em.fork();
    const message = await em.transactional((tem) => seedEdmsDemo(tem, { storage, counterpartyIds }));
    expect(message).toMatch(/live EDMS demo/);
    const tasks = async (identity: typeof lawyer) => ok(await subgraph.request<{ myApprovalTasks: { totalCount: number } }>(`{ myApprovalTasks(first: 10) { totalCount } }`, {}, identity)).myApprovalTasks.totalCount;
    expect(await tasks(lawyer)).toBe(1);
    expect(await tasks(accountant)).toBe(2);
    const statuses = await subgraph.orm.em.getConnection().execute<{ status: string; n: number }[]>(`select status, count(*)::int as n from documents group by status order by status`);
    expect(statuses).toEqual([{ status: 'ON_APPROVAL', n: 2 }, { status: 'REJECTED', n: 1 }, { status: 'SIGNED', n: 1 }]);
    const acks = ok(await subgraph.request<{ myAcknowledgementTasks: { totalCount: number } }>(`{ myAcknowledgementTasks(first: 10) { totalCount } }`, {}, sales));
    expect(acks.myAcknowledgementTasks.totalCount).toBe(1);
    const rework = await subgraph.orm.em.getConnection().execute<{ user_id: string }[]>(`select user_id from notifications where kind = 'REWORK_NEEDED'`);
    expect(rework.map((row) => row.user_id)).toEqual([idOf(manager)]);
    const [file] = await subgraph.orm.em.getConnection().execute<{ sha256: string }[]>('select sha256 from stored_files limit 1');
    expect(await storage.exists(file.sha256)).toBe(true);
    expect(await em.transactional((tem) => seedEdmsDemo(tem, { storage, counterpartyIds }))).toBe('documents: approval routes exist, no live demo seeded');
  });
});
