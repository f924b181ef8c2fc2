import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PizZip from 'pizzip';
import { COUNTERPARTY_CHANGED, DEAL_DOCUMENT_REQUESTED, GATEWAY_TOKEN_HEADER, LoaderRegistry, signGatewayToken, type BusEvent, type Identity } from '@kartoteka/kit';
import { seedCounterpartyRefs, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { defaultDocumentsSettings, type FilesSettings } from '../../../config';
import { documentsEventHandlers, documentsSubgraph } from '../../../subgraph';
import { admin, errorOf, idOf, manager, ok, viewer } from '../../approval/__tests__/approval.fixtures';
import { fillStaffFromDemoUsers } from '../../staff/staff.fixtures';
import { silentLogger } from '../../notification/__tests__/notification.fixtures';
import { Document } from '../../document/document.entity';
import { DocumentGenerationService } from '../document-generation.service';
import { generationWorker } from '../document-generation.worker';
import { DocumentTemplate } from '../document-template.entity';
import { createFileStorage } from '../../file/file-storage.factory';
import { bindTemplateStore } from '../document-template.service';
import { DEFAULT_TEMPLATES, defaultTemplateDocx, seedDocumentTemplates } from '../defaults/default-templates';
import { buildDocx } from '../template.docx';
import { findSofficeOnPath } from '../template.pdf';

const COUNTERPARTY = { id: '5d1c0000-0000-4000-8000-00000000c0de', name: 'ООО «Ромашка-Юг»', shortName: 'Ромашка-Юг', inn: '7707083893', kpp: '770701001' };
const SOFFICE = findSofficeOnPath(process.env.PATH);
const PDFTOTEXT = findOnPath('pdftotext');

function findOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    try {
      execFileSync('test', ['-x', join(dir, name)]);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return null;
}

let dir: string;
let files: FilesSettings;
let subgraph: TestSubgraph;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kartoteka-templates-spec-'));
  files = { dir, maxBytes: 5 * 1024 * 1024, maxCount: 3, s3: null };
  subgraph = await startTestSubgraph(documentsSubgraph(defaultDocumentsSettings({ files, templates: { sofficePath: SOFFICE, pdfTimeoutMs: 120_000 } }), { workers: false }));
  base = subgraph.url.replace(/\/graphql$/, '/internal');
  await fillStaffFromDemoUsers(subgraph.orm.em.fork());
  await seedCounterpartyRefs(subgraph.orm.em.fork(), [COUNTERPARTY]);
}, 60_000);

afterAll(async () => {
  await subgraph?.close();
  rmSync(dir, { recursive: true, force: true });
});

// ---- helpers ---------------------------------------------------------------------------------------------

const BOUNDARY = '----kartoteka-template-spec';
type Reply = { status: number; json: Record<string, unknown>; body: Buffer };

async function rest(method: string, path: string, identity: Identity, body?: { name: string; content: Buffer }): Promise<Reply> {
  const headers: Record<string, string> = { [GATEWAY_TOKEN_HEADER]: await signGatewayToken(identity, 'documents', subgraph.secret, randomUUID()) };
  let payload: Buffer | undefined;
  if (body) {
    payload = Buffer.concat([
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="${body.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      body.content,
      Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
    ]);
    headers['content-type'] = `multipart/form-data; boundary=${BOUNDARY}`;
  }
  const response = await fetch(`${base}${path}`, { method, headers, body: payload });
  const raw = Buffer.from(await response.arrayBuffer());
  const json = (response.headers.get('content-type') ?? '').includes('json') ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
  return { status: response.status, json, body: raw };
}

async function createTemplate(code: string, documentType = 'COMMERCIAL_OFFER'): Promise<{ id: string; version: number }> {
  const data = ok(await subgraph.request<{ createDocumentTemplate: { id: string; version: number } }>(
    `mutation($input: CreateDocumentTemplateInput!) { createDocumentTemplate(input: $input) { id version } }`,
    { input: { code, name: `Шаблон ${code}`, documentType } },
    admin,
  ));
  return data.createDocumentTemplate;
}

