import type { TaskPriority } from '../../api/task.queries';

/** The colour of a task's priority tag. */
export const priorityTagType = (priority: TaskPriority): 'default' | 'info' | 'warning' | 'error' =>
  priority === 'URGENT' ? 'error' : priority === 'HIGH' ? 'warning' : priority === 'LOW' ? 'default' : 'info';
