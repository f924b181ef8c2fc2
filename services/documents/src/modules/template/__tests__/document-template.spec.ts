import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PizZip from 'pizzip';
import { DEAL_DOCUMENT_REQUESTED, GATEWAY_TOKEN_HEADER, signGatewayToken, type BusEvent, type Identity } from '@kartoteka/kit';
import { seedCounterpartyRefs, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { defaultDocumentsSettings, type FilesSettings } from '../../../config';
import { documentsEventHandlers, documentsSubgraph } from '../../../subgraph';
import { admin, errorOf, idOf, manager, ok, viewer } from '../../approval/__tests__/approval.fixtures';
import { fillStaffFromDemoUsers } from '../../staff/staff.fixtures';
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

  it('a deal action naming a default template gets its DOCX; an unknown template still creates the document, with a warning', async () => {
    const store = { storage: createFileStorage(files), files, templates: { sofficePath: null, pdfTimeoutMs: 10_000 } };
    expect(await seedDocumentTemplates(subgraph.orm.em.fork(), store)).toBe('documents: default document templates commercial-offer, supply-contract');
    expect(await seedDocumentTemplates(subgraph.orm.em.fork(), store)).toBe('documents: document templates exist, nothing seeded');
    bindTemplateStore(subgraph.orm, store); // DOCX only: this test is about the deal path, the PDF is covered above
    const handle = documentsEventHandlers()[DEAL_DOCUMENT_REQUESTED];
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
      const [document] = await subgraph.orm.em.getConnection().execute<{ id: string; current_version_number: number }[]>('select id, current_version_number from documents where source_action_id = ?', [withTemplate]);
      expect(document.current_version_number).toBe(1);
      const [file] = await subgraph.orm.em.getConnection().execute<{ id: string }[]>(
        `select f.stored_file_id as id from document_version_files f join document_versions v on v.id = f.version_id where v.document_id = ? order by f.position`,
        [document.id],
      );
      const xml = documentXml(await download(file.id));
      expect(xml).toContain('ООО «Ромашка-Юг» (ИНН 7707083893, КПП 770701001)');
      expect(xml).toContain('1\u00a0200\u00a0000,00\u00a0₽');
      expect(xml).toContain('ДОГОВОР ПОСТАВКИ');

      const unknown = randomUUID();
      await subgraph.orm.em.fork().transactional((em) => handle(request(unknown, 'no-such-template'), em));
      const [plain] = await subgraph.orm.em.getConnection().execute<{ id: string; current_version_number: number }[]>('select id, current_version_number from documents where source_action_id = ?', [unknown]);
      expect(plain.current_version_number).toBe(0);
      const audit = await subgraph.orm.em.getConnection().execute<{ details: { warning?: string } }[]>(`select details from audit_records where document_id = ? and action = 'DOCUMENT_UPDATED'`, [plain.id]);
      expect(audit.map((row) => row.details.warning)).toEqual([expect.stringContaining('no-such-template')]);
    } finally {
      bindTemplateStore(subgraph.orm, { storage: createFileStorage(files), files, templates: { sofficePath: SOFFICE, pdfTimeoutMs: 120_000 } });
    }
  });

  it('the committed default DOCX files are exactly what the code builds', () => {
    for (const template of DEFAULT_TEMPLATES) {
      const path = join(__dirname, '..', 'defaults', template.fileName);
      if (process.env.UPDATE_DEFAULT_TEMPLATES === '1') writeFileSync(path, defaultTemplateDocx(template));
      expect(readFileSync(path).equals(defaultTemplateDocx(template))).toBe(true);
    }
  });
});
