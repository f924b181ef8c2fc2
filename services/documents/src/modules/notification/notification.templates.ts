import type { MailLocale } from '../../config';
import type { NotificationKind, PaymentOverdueParams } from './notification.entity';

/** What an e-mail is made of: the values are user-supplied and escaped where they land in HTML. */
export type MailContentInput = {
  kind: NotificationKind;
  /** Null for a task's reminder without a document. */
  documentId: string | null;
  /** TASK_DUE_SOON, TASK_OVERDUE: the task; the link opens it. */
  taskId?: string | null;
  documentTitle: string;
  documentNumber: string | null;
  actorName: string | null;
  comment: string | null;
  dueAt: Date | null;
  /** PAYMENT_OVERDUE: the overdue obligation. */
  payment?: PaymentOverdueParams | null;
};

export type RenderedMail = { subject: string; text: string; html: string };

/** Moscow time in e-mails: the product's staff work in Russia; the zone is printed next to the time. */
const MAIL_TIME_ZONE = 'Europe/Moscow';
const SUBJECT_MAX = 200;

type Phrases = {
  subject: (title: string) => string;
  /** The first paragraph: who did what; `doc` is the quoted title with its number. */
  lead: (doc: string, actor: string | null) => string;
};

/** The lines of an overdue payment (PAYMENT_OVERDUE). */
type PaymentTexts = {
  counterparty: string;
  amount: string;
  dueDate: string;
  daysOverdue: string;
  owes: string;
  direction: Record<PaymentOverdueParams['direction'], string>;
};

type LocaleTexts = {
  dateLocale: string;
  payment: PaymentTexts;
  document: (title: string, number: string | null) => string;
  due: string;
  comment: string;
  open: string;
  openTask: string;
  task: (title: string) => string;
  footer: string;
  kinds: Record<NotificationKind, Phrases>;
};

