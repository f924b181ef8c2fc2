import type {
  CaseStageOutcome,
  DealAnalyticsQuery,
  DealAnalyticsQueryVariables,
  DealBoardQuery,
  DealBoardQueryVariables,
  DealListQuery,
  DealListQueryVariables,
  DealSort as SchemaDealSort,
  DealStatus as SchemaDealStatus,
  FunnelCaseTemplatesQuery,
  FunnelDealRequirementsQuery,
  FunnelMoveDealMutation,
  FunnelTemplateStagesQuery,
} from './__generated__/funnel';

/**
 * The sales funnel pages' operations (deals subgraph, through the one Apollo client): case templates
 * for the selectors, the kanban board and moving a deal, the deals list, the funnel analytics (the
 * owner and counterparty pickers are the app's own, see pickers.queries.ts). The documents are in
 * funnel.graphql; their types and typed document nodes are generated from the supergraph (`pnpm codegen`).
 */
export {
  FunnelCaseTemplatesDocument as CASE_TEMPLATE_OPTIONS,
  DealBoardDocument as DEAL_BOARD,
  FunnelTemplateStagesDocument as TEMPLATE_STAGES,
  FunnelMoveDealDocument as MOVE_DEAL,
  DealListDocument as DEAL_LIST,
  DealAnalyticsDocument as DEAL_ANALYTICS,
  FunnelDealRequirementsDocument as DEAL_REQUIREMENTS,
} from './__generated__/funnel';
export type { MoveDealInput, SortDirection } from './__generated__/funnel';

/** Whether a stage is still open or closes the deal as won or lost. */
export type StageOutcome = CaseStageOutcome;
/** A deal's status follows the outcome of its stage. */
export type DealStatus = SchemaDealStatus;
export const DEAL_STATUSES = ['OPEN', 'WON', 'LOST'] as const satisfies readonly DealStatus[];

// ---- case templates ---------------------------------------------------------------------------

export type CaseTemplatesData = FunnelCaseTemplatesQuery;
export type CaseTemplateOption = CaseTemplatesData['caseTemplates'][number];

// ---- the board ----------------------------------------------------------------------------------

export type BoardData = DealBoardQuery;
export type BoardVars = DealBoardQueryVariables;
export type BoardColumn = BoardData['dealBoard'][number];
export type BoardDeal = BoardColumn['deals'][number];
export type StageInfo = BoardColumn['stage'];

/** The stages of a template's latest version: the stage filter of the list, the outcomes for the funnel chart. */
export type TemplateStagesData = FunnelTemplateStagesQuery;

export type MoveDealData = FunnelMoveDealMutation;
export type MovedDeal = MoveDealData['moveDeal'];

// ---- the list -----------------------------------------------------------------------------------

export type DealListData = DealListQuery;
export type DealListVars = DealListQueryVariables;
export type DealListRow = DealListData['deals']['edges'][number]['node'];

export const DEAL_LIST_PAGE_SIZE = 25;

/** Columns of `deals(sort:)`; the list keeps them in the URL in lower case (`sort=expected_close`, `dir=desc`). */
export const DEAL_SORTS = ['TITLE', 'AMOUNT', 'STAGE', 'EXPECTED_CLOSE', 'UPDATED', 'CREATED'] as const satisfies readonly SchemaDealSort[];
export type DealSort = SchemaDealSort;

/** Arguments that select another list (the cache appends pages of the same one). */
export const DEAL_LIST_KEY_ARGS = ['templateId', 'stageKey', 'status', 'ownerId', 'counterpartyId', 'search', 'sort', 'direction'];

// ---- analytics ----------------------------------------------------------------------------------

export type DealAnalyticsData = DealAnalyticsQuery;
export type DealAnalyticsVars = DealAnalyticsQueryVariables;
export type DealAnalytics = DealAnalyticsData['dealAnalytics'];
/** `currentAmount`: the deals in the stage now (the board's column sum); `reachedAmount`: every deal that has been in it. */
export type FunnelStage = DealAnalytics['funnel'][number];
export type StageConversion = DealAnalytics['conversion'][number];
export type TimeInStage = DealAnalytics['timeInStage'][number];
export type OwnerRow = DealAnalytics['byOwner'][number];
export type PeriodRow = DealAnalytics['byPeriod'][number];

// ---- labels of what a refused move misses -------------------------------------------------------

/** The definition of the deal's own template version: the labels of the fields and actions a refusal names. */
export type DealRequirementsData = FunnelDealRequirementsQuery;
