import { gql } from '@apollo/client/core';
import type { Connection, Money } from '@kartoteka/portal-api';

/** Projects of the deals subgraph: the list, the form, the project page. */

export type ProjectStatus = 'PLANNED' | 'ACTIVE' | 'ON_HOLD' | 'COMPLETED' | 'CANCELLED';
export const PROJECT_STATUSES: readonly ProjectStatus[] = ['PLANNED', 'ACTIVE', 'ON_HOLD', 'COMPLETED', 'CANCELLED'];
export type ProjectRole = 'LEAD' | 'MEMBER';
export type ProjectOrder = 'CREATED_DESC' | 'NAME_ASC' | 'NAME_DESC' | 'START_DATE_ASC' | 'START_DATE_DESC' | 'END_DATE_ASC' | 'END_DATE_DESC';
export const PROJECT_ORDERS: readonly ProjectOrder[] = ['CREATED_DESC', 'NAME_ASC', 'NAME_DESC', 'START_DATE_ASC', 'START_DATE_DESC', 'END_DATE_ASC', 'END_DATE_DESC'];

export type ProjectCounterparty = { id: string; name: string; shortName: string | null };

export type ProjectRow = {
  id: string;
  name: string;
  code: string | null;
  status: ProjectStatus;
  startDate: string | null;
  endDate: string | null;
  budget: Money | null;
  counterparties: ProjectCounterparty[];
  team: { userId: string; role: ProjectRole; user: { id: string; name: string } | null }[];
};

const PROJECT_ROW = gql`
  fragment ProjectRow on Project {
    id
    name
    code
    status
    startDate
    endDate
    budget {
      minor
      currency
    }
    counterparties {
      id
      name
      shortName
    }
    team {
      userId
      role
      user {
        id
        name
      }
    }
  }
`;

export const PROJECTS_PAGE_SIZE = 20;
/** The list's filters and order select another list; only `after` pages one ("load more"). */
export const PROJECT_LIST_KEY_ARGS = ['status', 'counterpartyId', 'search', 'orderBy'];

export type ProjectListVars = {
  first: number;
  after?: string | null;
  status?: ProjectStatus | null;
  counterpartyId?: string | null;
  search?: string | null;
  orderBy: ProjectOrder;
};
export type ProjectListData = { projects: Connection<ProjectRow> };
export const PROJECT_LIST = gql`
  query ProjectList($first: Int!, $after: String, $status: ProjectStatus, $counterpartyId: ID, $search: String, $orderBy: ProjectOrder) {
    projects(first: $first, after: $after, status: $status, counterpartyId: $counterpartyId, search: $search, orderBy: $orderBy) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          ...ProjectRow
        }
      }
    }
  }
  ${PROJECT_ROW}
`;

export type ProjectChange = {
  id: string;
  at: string;
  kind: 'CREATED' | 'UPDATED';
  actorKind: string;
  actor: { id: string; name: string } | null;
  changes: { field: string; from: unknown; to: unknown }[];
};

export type ProjectTaskRow = TaskListRow;

export type ProjectDetail = ProjectRow & {
  version: number;
  description: string | null;
  createdAt: string;
  updatedAt: string;
  dealIds: string[];
  documentIds: string[];
  /** Resolved by the documents service; null for one the caller may not read. */
  documents: ({ id: string; title: string; number: string | null; date: string | null; status: string } | null)[];
  createdBy: { id: string; name: string } | null;
  deals: { id: string; title: string; status: 'OPEN' | 'WON' | 'LOST'; stageKey: string; currentStage: { name: string } | null; amount: Money | null }[];
  history: Connection<ProjectChange>;
};

/** A task as lists show it (My tasks, the project's and the deal's task panels). */
export type TaskListRow = {
  id: string;
  title: string;
  status: 'OPEN' | 'IN_PROGRESS' | 'DONE' | 'CANCELLED';
  priority: 'LOW' | 'NORMAL' | 'HIGH' | 'URGENT';
  dueAt: string | null;
  overdue: boolean;
  version: number;
  assignee: { id: string; name: string } | null;
};

export const TASK_LIST_ROW = gql`
  fragment TaskListRow on Task {
    id
    title
    status
    priority
    dueAt
    overdue
    version
    assignee {
      id
      name
    }
  }
`;

export type ProjectData = { project: ProjectDetail | null; tasks: Connection<TaskListRow> | null };
/** The project page in ONE request: the project, its deals, team, history, and its tasks. */
export const PROJECT = gql`
  query ProjectPage($id: ID!, $historyFirst: Int!) {
    project(id: $id) {
      ...ProjectRow
      version
      description
      createdAt
      updatedAt
      dealIds
      documentIds
      documents {
        id
        title
        number
        date
        status
      }
      createdBy {
        id
        name
      }
      deals {
        id
        title
        status
        stageKey
        currentStage {
          name
        }
        amount {
          minor
          currency
        }
      }
      history(first: $historyFirst) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
          node {
            id
            at
            kind
            actorKind
            actor {
              id
              name
            }
            changes {
              field
              from
              to
            }
          }
        }
      }
    }
    tasks(projectId: $id, first: 100) {
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
  }
  ${PROJECT_ROW}
  ${TASK_LIST_ROW}
`;

export type ProjectMemberInput = { userId: string; role: ProjectRole };
export type ProjectInput = {
  name: string;
  code: string | null;
  status: ProjectStatus;
  startDate: string | null;
  endDate: string | null;
  description: string | null;
  counterpartyIds: string[];
  team: ProjectMemberInput[];
  budgetMinor: number | null;
  budgetCurrency: string | null;
};

export const CREATE_PROJECT = gql`
  mutation CreateProject($input: CreateProjectInput!) {
    createProject(input: $input) {
      id
      counterpartyIds
    }
  }
`;
export type CreateProjectData = { createProject: { id: string; counterpartyIds: string[] } };

export const UPDATE_PROJECT = gql`
  mutation UpdateProject($input: UpdateProjectInput!) {
    updateProject(input: $input) {
      id
      version
      counterpartyIds
    }
  }
`;
export type UpdateProjectData = { updateProject: { id: string; version: number; counterpartyIds: string[] } };

/** The card's projects panel: selected in the deals panel's own query (see deal.queries.ts). */
export type CounterpartyProjectRow = { id: string; name: string; code: string | null; status: ProjectStatus; endDate: string | null };
export const COUNTERPARTY_PROJECT_ROW = gql`
  fragment CounterpartyProjectRow on Project {
    id
    name
    code
    status
    endDate
  }
`;

/** The project picker of the task form: projects by name or code. */
export type ProjectOptionsData = { projects: { edges: { node: { id: string; name: string; code: string | null } }[] } };
export const PROJECT_OPTIONS = gql`
  query ProjectOptions($search: String) {
    projects(first: 20, search: $search) {
      edges {
        node {
          id
          name
          code
        }
      }
    }
  }
`;
