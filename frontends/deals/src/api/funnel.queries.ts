import { gql } from '@apollo/client/core';
import { connectionSelection, type Connection, type Money } from '@kartoteka/portal-api';

/**
 * The sales funnel pages' operations (deals subgraph, through the one Apollo client): case templates
 * for the selectors, the kanban board and moving a deal, the deals list, the funnel analytics; the
 * pickers of owner (identity `users`) and counterparty (counterparties subgraph).
 */

/** Whether a stage is still open or closes the deal as won or lost. */
export type StageOutcome = 'OPEN' | 'WON' | 'LOST';
/** A deal's status follows the outcome of its stage. */
export type DealStatus = StageOutcome;
export const DEAL_STATUSES: readonly DealStatus[] = ['OPEN', 'WON', 'LOST'];

export type UserRef = { id: string; name: string };
export type CounterpartyRef = { id: string; name: string };
export type NextAction = { id: string; title: string; dueAt: string | null };
export type StageInfo = { key: string; name: string; probability: number; outcome: StageOutcome };

// ---- case templates ---------------------------------------------------------------------------

export type CaseTemplateOption = {
  id: string;
  name: string;
  status: string;
  latestVersion: { id: string; number: number } | null;
};
export type CaseTemplatesData = { caseTemplates: CaseTemplateOption[] };

export const CASE_TEMPLATE_OPTIONS = gql`
  query FunnelCaseTemplates {
    caseTemplates {
      id
      name
      status
      latestVersion {
        id
        number
      }
    }
  }
`;

// ---- the board ----------------------------------------------------------------------------------

export type BoardDeal = {
  id: string;
  title: string;
  amount: Money | null;
  owner: UserRef | null;
  counterparty: CounterpartyRef | null;
  version: number;
  nextAction: NextAction | null;
};

export type BoardColumn = {
  stage: StageInfo;
  totalCount: number;
  sum: Money | null;
  deals: BoardDeal[];
};

export type BoardData = { dealBoard: BoardColumn[] };
export type BoardVars = { templateId: string };

export const DEAL_BOARD = gql`
  query DealBoard($templateId: ID!) {
    dealBoard(templateId: $templateId) {
      stage {
        key
        name
        probability
        outcome
      }
      totalCount
      sum {
        minor
        currency
      }
      deals {
        id
        title
        amount {
          minor
          currency
        }
        owner {
          id
          name
        }
        counterparty {
          id
          name
        }
        version
        nextAction {
          id
          title
          dueAt
        }
      }
    }
  }
`;

/** The stages of a template's latest version: the stage filter of the list, the outcomes for the funnel chart. */
export type TemplateStagesData = { caseTemplate: { id: string; latestVersion: { id: string; stages: StageInfo[] } | null } | null };

export const TEMPLATE_STAGES = gql`
  query FunnelTemplateStages($templateId: ID!) {
    caseTemplate(id: $templateId) {
      id
      latestVersion {
        id
        stages {
          key
          name
          probability
          outcome
        }
      }
    }
  }
`;

export type MoveDealInput = { id: string; version: number; stageKey: string; closeReason?: string | null };
export type MovedDeal = { id: string; version: number; stageKey: string; status: DealStatus; closeReason: string | null };
export type MoveDealData = { moveDeal: MovedDeal };

export const MOVE_DEAL = gql`
  mutation FunnelMoveDeal($input: MoveDealInput!) {
    moveDeal(input: $input) {
      id
      version
      stageKey
      status
      closeReason
      currentStage {
        key
        name
        probability
        outcome
      }
    }
  }
`;

// ---- the list -----------------------------------------------------------------------------------

export type DealListRow = {
  id: string;
  title: string;
  amount: Money | null;
  weightedAmount: Money | null;
  owner: UserRef | null;
  counterparty: CounterpartyRef | null;
  expectedCloseDate: string | null;
  stageKey: string;
  currentStage: StageInfo | null;
  status: DealStatus;
  nextAction: NextAction | null;
  templateVersion: { id: string; number: number; template: { id: string; name: string } | null } | null;
};

const DEAL_LIST_ROW = gql`
  fragment DealListRow on Deal {
    id
    title
    amount {
      minor
      currency
    }
    weightedAmount {
      minor
      currency
    }
    owner {
      id
      name
    }
    counterparty {
      id
      name
    }
    expectedCloseDate
    stageKey
    currentStage {
      key
      name
      probability
      outcome
    }
    status
    nextAction {
      id
      title
      dueAt
    }
    templateVersion {
      id
      number
      template {
        id
        name
      }
    }
  }
`;

export const DEAL_LIST_PAGE_SIZE = 25;

export type DealListVars = {
  first: number;
  after?: string | null;
  templateId: string | null;
  stageKey: string | null;
  status: DealStatus | null;
  ownerId: string | null;
  counterpartyId: string | null;
  search: string | null;
  sort?: DealSort | null;
  direction?: SortDirection | null;
};
/** Columns of `deals(sort:)`; the list keeps them in the URL in lower case (`sort=expected_close`, `dir=desc`). */
export const DEAL_SORTS = ['TITLE', 'AMOUNT', 'STAGE', 'EXPECTED_CLOSE', 'UPDATED', 'CREATED'] as const;
export type DealSort = (typeof DEAL_SORTS)[number];
export type SortDirection = 'ASC' | 'DESC';
export type DealListData = { deals: Connection<DealListRow> };

