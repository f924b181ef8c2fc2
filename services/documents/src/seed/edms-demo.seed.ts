import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import PDFDocument from 'pdfkit';
import { DEMO_USERS, type Identity, LoaderRegistry, preloadDemoCounterpartyRefs, userIdentity } from '@kartoteka/kit';
import { AcknowledgementService } from '../modules/acknowledgement/acknowledgement.service';
import { ApprovalRoute } from '../modules/approval/approval-route.entity';
import { StepStatus } from '../modules/approval/approval.enums';
import { ApprovalService } from '../modules/approval/approval.service';
import { ApprovalStep } from '../modules/approval/approval-route.entity';
import { DocumentType } from '../modules/document/document.entity';
import type { CreateDocumentInput } from '../modules/document/document.input';
import { DocumentService } from '../modules/document/document.service';
import type { FileStorage } from '../modules/file/file.storage';
import { StoredFile } from '../modules/file/stored-file.entity';
import { fillStaffFromDemoUsers } from '../modules/staff/staff.fixtures';

/** DejaVu Sans (a free font covering Cyrillic), embedded and subset into each demo PDF. */
const DEMO_FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
/** A fixed creation date keeps the demo files byte-identical from one seeding to the next. */
const DEMO_PDF_DATE = new Date('2026-01-01T00:00:00Z');

/** A one-page A4 PDF with a few lines of text, Cyrillic included (pdfkit, DejaVu Sans embedded). */
export function demoPdf(lines: string[], title = lines[0] ?? 'Kartoteka'): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pdf = new PDFDocument({ size: 'A4', margin: 72, info: { Title: title, Producer: 'Kartoteka', Creator: 'Kartoteka demo', CreationDate: DEMO_PDF_DATE, ModDate: DEMO_PDF_DATE } });
    const chunks: Buffer[] = [];
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
    pdf.font(DEMO_FONT).fontSize(14);
    for (const line of lines) pdf.text(line, { lineGap: 4 });
    pdf.end();
  });
}

const person = (email: string): Identity => {
  const user = DEMO_USERS.find((demo) => demo.email === email);
  if (!user) throw new Error(`no demo user ${email}`);
  return userIdentity(user.id, user.name, user.roles);
};

/**
 * Live EDMS demo on top of the archive: contracts on approval (tasks waiting for the lawyer and the
 * accountant), one rejected to rework, a signed letter under acknowledgement — made through the services,
 * so routes, audit trail and notifications are real. Idempotent: only while no route exists.
 */
export async function seedEdmsDemo(em: EntityManager, options: { storage: FileStorage; counterpartyIds: readonly string[] }): Promise<string> {
  if (await em.count(ApprovalRoute, {})) return 'documents: approval routes exist, no live demo seeded';
  if (options.counterpartyIds.length < 4) return 'documents: too few demo counterparties for the live demo';
  await fillStaffFromDemoUsers(em);
  // documents are created through the service, which checks counterparties against the read model
  await preloadDemoCounterpartyRefs(em, options.counterpartyIds);
  const scratch = await mkdtemp(join(tmpdir(), 'kartoteka-demo-'));
  const manager = person('manager@kartoteka.local');
  const as = (identity: Identity) => ({ em, identity, loaders: new LoaderRegistry() });
  try {
    const upload = async (name: string, lines: string[]): Promise<string> => {
      const content = await demoPdf(lines);
      const sha256 = createHash('sha256').update(content).digest('hex');
      const path = join(scratch, sha256);
      await writeFile(path, content);
      await options.storage.put(sha256, path);
      const file = em.create(StoredFile, { sha256, size: content.length, contentType: 'application/pdf', name, uploadedById: manager.kind === 'user' ? manager.id : null });
      await em.flush();
      return file.id;
    };
    const create = async (input: Omit<CreateDocumentInput, 'counterpartyId'>, counterpartyIndex: number, fileName: string) =>
      new DocumentService(as(manager)).create(Object.assign(input, { counterpartyId: options.counterpartyIds[counterpartyIndex], fileIds: [await upload(fileName, [input.title, 'Демонстрационный документ Картотеки', `Файл: ${fileName}`])] }) as CreateDocumentInput);
    const pendingStep = async (documentId: string, email: string): Promise<string> => {
      const identity = person(email);
      const steps = await em.find(ApprovalStep, { documentId, status: StepStatus.PENDING });
      const step = steps.find((candidate) => identity.kind === 'user' && candidate.assigneeIds.includes(identity.id));
      if (!step) throw new Error(`demo: ${email} has no pending step on ${documentId}`);
      return step.id;
    };

    const awaiting = await create({ type: DocumentType.CONTRACT, title: 'Договор оказания услуг № 52/26-У', amountMinor: 2_400_000_00, contract: { subject: 'Техническое обслуживание складского оборудования', startDate: '2026-12-01', endDate: '2027-11-30', paymentTerms: 'Ежемесячно, до 10 числа' } } as CreateDocumentInput, 0, 'dogovor-52-26-U.pdf');
    await new ApprovalService(as(manager)).start(awaiting.id, null);

    const halfway = await create({ type: DocumentType.CONTRACT, title: 'Договор поставки № 53/26-П', amountMinor: 7_850_000_00, contract: { subject: 'Поставка упаковочных материалов', startDate: '2026-12-15', paymentTerms: 'Отсрочка 30 дней' } } as CreateDocumentInput, 1, 'dogovor-53-26-P.pdf');
    await new ApprovalService(as(manager)).start(halfway.id, null);
    await new ApprovalService(as(person('approver@kartoteka.local'))).approve(await pendingStep(halfway.id, 'approver@kartoteka.local'), 'Юридических рисков нет');

    const rework = await create({ type: DocumentType.CONTRACT, title: 'Договор аренды № 54/26-А', amountMinor: 960_000_00, contract: { subject: 'Аренда складского помещения 300 м²', startDate: '2027-01-01', endDate: '2027-12-31' } } as CreateDocumentInput, 2, 'dogovor-54-26-A.pdf');
    await new ApprovalService(as(manager)).start(rework.id, null);
    await new ApprovalService(as(person('approver@kartoteka.local'))).approve(await pendingStep(rework.id, 'approver@kartoteka.local'), null);
    await new ApprovalService(as(person('accountant@kartoteka.local'))).reject(await pendingStep(rework.id, 'accountant@kartoteka.local'), 'Уточните порядок индексации арендной платы');

    const letter = await create({ type: DocumentType.OUTGOING_LETTER, title: 'Письмо о переходе на ЭДО', letter: { subject: 'Переход на электронный документооборот с 01.01.2027', correspondent: 'Главный бухгалтер' } } as CreateDocumentInput, 3, 'pismo-edo.pdf');
    await new ApprovalService(as(manager)).start(letter.id, null);
    await new ApprovalService(as(person('director@kartoteka.local'))).approve(await pendingStep(letter.id, 'director@kartoteka.local'), 'Согласен');
    await new AcknowledgementService(as(person('director@kartoteka.local'))).request({ documentId: letter.id, userIds: [], roles: ['MANAGER', 'ACCOUNTANT'], deadline: new Date(Date.now() + 5 * 86_400_000), comment: 'Ознакомьтесь с новым порядком' });
    return 'documents: live EDMS demo (3 contracts on approval or rework, 1 signed letter under acknowledgement)';
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