const TEXTS: Record<MailLocale, LocaleTexts> = {
  ru: {
    dateLocale: 'ru-RU',
    payment: {
      counterparty: 'Контрагент',
      amount: 'Сумма просрочки',
      dueDate: 'Срок оплаты',
      daysOverdue: 'Дней просрочки',
      owes: 'Должник',
      direction: { RECEIVABLE: 'контрагент (задолженность перед нами)', PAYABLE: 'мы (наша оплата контрагенту)' },
    },
    document: (title, number) => `«${title}»${number ? ` № ${number}` : ''}`,
    due: 'Срок',
    comment: 'Комментарий',
    open: 'Открыть документ',
    openTask: 'Открыть задачу',
    task: (title) => `«${title}»`,
    footer: 'Письмо отправлено автоматически системой «Картотека». Письма этого вида можно отключить в настройках уведомлений на портале.',
    kinds: {
      APPROVAL_TASK: {
        subject: (title) => `Согласование: ${title}`,
        lead: (doc, actor) => `${actor ? `${actor} направил(а) вам` : 'Вам поступил'} на согласование документ ${doc}.`,
      },
      REWORK_NEEDED: {
        subject: (title) => `Документ возвращён на доработку: ${title}`,
        lead: (doc, actor) => `Документ ${doc} возвращён на доработку${actor ? ` (${actor})` : ''}.`,
      },
      ACKNOWLEDGEMENT_REQUESTED: {
        subject: (title) => `Ознакомление с документом: ${title}`,
        lead: (doc, actor) => `${actor ? `${actor} просит вас` : 'Вас просят'} ознакомиться с документом ${doc} и подтвердить ознакомление.`,
      },
      DEADLINE_PASSED: {
        subject: (title) => `Срок истёк: ${title}`,
        lead: (doc) => `Истёк срок по документу ${doc}.`,
      },
      DOCUMENT_SIGNED: {
        subject: (title) => `Документ подписан: ${title}`,
        lead: (doc, actor) => `Документ ${doc} подписан${actor ? ` (${actor})` : ''}.`,
      },
      DECISION_MADE: {
        subject: (title) => `Решение по документу: ${title}`,
        lead: (doc, actor) => `${actor ? `${actor} принял(а) решение` : 'Принято решение'} по документу ${doc}.`,
      },
      PAYMENT_OVERDUE: {
        subject: (title) => `Просрочена оплата: ${title}`,
        lead: (doc, actor) => `Просрочена оплата по документу ${doc}${actor ? ` (${actor})` : ''}.`,
      },
      TASK_DUE_SOON: {
        subject: (title) => `Скоро срок задачи: ${title}`,
        lead: (task) => `Скоро срок вашей задачи ${task}.`,
      },
      TASK_OVERDUE: {
        subject: (title) => `Задача просрочена: ${title}`,
        lead: (task) => `Истёк срок вашей задачи ${task}.`,
      },
    },
  },
  en: {
    dateLocale: 'en-GB',
    payment: {
      counterparty: 'Counterparty',
      amount: 'Overdue amount',
      dueDate: 'Payment due',
      daysOverdue: 'Days overdue',
      owes: 'Owed by',
      direction: { RECEIVABLE: 'the counterparty (receivable)', PAYABLE: 'us (payable to the counterparty)' },
    },
    document: (title, number) => `“${title}”${number ? ` No. ${number}` : ''}`,
    due: 'Due',
    comment: 'Comment',
    open: 'Open the document',
    openTask: 'Open the task',
    task: (title) => `“${title}”`,
    footer: 'This message was sent automatically by Kartoteka. You can turn off e-mail of this kind in the notification settings of the portal.',
    kinds: {
      APPROVAL_TASK: {
        subject: (title) => `Approval: ${title}`,
        lead: (doc, actor) => `${actor ? `${actor} sent you` : 'You have received'} the document ${doc} for approval.`,
      },
      REWORK_NEEDED: {
        subject: (title) => `Returned for rework: ${title}`,
        lead: (doc, actor) => `The document ${doc} was returned for rework${actor ? ` by ${actor}` : ''}.`,
      },
      ACKNOWLEDGEMENT_REQUESTED: {
        subject: (title) => `Please read: ${title}`,
        lead: (doc, actor) => `${actor ? `${actor} asks you` : 'You are asked'} to read the document ${doc} and confirm it.`,
      },
      DEADLINE_PASSED: {
        subject: (title) => `Deadline passed: ${title}`,
        lead: (doc) => `A deadline on the document ${doc} has passed.`,
      },
      DOCUMENT_SIGNED: {
        subject: (title) => `Signed: ${title}`,
        lead: (doc, actor) => `The document ${doc} was signed${actor ? ` by ${actor}` : ''}.`,
      },
      DECISION_MADE: {
        subject: (title) => `Decision on ${title}`,
        lead: (doc, actor) => `${actor ? `${actor} made a decision` : 'A decision was made'} on the document ${doc}.`,
      },
      PAYMENT_OVERDUE: {
        subject: (title) => `Payment overdue: ${title}`,
        lead: (doc, actor) => `A payment under the document ${doc}${actor ? ` (${actor})` : ''} is overdue.`,
      },
      TASK_DUE_SOON: {
        subject: (title) => `Task due soon: ${title}`,
        lead: (task) => `Your task ${task} is due soon.`,
      },
      TASK_OVERDUE: {
        subject: (title) => `Task overdue: ${title}`,
        lead: (task) => `Your task ${task} is overdue.`,
      },
    },
  },
};

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]);
}

/** One line, no control characters: what may go into a header. */
function oneLine(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
}

function truncate(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

export function documentLink(portalUrl: string, documentId: string): string {
  return `${portalUrl.replace(/\/+$/, '')}/documents/${encodeURIComponent(documentId)}`;
}

/** The portal page of a general task (deals' tasks). */
export function taskLink(portalUrl: string, taskId: string): string {
  return `${portalUrl.replace(/\/+$/, '')}/tasks/${encodeURIComponent(taskId)}`;
}

/** An amount in minor units as the locale writes money (15 000,00 ₽ / RUB 15,000.00). */
export function formatMoney(amountMinor: number, currency: string, locale: string): string {
  let format: Intl.NumberFormat;
  try {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  } catch {
    return `${(amountMinor / 100).toFixed(2)} ${currency}`;
  }
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amountMinor / 10 ** digits);
}

