import type Mail from 'nodemailer/lib/mailer';
import { personalise, type CompiledMailing } from '../mailing/mailing.render';
import { createUnsubscribeToken, unsubscribeUrl } from '../suppression/unsubscribe-token';
import type { DeliverySettings } from './delivery.settings';

/** What one message is made of: the recipient, their personalisation, the mailing's compiled template and attachment. */
export type MessageParts = {
  recipientId: string;
  mailingId: string;
  email: string;
  contactName: string | null;
  companyName: string;
  companyShortName: string | null;
  managerName: string | null;
  messageId: string;
  compiled: CompiledMailing;
  attachment: { fileName: string; contentType: string; bytes: Buffer } | null;
};

/** The domain of the From address (for Message-IDs): `Картотека <offers@example.com>` → `example.com`. */
export function senderDomain(from: string): string {
  const match = /@([^@\s>]+)>?\s*$/.exec(from);
  return match ? match[1].toLowerCase() : 'kartoteka.local';
}

/**
 * The Message-ID of a recipient's message: derived from the recipient's id alone, so every attempt — a retry,
 * a resend after a crash — carries the same one, and a receiving system that saw it already can drop the copy.
 */
export function recipientMessageId(recipientId: string, from: string): string {
  return `<mailing.${recipientId}@${senderDomain(from)}>`;
}

/** A display name that cannot break the header (no quotes games, no line breaks). */
function displayName(name: string | null): string | undefined {
  const clean = name?.replace(/[\u0000-\u001f\u007f"\\]+/g, ' ').trim();
  return clean ? clean.slice(0, 200) : undefined;
}

/**
 * One recipient's message: To is that one address and nothing else (no Cc, no Bcc — the envelope has exactly one
 * RCPT TO); HTML with its text alternative; the mailing's attachment; the stable Message-ID; and the unsubscribe
 * link of RFC 2369 with the one-click POST of RFC 8058, the same signed link `{{unsubscribeUrl}}` puts in the body.
 */
export function composeMessage(parts: MessageParts, settings: Pick<DeliverySettings, 'from' | 'publicBaseUrl' | 'unsubscribeSecret'>): Mail.Options {
  const link = unsubscribeUrl(settings.publicBaseUrl, createUnsubscribeToken({ recipientId: parts.recipientId, email: parts.email }, settings.unsubscribeSecret));
  const content = personalise(parts.compiled, {
    contactName: parts.contactName,
    companyName: parts.companyName,
    companyShortName: parts.companyShortName,
    managerName: parts.managerName,
    unsubscribeUrl: link,
  });
  const name = displayName(parts.contactName);
  return {
    from: settings.from,
    to: name ? { name, address: parts.email } : parts.email,
    envelope: { from: settings.from.replace(/^.*<([^>]+)>\s*$/, '$1'), to: [parts.email] },
    subject: content.subject,
    html: content.html,
    text: content.text,
    messageId: parts.messageId,
    headers: {
      'List-Unsubscribe': `<${link}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'X-Kartoteka-Mailing': parts.mailingId,
    },
    attachments: parts.attachment ? [{ filename: parts.attachment.fileName, contentType: parts.attachment.contentType, content: parts.attachment.bytes }] : [],
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}
