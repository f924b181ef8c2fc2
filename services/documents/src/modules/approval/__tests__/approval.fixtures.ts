import { randomBytes } from 'node:crypto';
import { ANONYMOUS, type Identity, LoaderRegistry } from '@kartoteka/kit';
import { demoIdentity, type GraphQLResponse, seedCounterpartyRefs, type TestSubgraph } from '@kartoteka/kit/testing';
import { StoredFile } from '../../file/stored-file.entity';
import { fillStaffFromDemoUsers } from '../../staff/staff.fixtures';

export const admin = demoIdentity('admin@kartoteka.local');
export const manager = demoIdentity('manager@kartoteka.local');
export const sales = demoIdentity('sales@kartoteka.local');
export const lawyer = demoIdentity('approver@kartoteka.local');
export const accountant = demoIdentity('accountant@kartoteka.local');
export const director = demoIdentity('director@kartoteka.local');
export const viewer = demoIdentity('viewer@kartoteka.local');
export const idOf = (identity: Identity): string => (identity.kind === 'anonymous' ? '' : identity.id);

export const COUNTERPARTY_ID = '5d1c0000-0000-4000-8000-000000000001';

/** The staff directory and the counterparty read model as identity's and counterparties' events would fill them. */
export async function fillStaffDirectory(subgraph: TestSubgraph): Promise<void> {
  await fillStaffFromDemoUsers(subgraph.orm.em.fork());
  await seedCounterpartyRefs(subgraph.orm.em.fork(), [COUNTERPARTY_ID]);
}

/** An uploaded file, as the upload route would have stored it. */
export async function storedFile(subgraph: TestSubgraph, name = 'contract.pdf'): Promise<string> {
  const em = subgraph.orm.em.fork();
  const file = em.create(StoredFile, { sha256: randomBytes(32).toString('hex'), size: 1024, contentType: 'application/pdf', name });
  await em.flush();
  return file.id;
}

export function ok<T>(response: GraphQLResponse<T>): T {
  if (response.errors?.length) throw new Error(`unexpected errors: ${JSON.stringify(response.errors)}`);
  return response.data as T;
}

export function errorOf(response: GraphQLResponse): { code: unknown; field: unknown; reason: unknown; message: string } {
  expect(response.errors?.length).toBeGreaterThan(0);
  const [error] = response.errors ?? [];
  return { code: error.extensions?.code, field: error.extensions?.field, reason: error.extensions?.reason, message: error.message };
}

export const systemContext = (subgraph: TestSubgraph) => ({ em: subgraph.orm.em.fork(), identity: ANONYMOUS, loaders: new LoaderRegistry() });

export const DOCUMENT_FIELDS = `id status number registeredAt signedAt verified currentVersionNumber version title
  approvalRoute { id round status versionNumber templateName stages { name mode rule quorum signOff status steps { id status role comment carriedOver decisionVersionNumber assignees { id } decidedBy { id } } } }`;

export type Step = { id: string; status: string; role: string | null; comment: string | null; carriedOver: boolean; decisionVersionNumber: number | null; assignees: { id: string }[]; decidedBy: { id: string } | null };
export type Stage = { name: string; mode: string; rule: string; quorum: number | null; signOff: boolean; status: string; steps: Step[] };
export type DocumentView = {
  id: string;
  status: string;
  number: string | null;
  registeredAt: string | null;
  signedAt: string | null;
  verified: boolean;
  currentVersionNumber: number;
  version: number;
  title: string;
  approvalRoute: { id: string; round: number; status: string; versionNumber: number; templateName: string; stages: Stage[] } | null;
};
