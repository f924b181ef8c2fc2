import type {
  DocumentAuditRecordFragment,
  DocumentFieldsFragment,
  DocumentForEditQuery,
  DocumentFullFragment,
  DocumentRegistryQueryVariables,
  DocumentSort,
  DocumentStatus,
  DocumentType,
  LinkedDocumentFragment,
  RouteTemplateFieldsFragment,
  SortDirection,
  UpdateDocumentInput,
} from './__generated__/edms';

/**
 * The EDMS pages' operations (documents subgraph, through the one Apollo client): the registry, the document
 * page, the form, approval, acknowledgement, the audit trail and route templates. The documents are in
 * edms.graphql (approve, reject and acknowledge in tasks.graphql); their types and typed document nodes are
 * generated from the supergraph (`pnpm codegen`).
 */
export {
  DocumentRegistryDocument as DOCUMENT_REGISTRY,
  DocumentLinkCandidatesDocument as LINK_CANDIDATES,
  DocumentCounterpartyOptionsDocument as COUNTERPARTY_OPTIONS,
  DocumentCounterpartyNameDocument as COUNTERPARTY_NAME,
  DocumentStaffOptionsDocument as STAFF_OPTIONS,
  DocumentForEditDocument as DOCUMENT_FOR_EDIT,
  DocumentPageDocument as DOCUMENT_PAGE,
  DocumentAuditTrailDocument as DOCUMENT_AUDIT_TRAIL,
  CreateDocumentDocument as CREATE_DOCUMENT,
  /** Answers every field the page shows, so the cache (and the page opened next) has the saved state at once. */
  UpdateDocumentDocument as UPDATE_DOCUMENT,
  RegisterDocumentDocument as REGISTER_DOCUMENT,
  SetDocumentStatusDocument as SET_DOCUMENT_STATUS,
  AddDocumentVersionDocument as ADD_DOCUMENT_VERSION,
  LinkDocumentsDocument as LINK_DOCUMENTS,
  UnlinkDocumentsDocument as UNLINK_DOCUMENTS,
  StartApprovalDocument as START_APPROVAL,
  DelegateStepDocument as DELEGATE_STEP,
  ResubmitDocumentDocument as RESUBMIT_DOCUMENT,
  RecallApprovalDocument as RECALL_APPROVAL,
  StopApprovalDocument as STOP_APPROVAL,
  RequestAcknowledgementDocument as REQUEST_ACKNOWLEDGEMENT,
  RouteTemplatesDocument as ROUTE_TEMPLATES,
  CreateRouteTemplateDocument as CREATE_ROUTE_TEMPLATE,
  UpdateRouteTemplateDocument as UPDATE_ROUTE_TEMPLATE,
} from './__generated__/edms';
export type {
  AuditAction,
  CompletionRule,
  CreateDocumentInput,
  CreateRouteTemplateInput,
  DocumentLinkKind,
  DocumentStatus,
  DocumentType,
  ResubmitMode,
  RouteStatus,
  StageMode,
  StageStatus,
  StepStatus,
  UpdateDocumentInput,
  UpdateRouteTemplateInput,
} from './__generated__/edms';
export type { DocumentFile } from './document.queries';

/** The document types in the order the pages offer them. */
export const DOCUMENT_TYPES = [
  'CONTRACT',
  'SUPPLEMENTARY_AGREEMENT',
  'INVOICE',
  'ACT',
  'PAYMENT_ORDER',
  'INCOMING_LETTER',
  'OUTGOING_LETTER',
  'COMMERCIAL_OFFER',
  'OTHER',
] as const satisfies readonly DocumentType[];

/** The statuses in the order of a document's life. */
export const DOCUMENT_STATUSES = [
  'DRAFT',
  'ON_APPROVAL',
  'APPROVED',
  'REJECTED',
  'SIGNED',
  'IN_FORCE',
  'EXECUTED',
  'TERMINATED',
  'CANCELLED',
] as const satisfies readonly DocumentStatus[];

/** A person as the documents name them (author, responsible, approver…). */
export type UserRef = NonNullable<DocumentFieldsFragment['responsible']>;

// ---- registry --------------------------------------------------------------------------------

export const REGISTRY_PAGE_SIZE = 25;

/**
 * Sortable columns of the registry, kept in the URL in lower case as `sort` and `dir`; the server's
 * `documents(sort: DocumentSort, direction: SortDirection)` takes them upper case (`registrySortVars`).
 */
export const REGISTRY_SORTS = ['number', 'date', 'title', 'amount', 'status'] as const;
export type RegistrySort = (typeof REGISTRY_SORTS)[number];
const SORT_COLUMNS: Record<RegistrySort, DocumentSort> = { number: 'NUMBER', date: 'DATE', title: 'TITLE', amount: 'AMOUNT', status: 'STATUS' };
export type SortDir = 'asc' | 'desc';

/** The URL's sort as the API's enums; no column means the default order (no direction either). */
export function registrySortVars(sort: RegistrySort | null, dir: SortDir): { sort: DocumentSort | null; direction: SortDirection | null } {
  if (sort === null) return { sort: null, direction: null };
  return { sort: SORT_COLUMNS[sort], direction: dir === 'desc' ? 'DESC' : 'ASC' };
}

export type RegistryVars = DocumentRegistryQueryVariables;

/** A linked document (and a candidate of the link pickers). */
export type LinkedDocument = LinkedDocumentFragment;

// ---- the document page -----------------------------------------------------------------------

/** Everything the page shows of a document. */
export type DocumentFull = DocumentFullFragment;
export type DocumentForEditData = DocumentForEditQuery;

/** The type-specific part of a document, told apart by `__typename`. */
export type DocumentDetails = NonNullable<DocumentFieldsFragment['details']>;
type DetailsOf<TName extends DocumentDetails['__typename']> = Extract<DocumentDetails, { __typename: TName }>;
export type ContractDetails = DetailsOf<'ContractDetails'>;
export type SupplementaryAgreementDetails = DetailsOf<'SupplementaryAgreementDetails'>;
export type InvoiceDetails = DetailsOf<'InvoiceDetails'>;
export type ActDetails = DetailsOf<'ActDetails'>;
export type PaymentOrderDetails = DetailsOf<'PaymentOrderDetails'>;
/** `subject` is aliased `letterSubject`: it is nullable here and required on contracts (one selection may not mix them). */
export type LetterDetails = DetailsOf<'LetterDetails'>;
export type CommercialOfferDetails = DetailsOf<'CommercialOfferDetails'>;

export type DocumentVersion = DocumentFull['versions'][number];
export type ApprovalRoute = DocumentFull['approvalRoutes'][number];
export type ApprovalStage = ApprovalRoute['stages'][number];
export type ApprovalStep = ApprovalStage['steps'][number];
export type Acknowledgement = DocumentFull['acknowledgements'][number];

// ---- audit trail -----------------------------------------------------------------------------

export const AUDIT_PAGE_SIZE = 20;
export type AuditRecord = DocumentAuditRecordFragment;

// ---- mutations -------------------------------------------------------------------------------

/** The fields a document's creation and its update share. */
export type DocumentFieldsInput = Omit<UpdateDocumentInput, 'id' | 'version' | 'title'>;

// ---- route templates -------------------------------------------------------------------------

export type RouteTemplate = RouteTemplateFieldsFragment;
