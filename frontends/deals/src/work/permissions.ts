import { hasPermission } from '../model/permissions';

/** What the signed-in employee may do with projects and tasks (the API's role → permission table). */
export const canReadProjects = (): boolean => hasPermission('projects:read');
export const canWriteProjects = (): boolean => hasPermission('projects:write');
export const canReadTasks = (): boolean => hasPermission('tasks:read');
export const canWriteTasks = (): boolean => hasPermission('tasks:write');
