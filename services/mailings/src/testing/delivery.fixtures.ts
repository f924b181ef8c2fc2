import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

export type SeededMailing = { mailingId: string; counterpartyId: string; managerId: string; recipients: { id: string; email: string; contactName: string }[] };

export const TEMPLATE = `<mjml><mj-body><mj-section><mj-column>
<mj-text>Здравствуйте, {{contact.name}}! Предложение для {{company.shortName}} от {{manager.name}}.</mj-text>
<mj-text><a href="{{unsubscribeUrl}}">Отписаться</a></mj-text>
</mj-column></mj-section></mj-body></mjml>`;

/**
 * A mailing already SENDING with its recipients fixed (what H1's startMailing leaves behind), straight into the
 * database: the delivery specs test the sending side alone. One counterparty (with its manager) for all of them.
 */
export async function seedSendingMailing(
  em: EntityManager,
  options: { emails: string[]; ratePerMinute?: number; ratePerHour?: number; status?: string; name?: string; attachment?: { fileName: string; contentType: string; bytes: Buffer } },
): Promise<SeededMailing> {
  const mailingId = randomUUID();
  const counterpartyId = randomUUID();
  const managerId = randomUUID();
  await em.execute(`insert into user_refs (id, email, name, roles, active, updated_at) values (?, ?, 'Мария Менеджерова', '{MANAGER}', true, now())`, [managerId, `m-${managerId}@kartoteka.local`]);
  await em.execute(`insert into audience_counterparties (id, name, short_name, status, tags, responsible_manager_id, updated_at) values (?, 'Общество с ограниченной ответственностью «Ромашка»', 'ООО «Ромашка»', 'PROSPECT', '{}', ?, now())`, [counterpartyId, managerId]);
  await em.execute(
    `insert into mailings (id, name, subject, body_mjml, status, audience, rate_per_minute, rate_per_hour, attachment_file_name, attachment_content_type, attachment_size, started_at)
     values (?, ?, 'Предложение для {{company.name}}', ?, ?, '{}'::jsonb, ?, ?, ?, ?, ?, now())`,
    [mailingId, options.name ?? 'Осеннее предложение', TEMPLATE, options.status ?? 'SENDING', options.ratePerMinute ?? 6000, options.ratePerHour ?? 100_000, options.attachment?.fileName ?? null, options.attachment?.contentType ?? null, options.attachment?.bytes.length ?? null],
  );
  if (options.attachment) await em.execute(`insert into mailing_attachments (mailing_id, bytes, sha256) values (?, ?, 'x')`, [mailingId, options.attachment.bytes]);
  const recipients = options.emails.map((email, index) => ({ id: randomUUID(), email: email.toLowerCase(), contactName: `Контакт ${index + 1}` }));
  for (let start = 0; start < recipients.length; start += 500) {
    const chunk = recipients.slice(start, start + 500);
    await em.execute(
      `insert into mailing_recipients (id, mailing_id, counterparty_id, contact_id, contact_name, email, status, next_attempt_at) values ${chunk.map(() => `(?, ?, ?, gen_random_uuid(), ?, ?, 'QUEUED', now())`).join(', ')}`,
      chunk.flatMap((recipient) => [recipient.id, mailingId, counterpartyId, recipient.contactName, recipient.email]),
    );
  }
  return { mailingId, counterpartyId, managerId, recipients };
}

export async function recipientRows(em: EntityManager, mailingId: string): Promise<{ id: string; email: string; status: string; attempts: number; bounce_kind: string | null; last_error: string | null; message_id: string | null }[]> {
  return em.execute(`select id, email, status, attempts, bounce_kind, last_error, message_id from mailing_recipients where mailing_id = ? order by email`, [mailingId]);
}

export async function mailingStatus(em: EntityManager, mailingId: string): Promise<string> {
  const [row] = await em.execute<{ status: string }[]>('select status from mailings where id = ?', [mailingId]);
  return row.status;
}

export async function statusEvents(em: EntityManager, mailingId: string): Promise<Record<string, unknown>[]> {
  const rows = await em.execute<{ payload: Record<string, unknown> }[]>(`select payload from outbox_events where topic = 'mailings.recipient.status-changed' and payload->>'mailingId' = ? order by created_at, id`, [mailingId]);
  return rows.map((row) => row.payload);
}