async function createDocument(type = 'COMMERCIAL_OFFER', title = 'КП на поставку стеллажей'): Promise<string> {
  const data = ok(await subgraph.request<{ createDocument: { id: string } }>(
    `mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }`,
    { input: { type, counterpartyId: COUNTERPARTY.id, title, ...(type === 'CONTRACT' ? { contract: { subject: title, startDate: '2026-12-01' } } : {}) } },
    manager,
  ));
  return data.createDocument.id;
}

type Generated = { version: { number: number; comment: string | null; files: { id: string; name: string; contentType: string }[] }; warnings: string[] };

async function generate(documentId: string, templateId: string) {
  return subgraph.request<{ generateDocumentVersion: Generated }>(
    `mutation($input: GenerateDocumentVersionInput!) { generateDocumentVersion(input: $input) { version { number comment files { id name contentType } } warnings } }`,
    { input: { documentId, templateId } },
    manager,
  );
}

const documentXml = (docx: Buffer): string => new PizZip(docx).file('word/document.xml')!.asText();
const download = async (fileId: string): Promise<Buffer> => {
  const reply = await rest('GET', `/rest/files/${fileId}`, manager);
  expect(reply.status).toBe(200);
  return reply.body;
};

const OFFER = buildDocx([
  { text: 'Коммерческое предложение для {counterparty.name}', bold: true },
  { text: 'ИНН {counterparty.inn}, КПП {counterparty.kpp}. Подготовил: {user.name}, {today}.' },
]);

// ---- the catalogue and uploads ---------------------------------------------------------------------------

