import type {
  CreateProjectMutation,
  CounterpartyProjectRowFragment,
  ProjectListQuery,
  ProjectListQueryVariables,
  ProjectOptionsQuery,
  ProjectOrder as SchemaProjectOrder,
  ProjectPageQuery,
  ProjectRole as SchemaProjectRole,
  ProjectStatus as SchemaProjectStatus,
  TaskListRowFragment,
  UpdateProjectMutation,
} from './__generated__/project';

/**
 * Projects of the deals subgraph: the list, the form, the project page. The documents are in project.graphql;
 * their types and typed document nodes are generated from the supergraph (`pnpm codegen`).
 */
export {
  ProjectListDocument as PROJECT_LIST,
  ProjectPageDocument as PROJECT,
  CreateProjectDocument as CREATE_PROJECT,
  UpdateProjectDocument as UPDATE_PROJECT,
  ProjectOptionsDocument as PROJECT_OPTIONS,
  CounterpartyProjectRowFragmentDoc as COUNTERPARTY_PROJECT_ROW,
  TaskListRowFragmentDoc as TASK_LIST_ROW,
} from './__generated__/project';

export type ProjectStatus = SchemaProjectStatus;
export const PROJECT_STATUSES = ['PLANNED', 'ACTIVE', 'ON_HOLD', 'COMPLETED', 'CANCELLED'] as const satisfies readonly ProjectStatus[];
export type ProjectRole = SchemaProjectRole;
export type ProjectOrder = SchemaProjectOrder;
export const PROJECT_ORDERS = ['CREATED_DESC', 'NAME_ASC', 'NAME_DESC', 'START_DATE_ASC', 'START_DATE_DESC', 'END_DATE_ASC', 'END_DATE_DESC'] as const satisfies readonly ProjectOrder[];

export const PROJECTS_PAGE_SIZE = 20;
/** The list's filters and order select another list; only `after` pages one ("load more"). */
export const PROJECT_LIST_KEY_ARGS = ['status', 'counterpartyId', 'search', 'orderBy'];

export type ProjectListVars = ProjectListQueryVariables;
export type ProjectListData = ProjectListQuery;
export type ProjectRow = ProjectListData['projects']['edges'][number]['node'];
export type ProjectCounterparty = ProjectRow['counterparties'][number];

/** The project page in ONE request: the project, its deals, team, history, and its tasks. */
export type ProjectData = ProjectPageQuery;
export type ProjectDetail = NonNullable<ProjectData['project']>;
export type ProjectChange = ProjectDetail['history']['edges'][number]['node'];

/** A task as lists show it (My tasks, the project's and the deal's task panels). */
export type TaskListRow = TaskListRowFragment;
export type ProjectTaskRow = TaskListRow;

export type CreateProjectData = CreateProjectMutation;
export type UpdateProjectData = UpdateProjectMutation;

/** The card's projects panel: selected in the deals panel's own query (see deal.graphql). */
export type CounterpartyProjectRow = CounterpartyProjectRowFragment;

/** The project picker of the task form: projects by name or code. */
export type ProjectOptionsData = ProjectOptionsQuery;
