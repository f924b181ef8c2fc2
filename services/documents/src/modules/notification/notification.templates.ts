import type { MailLocale } from '../../config';
import type { NotificationKind } from './notification.entity';

/** What an e-mail is made of: the values are user-supplied and escaped where they land in HTML. */
export type MailContentInput = {
  kind: NotificationKind;
  documentId: string;
  documentTitle: string;
  documentNumber: string | null;
  actorName: string | null;
  comment: string | null;
  dueAt: Date | null;
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

type LocaleTexts = {
  dateLocale: string;
  document: (title: string, number: string | null) => string;
  due: string;
  comment: string;
  open: string;
  footer: string;
  kinds: Record<NotificationKind, Phrases>;
};

const TEXTS: Record<MailLocale, LocaleTexts> = {
  ru: {
    dateLocale: 'ru-RU',
    document: (title, number) => `«${title}»${number ? ` № ${number}` : ''}`,
    due: 'Срок',
    comment: 'Комментарий',
    open: 'Открыть документ',
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
    },
  },
  en: {
    dateLocale: 'en-GB',
    document: (title, number) => `“${title}”${number ? ` No. ${number}` : ''}`,
    due: 'Due',
    comment: 'Comment',
    open: 'Open the document',
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
  const link = documentLink(options.portalUrl, input.documentId);

  const subject = truncate(oneLine(phrases.subject(title)), SUBJECT_MAX);

  const textLines = [phrases.lead(texts.document(title, number), actor)];
  if (due) textLines.push(`${texts.due}: ${due}`);
  if (comment) textLines.push(`${texts.comment}: ${comment}`);
  textLines.push('', `${texts.open}: ${link}`, '', '—', texts.footer);
  const text = textLines.join('\n');

  const escapedDocument = texts.document(escapeHtml(title), number ? escapeHtml(number) : null);
  const htmlParts = [`<p>${phrases.lead(`<b>${escapedDocument}</b>`, actor ? escapeHtml(actor) : null)}</p>`];
  if (due) htmlParts.push(`<p>${escapeHtml(texts.due)}: ${escapeHtml(due)}</p>`);
  if (comment) htmlParts.push(`<p>${escapeHtml(texts.comment)}:</p><blockquote style="margin:0 0 1em;padding-left:1em;border-left:3px solid #ccc;white-space:pre-wrap">${escapeHtml(comment)}</blockquote>`);
  htmlParts.push(`<p><a href="${escapeHtml(link)}">${escapeHtml(texts.open)}</a></p>`);
  htmlParts.push(`<p style="color:#888;font-size:12px">${escapeHtml(texts.footer)}</p>`);
  const html = `<!DOCTYPE html><html lang="${options.locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body style="font-family:Arial,sans-serif;font-size:14px;line-height:1.5">${htmlParts.join('')}</body></html>`;
  return { subject, text, html };
}