/** A calendar date (YYYY-MM-DD) in the locale's long form, no time zone involved. */
function formatDay(day: string, locale: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(year, month - 1, date)));
}

/** The label/value lines of an overdue payment. */
function paymentLines(payment: PaymentOverdueParams, texts: LocaleTexts): [string, string][] {
  return [
    [texts.payment.counterparty, oneLine(payment.counterpartyName)],
    [texts.payment.amount, formatMoney(payment.amountMinor, payment.currency, texts.dateLocale)],
    [texts.payment.dueDate, formatDay(payment.dueDate, texts.dateLocale)],
    [texts.payment.daysOverdue, String(payment.daysOverdue)],
    [texts.payment.owes, texts.payment.direction[payment.direction]],
  ];
}

function formatDate(date: Date, locale: string): string {
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: MAIL_TIME_ZONE, timeZoneName: 'short' }).format(date);
}

/**
 * Subject, plain text and HTML of the e-mail for one notification. Every user-supplied value (title,
 * number, names, comment) is escaped in the HTML; the subject is one line.
 */
export function renderNotificationMail(input: MailContentInput, options: { locale: MailLocale; portalUrl: string }): RenderedMail {
  const texts = TEXTS[options.locale];
  const phrases = texts.kinds[input.kind];
  const title = oneLine(input.documentTitle);
  const number = input.documentNumber ? oneLine(input.documentNumber) : null;
  const actor = input.actorName ? oneLine(input.actorName) : null;
  const comment = input.comment?.trim() ? input.comment.trim() : null;
  const due = input.dueAt ? formatDate(input.dueAt, texts.dateLocale) : null;
  // a task's reminder opens the task; everything else its document
  const taskId = input.taskId ?? null;
  const link = taskId ? taskLink(options.portalUrl, taskId) : documentLink(options.portalUrl, input.documentId ?? '');
  const openLabel = taskId ? texts.openTask : texts.open;

  const subject = truncate(oneLine(phrases.subject(title)), SUBJECT_MAX);

  const payment = input.payment ? paymentLines(input.payment, texts) : [];

  const textLines = [phrases.lead(taskId ? texts.task(title) : texts.document(title, number), actor)];
  for (const [label, value] of payment) textLines.push(`${label}: ${value}`);
  if (due) textLines.push(`${texts.due}: ${due}`);
  if (comment) textLines.push(`${texts.comment}: ${comment}`);
  textLines.push('', `${openLabel}: ${link}`, '', '—', texts.footer);
  const text = textLines.join('\n');

  const escapedDocument = taskId ? texts.task(escapeHtml(title)) : texts.document(escapeHtml(title), number ? escapeHtml(number) : null);
  const htmlParts = [`<p>${phrases.lead(`<b>${escapedDocument}</b>`, actor ? escapeHtml(actor) : null)}</p>`];
  if (payment.length) htmlParts.push(`<p>${payment.map(([label, value]) => `${escapeHtml(label)}: <b>${escapeHtml(value)}</b>`).join('<br>')}</p>`);
  if (due) htmlParts.push(`<p>${escapeHtml(texts.due)}: ${escapeHtml(due)}</p>`);
  if (comment) htmlParts.push(`<p>${escapeHtml(texts.comment)}:</p><blockquote style="margin:0 0 1em;padding-left:1em;border-left:3px solid #ccc;white-space:pre-wrap">${escapeHtml(comment)}</blockquote>`);
  htmlParts.push(`<p><a href="${escapeHtml(link)}">${escapeHtml(openLabel)}</a></p>`);
  htmlParts.push(`<p style="color:#888;font-size:12px">${escapeHtml(texts.footer)}</p>`);
  const html = `<!DOCTYPE html><html lang="${options.locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body style="font-family:Arial,sans-serif;font-size:14px;line-height:1.5">${htmlParts.join('')}</body></html>`;
  return { subject, text, html };
}