describe('document templates', () => {
  it('an administrator uploads a DOCX: its placeholders are listed, versions counted; others read but may not change', async () => {
    const template = await createTemplate('offer-upload');
    const first = await rest('POST', `/rest/templates/${template.id}/versions`, admin, { name: 'КП.docx', content: OFFER });
    expect(first.status).toBe(201);
    expect(first.json.version).toMatchObject({ number: 1, placeholders: ['counterparty.inn', 'counterparty.kpp', 'counterparty.name', 'today', 'user.name'] });
    const second = await rest('POST', `/rest/templates/${template.id}/versions`, admin, { name: 'КП-2.docx', content: buildDocx([{ text: 'Для {counterparty.shortName}' }]) });
    expect(second.status).toBe(201);

    const read = ok(await subgraph.request<{ documentTemplate: { currentVersionNumber: number; versions: { number: number; placeholders: string[]; file: { name: string; url: string } }[] } }>(
      `query($id: ID!) { documentTemplate(id: $id) { currentVersionNumber versions { number placeholders file { name url } } } }`,
      { id: template.id },
      viewer,
    ));
    expect(read.documentTemplate.currentVersionNumber).toBe(2);
    expect(read.documentTemplate.versions.map((version) => [version.number, version.placeholders, version.file.name])).toEqual([
      [2, ['counterparty.shortName'], 'КП-2.docx'],
      [1, ['counterparty.inn', 'counterparty.kpp', 'counterparty.name', 'today', 'user.name'], 'КП.docx'],
    ]);
    const [, v1] = read.documentTemplate.versions;
    const fileReply = await rest('GET', v1.file.url.replace('/rest/documents', '/rest'), viewer);
    expect(fileReply.status).toBe(200);
    expect(fileReply.body.equals(OFFER)).toBe(true);

    // an earlier version can be made current again; a stale optimistic lock is a CONFLICT
    const UPDATE = `mutation($input: UpdateDocumentTemplateInput!) { updateDocumentTemplate(input: $input) { currentVersionNumber version } }`;
    const locked = ok(await subgraph.request<{ documentTemplate: { version: number } }>(`query($id: ID!) { documentTemplate(id: $id) { version } }`, { id: template.id }, admin)).documentTemplate.version;
    expect(ok(await subgraph.request<{ updateDocumentTemplate: { currentVersionNumber: number } }>(UPDATE, { input: { id: template.id, version: locked, currentVersionNumber: 1 } }, admin)).updateDocumentTemplate.currentVersionNumber).toBe(1);
    expect(errorOf(await subgraph.request(UPDATE, { input: { id: template.id, version: locked, name: 'Старое имя' } }, admin)).code).toBe('CONFLICT');
    expect(errorOf(await subgraph.request(UPDATE, { input: { id: template.id, version: locked + 1, currentVersionNumber: 7 } }, admin))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'currentVersionNumber' });
    expect(errorOf(await subgraph.request(UPDATE, { input: { id: template.id, version: locked + 1, name: 'x' } }, manager)).code).toBe('FORBIDDEN');
    expect(errorOf(await subgraph.request(`mutation($input: CreateDocumentTemplateInput!) { createDocumentTemplate(input: $input) { id } }`, { input: { code: 'viewer-try', name: 'x', documentType: 'CONTRACT' } }, viewer)).code).toBe('FORBIDDEN');
    expect((await rest('POST', `/rest/templates/${template.id}/versions`, manager, { name: 'КП.docx', content: OFFER })).status).toBe(403);
    expect(errorOf(await subgraph.request(`mutation($input: CreateDocumentTemplateInput!) { createDocumentTemplate(input: $input) { id } }`, { input: { code: 'offer-upload', name: 'again', documentType: 'CONTRACT' } }, admin))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
  });

  it('refuses unknown placeholders (naming them), malformed tags and files that are not DOCX, storing nothing', async () => {
    const template = await createTemplate('offer-refusals');
    const count = async () => (await subgraph.orm.em.getConnection().execute<{ n: number }[]>('select count(*)::int as n from document_template_versions where template_id = ?', [template.id]))[0].n;
    const unknown = await rest('POST', `/rest/templates/${template.id}/versions`, admin, { name: 'bad.docx', content: buildDocx([{ text: '{counterparty.name} {counterparty.ogrn} {manager.phone}' }]) });
    expect(unknown.status).toBe(400);
    const [error] = unknown.json.errors as { message: string; extensions: Record<string, unknown> }[];
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'file', reason: 'template.unknown-placeholders', placeholders: ['counterparty.ogrn', 'manager.phone'] });
    expect(error.message).toContain('{counterparty.ogrn}, {manager.phone}');
    const malformed = await rest('POST', `/rest/templates/${template.id}/versions`, admin, { name: 'bad.docx', content: buildDocx([{ text: 'broken {counterparty.name' }]) });
    expect(malformed.status).toBe(400);
    expect((malformed.json.errors as { extensions: Record<string, unknown> }[])[0].extensions).toMatchObject({ field: 'file', reason: 'template.unreadable' });
    const pdf = await rest('POST', `/rest/templates/${template.id}/versions`, admin, { name: 'offer.pdf', content: Buffer.from('%PDF-1.7\n% not a template\n') });
    expect(pdf.status).toBe(400);
    expect(await count()).toBe(0);
  });

  // ---- generation --------------------------------------------------------------------------------------

  it('generates a version: the DOCX has the counterparty, INN and Cyrillic text; the PDF shows them too', async () => {
    const template = await createTemplate('offer-generate');
    expect((await rest('POST', `/rest/templates/${template.id}/versions`, admin, { name: 'КП.docx', content: OFFER })).status).toBe(201);
    const documentId = await createDocument();
    const generated = ok(await generate(documentId, template.id)).generateDocumentVersion;
    expect(generated.version.number).toBe(1);
    expect(generated.version.comment).toContain('Шаблон offer-generate');
    const docxFile = generated.version.files.find((file) => file.name.endsWith('.docx'))!;
    expect(docxFile).toMatchObject({ name: 'КП на поставку стеллажей.docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
    const xml = documentXml(await download(docxFile.id));
    expect(xml).toContain('Коммерческое предложение для ООО «Ромашка-Юг»');
    expect(xml).toContain('ИНН 7707083893, КПП 770701001');
    expect(xml).toContain('Подготовил: Ольга Смирнова');
    expect(xml).not.toMatch(/\{[a-z.]+\}/i);

    if (!SOFFICE) {
      expect(generated.warnings).toEqual([expect.stringMatching(/LibreOffice/)]);
      return;
    }
    expect(generated.warnings).toEqual([]);
    const pdfFile = generated.version.files.find((file) => file.contentType === 'application/pdf')!;
    expect(pdfFile.name).toBe('КП на поставку стеллажей.pdf');
    const pdf = await download(pdfFile.id);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toMatch(/\/FontName\s*\/[A-Z]{6}\+DejaVuSans/); // the template's Cyrillic font, embedded
    if (PDFTOTEXT) {
      const path = join(dir, 'check.pdf');
      writeFileSync(path, pdf);
      const text = execFileSync(PDFTOTEXT, ['-enc', 'UTF-8', path, '-']).toString('utf8');
      expect(text).toContain('Коммерческое предложение для ООО «Ромашка-Юг»');
      expect(text).toContain('7707083893');
    }
  }, 180_000);

  it('without LibreOffice the version has the DOCX only, and the result says why', async () => {
    const template = await createTemplate('offer-no-pdf');
    expect((await rest('POST', `/rest/templates/${template.id}/versions`, admin, { name: 'КП.docx', content: OFFER })).status).toBe(201);
    const documentId = await createDocument('COMMERCIAL_OFFER', 'КП без PDF');
    bindTemplateStore(subgraph.orm, { storage: createFileStorage(files), files, templates: { sofficePath: join(dir, 'no-such-soffice'), pdfTimeoutMs: 10_000 } });
    try {
      const generated = ok(await generate(documentId, template.id)).generateDocumentVersion;
      expect(generated.version.files.map((file) => file.name)).toEqual(['КП без PDF.docx']);
      expect(generated.warnings).toEqual([expect.stringContaining('LibreOffice (soffice) is not installed')]);
      expect(generated.version.comment).toContain('LibreOffice (soffice) is not installed');
    } finally {
      bindTemplateStore(subgraph.orm, { storage: createFileStorage(files), files, templates: { sofficePath: SOFFICE, pdfTimeoutMs: 120_000 } });
    }
  });

  it('refuses a template of another document type and an archived one', async () => {
    const template = await createTemplate('contract-only', 'CONTRACT');
    expect((await rest('POST', `/rest/templates/${template.id}/versions`, admin, { name: 'Договор.docx', content: OFFER })).status).toBe(201);
    const offerId = await createDocument();
    expect(errorOf(await generate(offerId, template.id))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'templateId', reason: 'template.type-mismatch' });
    const current = ok(await subgraph.request<{ documentTemplate: { version: number } }>(`query($id: ID!) { documentTemplate(id: $id) { version } }`, { id: template.id }, admin));
    ok(await subgraph.request(`mutation($input: ArchiveDocumentTemplateInput!) { archiveDocumentTemplate(input: $input) { archived } }`, { input: { id: template.id, version: current.documentTemplate.version } }, admin));
    const contractId = await createDocument('CONTRACT', 'Договор поставки');
    expect(errorOf(await generate(contractId, template.id))).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'template.archived' });
  });

  // ---- deal actions and the default templates ----------------------------------------------------------

  it('a deal action naming a default template: the document at once, its DOCX from the worker after the commit; an unknown template still creates the document, with a warning', async () => {
    const store = { storage: createFileStorage(files), files, templates: { sofficePath: null, pdfTimeoutMs: 10_000 } };
    expect(await seedDocumentTemplates(subgraph.orm.em.fork(), store)).toBe('documents: default document templates commercial-offer, supply-contract');
    expect(await seedDocumentTemplates(subgraph.orm.em.fork(), store)).toBe('documents: document templates exist, nothing seeded');
    bindTemplateStore(subgraph.orm, store); // DOCX only: this test is about the deal path, the PDF is covered above
    const handle = documentsEventHandlers()[DEAL_DOCUMENT_REQUESTED];
    const worker = generationWorker({ orm: subgraph.orm, logger: silentLogger });
    const sql = <T extends object>(query: string, params: unknown[] = []) => subgraph.orm.em.getConnection().execute<T[]>(query, params);
    const request = (actionId: string, templateCode: string): BusEvent => ({
      id: randomUUID(),
      topic: DEAL_DOCUMENT_REQUESTED,
      producer: 'deals',
      occurredAt: new Date(),
      payload: { dealId: randomUUID(), actionId, counterpartyId: COUNTERPARTY.id, documentType: 'CONTRACT', title: 'Договор поставки — Склад-2', requestedById: idOf(manager), amountMinor: 1_200_000_00, currency: 'RUB', templateCode, dealTitle: 'Склад-2' },
    });
    try {
      const withTemplate = randomUUID();
      await subgraph.orm.em.fork().transactional((em) => handle(request(withTemplate, 'supply-contract'), em));
      // The consumer's transaction only recorded the request: the document exists, without a version yet.
      const [document] = await sql<{ id: string; current_version_number: number }>('select id, current_version_number from documents where source_action_id = ?', [withTemplate]);
      expect(document.current_version_number).toBe(0);
      expect(await sql('select status, attempts from document_generation_requests where document_id = ?', [document.id])).toEqual([{ status: 'PENDING', attempts: 0 }]);
      // A redelivered request (a new event id, the same action) neither duplicates the document nor the request.
      await subgraph.orm.em.fork().transactional((em) => handle(request(withTemplate, 'supply-contract'), em));
      expect(await sql('select document_id from document_generation_requests where document_id = ?', [document.id])).toHaveLength(1);

      expect(await worker.drain()).toBe(1);
      expect(await worker.drain()).toBe(0);
      const [generated] = await sql<{ current_version_number: number }>('select current_version_number from documents where id = ?', [document.id]);
      expect(generated.current_version_number).toBe(1);
      expect(await sql('select status, attempts, last_error from document_generation_requests where document_id = ?', [document.id])).toEqual([{ status: 'DONE', attempts: 1, last_error: null }]);
      const [file] = await sql<{ id: string }>(
        `select f.stored_file_id as id from document_version_files f join document_versions v on v.id = f.version_id where v.document_id = ? order by f.position`,
        [document.id],
      );
      const xml = documentXml(await download(file.id));
      expect(xml).toContain('ООО «Ромашка-Юг» (ИНН 7707083893, КПП 770701001)');
      expect(xml).toContain('1\u00a0200\u00a0000,00\u00a0₽');
      expect(xml).toContain('ДОГОВОР ПОСТАВКИ');
      // No PDF without LibreOffice: the version has the DOCX, and the reason is a warning in the audit trail.
      const warned = await sql<{ details: { warning?: string } }>(`select details from audit_records where document_id = ? and action = 'DOCUMENT_UPDATED'`, [document.id]);
      expect(warned.map((row) => row.details.warning)).toEqual([expect.stringContaining('LibreOffice')]);

      const unknown = randomUUID();
      await subgraph.orm.em.fork().transactional((em) => handle(request(unknown, 'no-such-template'), em));
      expect(await worker.drain()).toBe(1);
      const [plain] = await sql<{ id: string; current_version_number: number }>('select id, current_version_number from documents where source_action_id = ?', [unknown]);
      expect(plain.current_version_number).toBe(0);
      const audit = await sql<{ details: { warning?: string } }>(`select details from audit_records where document_id = ? and action = 'DOCUMENT_UPDATED'`, [plain.id]);
      expect(audit.map((row) => row.details.warning)).toEqual([expect.stringContaining('no-such-template')]);
      expect(await sql('select status from document_generation_requests where document_id = ?', [plain.id])).toEqual([{ status: 'FAILED' }]);
    } finally {
      bindTemplateStore(subgraph.orm, { storage: createFileStorage(files), files, templates: { sofficePath: SOFFICE, pdfTimeoutMs: 120_000 } });
    }
  });

  it('an error that is not a refusal is retried with backoff, then given up with a warning; the document stays', async () => {
    await seedDocumentTemplates(subgraph.orm.em.fork(), { storage: createFileStorage(files), files, templates: { sofficePath: null, pdfTimeoutMs: 10_000 } }); // when run alone
    const broken = { storage: createFileStorage({ ...files, dir: join(dir, 'no-such-storage') }), files, templates: { sofficePath: null, pdfTimeoutMs: 10_000 } };
    bindTemplateStore(subgraph.orm, broken); // the template's DOCX cannot be read: an internal error, not the user's
    const worker = generationWorker({ orm: subgraph.orm, logger: silentLogger }, { maxAttempts: 2, backoffMs: 60_000 });
    const sql = <T extends object>(query: string, params: unknown[] = []) => subgraph.orm.em.getConnection().execute<T[]>(query, params);
    const actionId = randomUUID();
    try {
      await subgraph.orm.em.fork().transactional((em) =>
        documentsEventHandlers()[DEAL_DOCUMENT_REQUESTED](
          { id: randomUUID(), topic: DEAL_DOCUMENT_REQUESTED, producer: 'deals', occurredAt: new Date(), payload: { dealId: randomUUID(), actionId, counterpartyId: COUNTERPARTY.id, documentType: 'CONTRACT', title: 'Договор — сбой', requestedById: idOf(manager), amountMinor: null, currency: null, templateCode: 'supply-contract', dealTitle: 'Сбой' } },
          em,
        ),
      );
      const [document] = await sql<{ id: string }>('select id from documents where source_action_id = ?', [actionId]);
      expect(await worker.drain()).toBe(1);
      const [first] = await sql<{ status: string; attempts: number; last_error: string | null; later: boolean }>(`select status, attempts, last_error, next_attempt_at > now() + interval '50 seconds' as later from document_generation_requests where document_id = ?`, [document.id]);
      expect(first).toMatchObject({ status: 'PENDING', attempts: 1, last_error: expect.any(String), later: true });
      expect(await sql(`select 1 from audit_records where document_id = ? and action = 'DOCUMENT_UPDATED'`, [document.id])).toEqual([]);
      // The backoff (a minute here) has not passed: nothing is due. Once it has, the second attempt is the last.
      expect(await worker.drain()).toBe(0);
      await sql(`update document_generation_requests set next_attempt_at = now() where document_id = ?`, [document.id]);
      expect(await worker.drain()).toBe(1);
      expect(await sql('select status, attempts from document_generation_requests where document_id = ?', [document.id])).toEqual([{ status: 'FAILED', attempts: 2 }]);
      const audit = await sql<{ details: { warning?: string } }>(`select details from audit_records where document_id = ? and action = 'DOCUMENT_UPDATED'`, [document.id]);
      expect(audit.map((row) => row.details.warning)).toEqual([expect.stringContaining('supply-contract')]);
      expect(await sql('select current_version_number from documents where id = ?', [document.id])).toEqual([{ current_version_number: 0 }]);
    } finally {
      bindTemplateStore(subgraph.orm, { storage: createFileStorage(files), files, templates: { sofficePath: SOFFICE, pdfTimeoutMs: 120_000 } });
    }
  });

  it('never generates inside a transaction (the conversion would hold it for seconds)', async () => {
    await seedDocumentTemplates(subgraph.orm.em.fork(), { storage: createFileStorage(files), files, templates: { sofficePath: null, pdfTimeoutMs: 10_000 } }); // when run alone
    const documentId = await createDocument('CONTRACT', 'Договор в транзакции');
    await expect(
      subgraph.orm.em.fork().transactional(async (em) => {
        const document = await em.findOneOrFail(Document, { id: documentId });
        const template = await em.findOneOrFail(DocumentTemplate, { code: 'supply-contract' });
        return new DocumentGenerationService({ em, identity: manager, loaders: new LoaderRegistry() }).generateFor(document, template, null);
      }),
    ).rejects.toThrow(/inside a transaction/);
  });

  it('fills {counterparty.address} and {contact.name} from counterparties\' events; an event without them keeps what was known', async () => {
    const handle = documentsEventHandlers()[COUNTERPARTY_CHANGED];
    const changed = (at: string, extra: Record<string, unknown>): BusEvent => ({
      id: randomUUID(),
      topic: COUNTERPARTY_CHANGED,
      producer: 'counterparties',
      occurredAt: new Date(at),
      payload: { ...COUNTERPARTY, status: 'CLIENT', tags: [], updatedAt: at, ...extra },
    });
    const contacts = [
      { id: randomUUID(), name: 'Анна Петрова', email: 'anna@example.test', mailingConsent: false, mailingConsentAt: null },
      { id: randomUUID(), name: 'Борис Иванов', email: null, mailingConsent: false, mailingConsentAt: null },
    ];
    await subgraph.orm.em.fork().transactional((em) => handle(changed('2026-12-06T10:00:00.000Z', { legalAddress: '344000, г. Ростов-на-Дону, ул. Садовая, д. 1', contacts }), em));
    // Older producers leave both out: the known values stay. A late older state changes nothing either.
    await subgraph.orm.em.fork().transactional((em) => handle(changed('2026-12-06T11:00:00.000Z', {}), em));
    await subgraph.orm.em.fork().transactional((em) => handle(changed('2026-12-06T09:00:00.000Z', { legalAddress: 'старый адрес', contacts: [] }), em));

    bindTemplateStore(subgraph.orm, { storage: createFileStorage(files), files, templates: { sofficePath: null, pdfTimeoutMs: 10_000 } }); // DOCX only: fast
    const template = await createTemplate('offer-details');
    const content = buildDocx([{ text: 'Адрес: {counterparty.address}. Контакт: {contact.name}.' }]);
    expect((await rest('POST', `/rest/templates/${template.id}/versions`, admin, { name: 'КП.docx', content })).status).toBe(201);
    const first = ok(await generate(await createDocument('COMMERCIAL_OFFER', 'КП с адресом'), template.id)).generateDocumentVersion;
    expect(documentXml(await download(first.version.files.find((file) => file.name.endsWith('.docx'))!.id))).toContain('Адрес: 344000, г. Ростов-на-Дону, ул. Садовая, д. 1. Контакт: Анна Петрова.');

    // A newer state without contacts and without an address on its card empties them.
    await subgraph.orm.em.fork().transactional((em) => handle(changed('2026-12-06T12:00:00.000Z', { legalAddress: null, contacts: [] }), em));
    const second = ok(await generate(await createDocument('COMMERCIAL_OFFER', 'КП без адреса'), template.id)).generateDocumentVersion;
    expect(documentXml(await download(second.version.files.find((file) => file.name.endsWith('.docx'))!.id))).toContain('Адрес: . Контакт: .');
    bindTemplateStore(subgraph.orm, { storage: createFileStorage(files), files, templates: { sofficePath: SOFFICE, pdfTimeoutMs: 120_000 } });
  });

  it('the committed default DOCX files are exactly what the code builds', () => {
    for (const template of DEFAULT_TEMPLATES) {
      const path = join(__dirname, '..', 'defaults', template.fileName);
      if (process.env.UPDATE_DEFAULT_TEMPLATES === '1') writeFileSync(path, defaultTemplateDocx(template));
      expect(readFileSync(path).equals(defaultTemplateDocx(template))).toBe(true);
    }
  });
});
