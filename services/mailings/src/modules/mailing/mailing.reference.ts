import { defineReference } from '@kartoteka/kit';
import { MailingService } from './mailing.service';

/** Other subgraphs resolve `Mailing { id }` here: one query per request, whatever the number of mailings. */
export const mailingReference = defineReference('Mailing', {
  permissions: ['mailings:read'],
  load: (ids, context) => new MailingService(context).findByIds(ids),
});

/** `MailingRecipient { id }`, batched the same way. */
export const mailingRecipientReference = defineReference('MailingRecipient', {
  permissions: ['mailings:read'],
  load: (ids, context) => new MailingService(context).recipientsByIds(ids),
});
