import type {
  CreateTaskMutation,
  DealActionRowFragment,
  DealsMyDayQuery,
  DealsMyDayQueryVariables,
  DealsMyTasksQuery,
  TaskDetailFragment,
  TaskLinkNamesQuery,
  TaskPageQuery,
  TaskPriority as SchemaTaskPriority,
  TaskStatus as SchemaTaskStatus,
  UpdateTaskMutation,
} from './__generated__/task';

/**
 * General tasks of the deals subgraph: the task form and page, "My tasks" and "My day". The documents are in
 * task.graphql; their types and typed document nodes are generated from the supergraph (`pnpm codegen`).
 */
export {
  TaskPageDocument as TASK,
  CreateTaskDocument as CREATE_TASK,
  UpdateTaskDocument as UPDATE_TASK,
  CompleteTaskDocument as COMPLETE_TASK,
  ReopenTaskDocument as REOPEN_TASK,
  /** Completing from a list: the row's own fields come back, the list refetches. */
  CompleteTaskRowDocument as COMPLETE_TASK_ROW,
  AddTaskCommentDocument as ADD_TASK_COMMENT,
  TaskLinkNamesDocument as TASK_LINK_NAMES,
  DealsMyTasksDocument as MY_TASKS,
  DealsMyDayDocument as MY_DAY,
} from './__generated__/task';
export type { TaskListRow } from './project.queries';

export type TaskStatus = SchemaTaskStatus;
export type TaskPriority = SchemaTaskPriority;
export const TASK_PRIORITIES = ['LOW', 'NORMAL', 'HIGH', 'URGENT'] as const satisfies readonly TaskPriority[];

export type TaskDetail = TaskDetailFragment;
export type TaskData = TaskPageQuery;

export type CreateTaskData = CreateTaskMutation;
export type UpdateTaskData = UpdateTaskMutation;

/** Names of the links a new task is prefilled with (`/tasks/new?projectId=…`), for the form to show them. */
export type TaskLinkNames = TaskLinkNamesQuery;

export type DealActionRow = DealActionRowFragment;

/** "My tasks" of the deals app in ONE request: my open tasks by due time, the deal actions waiting on me, the counts. */
export type MyTasksData = DealsMyTasksQuery;
export type WorkCounts = MyTasksData['myWorkCounts'];

/**
 * "My day" of the deals app in ONE request: my open tasks overdue, due today and in the next 7 days (top 5 each,
 * with their totals), the deal actions waiting on me and the counts. The day's bounds are the browser's.
 */
export type MyDayVars = DealsMyDayQueryVariables;
export type MyDayData = DealsMyDayQuery;