/** Arguments that select another list (the cache appends pages of the same one). */
export const DEAL_LIST_KEY_ARGS = ['templateId', 'stageKey', 'status', 'ownerId', 'counterpartyId', 'search', 'sort', 'direction'];

export const DEAL_LIST = gql`
  query DealList(
    $first: Int!
    $after: String
    $templateId: ID
    $stageKey: String
    $status: DealStatus
    $ownerId: ID
    $counterpartyId: ID
    $search: String
    $sort: DealSort
    $direction: SortDirection
  ) {
    deals(
      first: $first
      after: $after
      templateId: $templateId
      stageKey: $stageKey
      status: $status
      ownerId: $ownerId
      counterpartyId: $counterpartyId
      search: $search
      sort: $sort
      direction: $direction
    ) {
      ${connectionSelection(DEAL_LIST_ROW)}
    }
  }
  ${DEAL_LIST_ROW}
`;

// ---- analytics ----------------------------------------------------------------------------------

/** `currentAmount`: the deals in the stage now (the board's column sum); `reachedAmount`: every deal that has been in it. */
export type FunnelStage = { stageKey: string; name: string; reached: number; current: number; currentAmount: Money | null; reachedAmount: Money | null };
export type StageConversion = { fromStageKey: string; toStageKey: string; reached: number; converted: number; rate: number };
export type TimeInStage = { stageKey: string; averageDays: number | null };
export type OwnerRow = { owner: UserRef | null; deals: number; won: number; lost: number; winRate: number | null; weightedAmount: Money | null };
export type PeriodRow = { period: string; created: number; won: number; lost: number };

export type DealAnalytics = {
  funnel: FunnelStage[];
  conversion: StageConversion[];
  timeInStage: TimeInStage[];
  winRate: number | null;
  won: number;
  lost: number;
  open: number;
  weightedAmount: Money | null;
  byOwner: OwnerRow[];
  byPeriod: PeriodRow[];
};

export type DealAnalyticsVars = { templateId: string; from: string | null; to: string | null; ownerId: string | null };
export type DealAnalyticsData = { dealAnalytics: DealAnalytics };

export const DEAL_ANALYTICS = gql`
  query DealAnalytics($templateId: ID!, $from: String, $to: String, $ownerId: ID) {
    dealAnalytics(templateId: $templateId, from: $from, to: $to, ownerId: $ownerId) {
      funnel {
        stageKey
        name
        reached
        current
        currentAmount {
          minor
          currency
        }
        reachedAmount {
          minor
          currency
        }
      }
      conversion {
        fromStageKey
        toStageKey
        reached
        converted
        rate
      }
      timeInStage {
        stageKey
        averageDays
      }
      winRate
      won
      lost
      open
      weightedAmount {
        minor
        currency
      }
      byOwner {
        owner {
          id
          name
        }
        deals
        won
        lost
        winRate
        weightedAmount {
          minor
          currency
        }
      }
      byPeriod {
        period
        created
        won
        lost
      }
    }
  }
`;

// ---- pickers ------------------------------------------------------------------------------------

export type OwnerOption = { id: string; name: string; email: string };
export type OwnerOptionsData = { users: { edges: { node: OwnerOption }[] } };

export const OWNER_OPTIONS = gql`
  query FunnelOwnerOptions($search: String) {
    users(first: 20, search: $search) {
      edges {
        node {
          id
          name
          email
        }
      }
    }
  }
`;

export type OwnerNameData = { user: OwnerOption | null };

export const OWNER_NAME = gql`
  query FunnelOwnerName($id: ID!) {
    user(id: $id) {
      id
      name
      email
    }
  }
`;

// The counterparty filter's queries (their data: CounterpartyOptionsData / a counterparty, see pickers.queries).
export const COUNTERPARTY_OPTIONS = gql`
  query FunnelCounterpartyOptions($search: String) {
    counterparties(first: 20, search: $search) {
      edges {
        node {
          id
          name
          shortName
          inn
        }
      }
    }
  }
`;

export const COUNTERPARTY_NAME = gql`
  query FunnelCounterpartyName($id: ID!) {
    counterparty(id: $id) {
      id
      name
      shortName
      inn
    }
  }
`;

// ---- labels of what a refused move misses -------------------------------------------------------

/** The definition of the deal's own template version: the labels of the fields and actions a refusal names. */
export type DealRequirementsData = { deal: { id: string; templateVersion: { id: string; definition: Record<string, unknown> } | null } | null };

export const DEAL_REQUIREMENTS = gql`
  query FunnelDealRequirements($id: ID!) {
    deal(id: $id) {
      id
      templateVersion {
        id
        definition
      }
    }
  }
`;
