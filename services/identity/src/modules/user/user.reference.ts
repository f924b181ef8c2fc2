import { defineReference } from '@kartoteka/kit';
import { UserService } from './user.service';

/** Other subgraphs resolve `User { id }` here: one query per request, whatever the number of users. */
export const userReference = defineReference('User', {
  permissions: ['users:read'],
  load: (ids, context) => new UserService(context).findByIds(ids),
});
