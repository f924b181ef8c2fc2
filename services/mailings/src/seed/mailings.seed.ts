import { DEMO_USERS } from '@kartoteka/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Mailing } from '../modules/mailing/mailing.entity';
import { sanitizeMjml } from '../modules/mailing/mailing.render';

/** The starter template of the demo mailing (and a fair example of the placeholders). */
export const DEMO_MAILING_MJML = `<mjml>
  <mj-body background-color="#f4f5f7">
    <mj-section background-color="#ffffff" padding="24px">
      <mj-column>
        <mj-text font-size="20px" font-weight="bold">Коммерческое предложение для {{company.shortName}}</mj-text>
        <mj-text>Здравствуйте, {{contact.name}}!</mj-text>
        <mj-text>Мы подготовили для вас специальные условия на весь следующий квартал. Подробности — во вложении.</mj-text>
        <mj-text>С уважением, {{manager.name}}</mj-text>
        <mj-divider border-width="1px" border-color="#dddddd" />
        <mj-text font-size="11px" color="#888888">Вы получили это письмо, потому что согласились получать предложения. <a href="{{unsubscribeUrl}}">Отписаться</a></mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;

/**
 * Demo data of the mailings service: one DRAFT mailing to the demo prospects, by the demo manager — nothing to
 * send until someone submits it for approval. Runs once (under an advisory lock, so two starting instances do
 * not both seed), on a database without mailings.
 */
export async function seedMailingsDemo(em: EntityManager): Promise<string> {
  await em.execute(`select pg_advisory_xact_lock(hashtext('kartoteka:seed:mailings'))`);
  if (await em.count(Mailing, {})) return 'mailings: mailings exist, nothing seeded';
  const manager = DEMO_USERS.find((user) => user.roles.includes('MANAGER'));
  em.create(Mailing, {
    name: 'КП: специальные условия для новых клиентов',
    subject: 'Специальные условия для {{company.shortName}}',
    bodyMjml: sanitizeMjml(DEMO_MAILING_MJML),
    audienceFilter: { statuses: ['PROSPECT'], tags: [], responsibleManagerIds: [], minRatingScore: null, counterpartyIds: [] },
    createdById: manager?.id ?? null,
  });
  await em.flush();
  return 'mailings: 1 demo draft mailing';
}
