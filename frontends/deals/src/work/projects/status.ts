import type { ProjectStatus } from '../../api/project.queries';

/** The colour of a project's status tag. */
export const statusTagType = (status: ProjectStatus): 'default' | 'info' | 'success' | 'warning' | 'error' =>
  status === 'ACTIVE' ? 'info' : status === 'COMPLETED' ? 'success' : status === 'ON_HOLD' ? 'warning' : status === 'CANCELLED' ? 'error' : 'default';
