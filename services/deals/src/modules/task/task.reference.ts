import { defineReference } from '@kartoteka/kit';
import { TaskService } from './task.service';

/** Other subgraphs resolve `Task { id }` here: one query per request, whatever the number of tasks. */
export const taskReference = defineReference('Task', {
  permissions: ['tasks:read'],
  load: (ids, context) => new TaskService(context).findByIds(ids),
});
