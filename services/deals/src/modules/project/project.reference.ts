import { defineReference } from '@kartoteka/kit';
import { ProjectService } from './project.service';

/** Other subgraphs resolve `Project { id }` here: one query per request, whatever the number of projects. */
export const projectReference = defineReference('Project', {
  permissions: ['projects:read'],
  load: (ids, context) => new ProjectService(context).findByIds(ids),
});
