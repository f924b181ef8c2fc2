import { gql } from '@apollo/client/core';
import type { Connection } from '@kartoteka/portal-api';
import { TASK_LIST_ROW, type TaskListRow } from './project.queries';

/** General tasks of the deals subgraph: the task form and page, "My tasks" and "My day". */

export type TaskStatus = TaskListRow['status'];
export type TaskPriority = TaskListRow['priority'];
export const TASK_PRIORITIES: readonly TaskPriority[] = ['LOW', 'NORMAL', 'HIGH', 'URGENT'];
export type { TaskListRow };

export type TaskDetail = TaskListRow & {
  description: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  counterpartyId: string | null;
  documentId: string | null;
  dealId: string | null;
  projectId: string | null;
  author: { id: string; name: string } | null;
  completedBy: { id: string; name: string } | null;
  counterparty: { id: string; name: string; shortName: string | null } | null;
  deal: { id: string; title: string } | null;
  project: { id: string; name: string } | null;
  comments: { id: string; text: string; createdAt: string; authorKind: string; author: { id: string; name: string } | null }[];
};

const TASK_DETAIL = gql`
  fragment TaskDetail on Task {
    ...TaskListRow
    description
    createdAt
    updatedAt
    completedAt
    counterpartyId
    documentId
    dealId
    projectId
    author {
      id
      name
    }
    completedBy {
      id
      name
    }
    counterparty {
      id
      name
      shortName
    }
    deal {
      id
      title
    }
    project {
      id
      name
    }
    comments {
      id
      text
      createdAt
      authorKind
      author {
        id
        name
      }
    }
  }
  ${TASK_LIST_ROW}
`;

export type TaskData = { task: TaskDetail | null };
export const TASK = gql`
  query TaskPage($id: ID!) {
    task(id: $id) {
      ...TaskDetail
    }
  }
  ${TASK_DETAIL}
`;

export type TaskInput = {
  title: string;
  description: string | null;
  assigneeId: string | null;
  dueAt: string | null;
  priority: TaskPriority;
  counterpartyId: string | null;
  documentId: string | null;
  dealId: string | null;
  projectId: string | null;
};

export const CREATE_TASK = gql`
  mutation CreateTask($input: CreateTaskInput!) {
    createTask(input: $input) {
      id
    }
  }
`;
export type CreateTaskData = { createTask: { id: string } };

export const UPDATE_TASK = gql`
  mutation UpdateTask($input: UpdateTaskInput!) {
    updateTask(input: $input) {
      ...TaskDetail
    }
  }
  ${TASK_DETAIL}
`;
export type UpdateTaskData = { updateTask: TaskDetail };

export const COMPLETE_TASK = gql`
  mutation CompleteTask($input: TaskTransitionInput!) {
    completeTask(input: $input) {
      ...TaskDetail
    }
  }
  ${TASK_DETAIL}
`;
export const REOPEN_TASK = gql`
  mutation ReopenTask($input: TaskTransitionInput!) {
    reopenTask(input: $input) {
      ...TaskDetail
    }
  }
  ${TASK_DETAIL}
`;
/** Completing from a list: the row's own fields come back, the list refetches. */
export const COMPLETE_TASK_ROW = gql`
  mutation CompleteTaskRow($input: TaskTransitionInput!) {
    completeTask(input: $input) {
      ...TaskListRow
    }
  }
  ${TASK_LIST_ROW}
`;

export const ADD_TASK_COMMENT = gql`
  mutation AddTaskComment($input: AddTaskCommentInput!) {
    addTaskComment(input: $input) {
      id
    }
  }
`;

/** Names of the links a new task is prefilled with (`/tasks/new?projectId=…`), for the form to show them. */
export type TaskLinkNames = {
  deal: { id: string; title: string } | null;
  project: { id: string; name: string } | null;
};
export const TASK_LINK_NAMES = gql`
  query TaskLinkNames($dealId: ID!, $projectId: ID!, $withDeal: Boolean!, $withProject: Boolean!) {
    deal(id: $dealId) @include(if: $withDeal) {
      id
      title
    }
    project(id: $projectId) @include(if: $withProject) {
      id
      name
    }
  }
`;

export type DealActionRow = {
  id: string;
  title: string;
  dueAt: string | null;
  status: 'TODO' | 'REQUESTED' | 'DONE' | 'FAILED';
  deal: { id: string; title: string; counterparty: { id: string; name: string; shortName: string | null } | null } | null;
};

const DEAL_ACTION_ROW = gql`
  fragment DealActionRow on DealAction {
    id
    title
    dueAt
    status
    deal {
      id
      title
      counterparty {
        id
        name
        shortName
      }
    }
  }
`;

export type WorkCounts = { openTasks: number; overdueTasks: number; dealActions: number; overdueDealActions: number };

export type MyTasksData = {
  myTasks: Connection<TaskListRow & { counterparty: { id: string; name: string; shortName: string | null } | null; project: { id: string; name: string } | null }>;
  myDealActions: DealActionRow[];
  myWorkCounts: WorkCounts;
};
/** "My tasks" of the deals app in ONE request: my open tasks by due time, the deal actions waiting on me, the counts. */
export const MY_TASKS = gql`
  query DealsMyTasks($first: Int!, $after: String) {
    myTasks(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          ...TaskListRow
          counterparty {
            id
            name
            shortName
          }
          project {
            id
            name
          }
        }
      }
    }
    myDealActions(first: 100) {
      ...DealActionRow
    }
    myWorkCounts {
      openTasks
      overdueTasks
      dealActions
      overdueDealActions
    }
  }
  ${TASK_LIST_ROW}
  ${DEAL_ACTION_ROW}
`;

export type MyDayVars = { todayStart: string; tomorrowStart: string; weekEnd: string };
export type MyDayData = {
  overdue: Connection<TaskListRow>;
  today: Connection<TaskListRow>;
  week: Connection<TaskListRow>;
  myDealActions: DealActionRow[];
  myWorkCounts: WorkCounts;
};
/**
 * "My day" of the deals app in ONE request: my open tasks overdue, due today and in the next 7 days (top 5 each,
 * with their totals), the deal actions waiting on me and the counts. The day's bounds are the browser's.
 */
export const MY_DAY = gql`
  query DealsMyDay($todayStart: String!, $tomorrowStart: String!, $weekEnd: String!) {
    overdue: myTasks(dueBefore: $todayStart, first: 5) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          ...TaskListRow
        }
      }
    }
    today: myTasks(dueAfter: $todayStart, dueBefore: $tomorrowStart, first: 5) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          ...TaskListRow
        }
      }
    }
    week: myTasks(dueAfter: $tomorrowStart, dueBefore: $weekEnd, first: 5) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          ...TaskListRow
        }
      }
    }
    myDealActions(first: 5) {
      ...DealActionRow
    }
    myWorkCounts {
      openTasks
      overdueTasks
      dealActions
      overdueDealActions
    }
  }
  ${TASK_LIST_ROW}
  ${DEAL_ACTION_ROW}
`;
