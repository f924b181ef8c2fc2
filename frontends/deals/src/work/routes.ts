import { shallowReadonly, shallowRef, type Ref } from 'vue';

/**
 * The projects and general tasks pages of the deals app (`projectPages` on /projects…, `taskPages` on /tasks/new
 * and /tasks/:id). "My tasks" (/tasks) and "My day" (/) are applications of their own and read no route.
 */
export type WorkRoute =
  | { name: 'project-list' }
  | { name: 'project-new' }
  | { name: 'project'; id: string }
  | { name: 'task-new' }
  | { name: 'task'; id: string }
  | { name: 'none' };

export const parseWorkRoute = (pathname: string): WorkRoute => {
  const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  if (path === '/projects') return { name: 'project-list' };
  if (path === '/projects/new') return { name: 'project-new' };
  if (path === '/tasks/new') return { name: 'task-new' };
  const project = /^\/projects\/([^/]+)$/.exec(path);
  if (project) return { name: 'project', id: decodeURIComponent(project[1]) };
  const task = /^\/tasks\/([^/]+)$/.exec(path);
  if (task) return { name: 'task', id: decodeURIComponent(task[1]) };
  return { name: 'none' };
};

const keyOf = (route: WorkRoute): string => ('id' in route ? `${route.name}:${route.id}` : route.name);

const current = shallowRef<WorkRoute>(parseWorkRoute(window.location.pathname));

const sync = (): void => {
  const next = parseWorkRoute(window.location.pathname);
  if (keyOf(next) !== keyOf(current.value)) current.value = next;
};

window.addEventListener('popstate', sync);
window.addEventListener('single-spa:routing-event', sync);

/** The project or task page the portal shows now ('none' elsewhere). */
export const useWorkRoute = (): Readonly<Ref<WorkRoute>> => shallowReadonly(current);

const withQuery = (path: string, params: Record<string, string | null | undefined>): string => {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) query.set(key, value);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
};

export type TaskPrefill = { counterpartyId?: string | null; documentId?: string | null; dealId?: string | null; projectId?: string | null; title?: string | null };

export const workPaths = {
  projects: (params: { counterpartyId?: string | null } = {}): string => withQuery('/projects', params),
  newProject: (params: { counterpartyId?: string | null } = {}): string => withQuery('/projects/new', params),
  project: (id: string): string => `/projects/${encodeURIComponent(id)}`,
  tasks: '/tasks',
  newTask: (prefill: TaskPrefill = {}): string => withQuery('/tasks/new', prefill),
  task: (id: string): string => `/tasks/${encodeURIComponent(id)}`,
  deal: (id: string): string => `/deals/${encodeURIComponent(id)}`,
  counterparty: (id: string): string => `/counterparties/${encodeURIComponent(id)}`,
  document: (id: string): string => `/documents/${encodeURIComponent(id)}`,
};
