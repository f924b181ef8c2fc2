import { gql } from '@apollo/client/core';
import { connectionSelection, type Connection, type Money } from '@kartoteka/portal-api';
import type { DocumentStatus, DocumentType } from './document.queries';
import type { AwaitingUser } from './tasks.queries';

/**
 * The EDMS pages' operations (documents subgraph, through the one Apollo client): the registry, the
 * document page, the form, approval, acknowledgement, the audit trail and route templates.
 */

export type { DocumentStatus, DocumentType };

export const DOCUMENT_TYPES: readonly DocumentType[] = [
  'CONTRACT',
  'SUPPLEMENTARY_AGREEMENT',
  'INVOICE',
  'ACT',
  'PAYMENT_ORDER',
  'INCOMING_LETTER',
  'OUTGOING_LETTER',
  'COMMERCIAL_OFFER',
  'OTHER',
];

export const DOCUMENT_STATUSES: readonly DocumentStatus[] = [
  'DRAFT',
  'ON_APPROVAL',
  'APPROVED',
  'REJECTED',
  'SIGNED',
  'IN_FORCE',
  'EXECUTED',
  'TERMINATED',
  'CANCELLED',
];

export type DocumentLinkKind = 'SUPPLEMENT_TO' | 'INVOICE_FOR' | 'ACT_FOR' | 'PAYMENT_FOR' | 'REPLY_TO' | 'RELATED';
export type StageMode = 'SEQUENTIAL' | 'PARALLEL';
export type CompletionRule = 'ALL' | 'ANY' | 'QUORUM';
export type RouteStatus = 'ACTIVE' | 'COMPLETED' | 'REJECTED' | 'RECALLED' | 'STOPPED';
export type StageStatus = 'WAITING' | 'ACTIVE' | 'COMPLETED' | 'REJECTED' | 'CANCELLED';
export type StepStatus = 'WAITING' | 'PENDING' | 'APPROVED' | 'REJECTED' | 'SKIPPED' | 'CANCELLED';
export type ResubmitMode = 'ALL' | 'NOT_YET_APPROVED';

export type UserRef = { id: string; name: string };
export type StaffMember = { id: string; name: string; email: string; roles: string[] };
export type CounterpartyRef = { id: string; name: string; shortName: string | null; inn?: string | null };

// ---- registry --------------------------------------------------------------------------------

export type RegistryRow = {
  id: string;
  type: DocumentType;
  number: string | null;
  date: string | null;
  title: string;
  status: DocumentStatus;
  verified: boolean;
  restricted: boolean;
  amount: Money | null;
  counterparty: CounterpartyRef | null;
  responsible: UserRef | null;
  /** Who must act on it now (batched on the server). */
  awaitingActionFrom: AwaitingUser[];
};

const REGISTRY_ROW = gql`
  fragment RegistryRow on Document {
    id
    type
    number
    date
    title
    status
    verified
    restricted
    amount {
      minor
      currency
    }
    counterparty {
      id
      name
      shortName
    }
    responsible {
      id
      name
    }
    awaitingActionFrom {
      id
      name
      roles
    }
  }
`;

export const REGISTRY_PAGE_SIZE = 25;

/**
 * Sortable columns of the registry, kept in the URL in lower case as `sort` and `dir`; the server's
 * `documents(sort: DocumentSort, direction: SortDirection)` takes them upper case (`registrySortVars`).
 */
export const REGISTRY_SORTS = ['number', 'date', 'title', 'amount', 'status'] as const;
export type RegistrySort = (typeof REGISTRY_SORTS)[number];
export type SortDir = 'asc' | 'desc';
export type DocumentSortEnum = 'NUMBER' | 'DATE' | 'TITLE' | 'AMOUNT' | 'STATUS';
export type SortDirectionEnum = 'ASC' | 'DESC';

/** The URL's sort as the API's enums; no column means the default order (no direction either). */
export function registrySortVars(sort: RegistrySort | null, dir: SortDir): { sort: DocumentSortEnum | null; direction: SortDirectionEnum | null } {
  if (sort === null) return { sort: null, direction: null };
  return { sort: sort.toUpperCase() as DocumentSortEnum, direction: dir === 'desc' ? 'DESC' : 'ASC' };
}

export type RegistryVars = {
  first: number;
  after?: string | null;
  type: DocumentType | null;
  status: DocumentStatus | null;
  counterpartyId: string | null;
  dateFrom: string | null;
  dateTo: string | null;
  search: string | null;
  sort: DocumentSortEnum | null;
  direction: SortDirectionEnum | null;
};
export type RegistryData = { documents: Connection<RegistryRow> };

export const DOCUMENT_REGISTRY = gql`
  query DocumentRegistry(
    $first: Int!
    $after: String
    $type: DocumentType
    $status: DocumentStatus
    $counterpartyId: ID
    $dateFrom: String
    $dateTo: String
    $search: String
    $sort: DocumentSort
    $direction: SortDirection
  ) {
    documents(
      first: $first
      after: $after
      type: $type
      status: $status
      counterpartyId: $counterpartyId
      dateFrom: $dateFrom
      dateTo: $dateTo
      search: $search
      sort: $sort
      direction: $direction
    ) {
      ${connectionSelection(REGISTRY_ROW)}
    }
  }
  ${REGISTRY_ROW}
`;

/** Documents of one counterparty for link pickers (search by number or title). */
export type LinkCandidate = { id: string; type: DocumentType; number: string | null; date: string | null; title: string; status: DocumentStatus };
export type LinkCandidatesData = { documents: { edges: { node: LinkCandidate }[] } };
export const LINK_CANDIDATES = gql`
  query DocumentLinkCandidates($counterpartyId: ID!, $type: DocumentType, $search: String) {
    documents(first: 30, counterpartyId: $counterpartyId, type: $type, search: $search) {
      edges {
        node {
          id
          type
          number
          date
          title
          status
        }
      }
    }
  }
`;

// ---- counterparties and staff (pickers) -------------------------------------------------------

export type CounterpartyOptionsData = { counterparties: { edges: { node: CounterpartyRef & { inn: string | null } }[] } };
export const COUNTERPARTY_OPTIONS = gql`
  query DocumentCounterpartyOptions($search: String) {
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

export type CounterpartyNameData = { counterparty: (CounterpartyRef & { inn: string | null }) | null };
export const COUNTERPARTY_NAME = gql`
  query DocumentCounterpartyName($id: ID!) {
    counterparty(id: $id) {
      id
      name
      shortName
      inn
    }
  }
`;

export type StaffData = { staff: StaffMember[] };
export const STAFF_OPTIONS = gql`
  query DocumentStaffOptions($search: String, $role: String, $first: Int!) {
    staff(search: $search, role: $role, first: $first) {
      id
      name
      email
      roles
    }
  }
`;

// ---- the document page -----------------------------------------------------------------------

export type ContractDetails = { __typename: 'ContractDetails'; subject: string; startDate: string; endDate: string | null; paymentTerms: string | null };
export type SupplementaryAgreementDetails = { __typename: 'SupplementaryAgreementDetails'; subject: string; effectiveDate: string | null };
export type InvoiceDetails = { __typename: 'InvoiceDetails'; vat: Money | null; dueDate: string };
export type ActDetails = { __typename: 'ActDetails'; vat: Money | null; periodStart: string; periodEnd: string };
export type PaymentOrderDetails = { __typename: 'PaymentOrderDetails'; paymentDate: string; payer: string; payee: string; purpose: string };
/** `subject` is aliased: it is nullable here and required on contracts (one selection may not mix them). */
export type LetterDetails = { __typename: 'LetterDetails'; letterSubject: string | null; correspondent: string | null; senderNumber: string | null; senderDate: string | null };
export type CommercialOfferDetails = { __typename: 'CommercialOfferDetails'; validUntil: string | null };
export type DocumentDetails =
  | ContractDetails
  | SupplementaryAgreementDetails
  | InvoiceDetails
  | ActDetails
  | PaymentOrderDetails
  | LetterDetails
  | CommercialOfferDetails;

export type DocumentFile = { id: string; name: string; size: number; contentType: string; sha256: string; url: string; previewable: boolean };
export type DocumentVersion = { id: string; number: number; comment: string | null; createdAt: string; author: UserRef | null; files: DocumentFile[] };
export type LinkedDocument = { id: string; type: DocumentType; number: string | null; date: string | null; title: string; status: DocumentStatus };
export type DocumentLink = { id: string; kind: DocumentLinkKind; target?: LinkedDocument | null; source?: LinkedDocument | null };

export type ApprovalStep = {
  id: string;
  position: number;
  role: string | null;
  status: StepStatus;
  deadlineHours: number;
  dueAt: string | null;
  decidedAt: string | null;
  comment: string | null;
  decisionVersionNumber: number | null;
  carriedOver: boolean;
  overdue: boolean;
  delegatedAt: string | null;
  /** The role the step was addressed to before it was delegated to a person (`role` is then null). */
  delegatedFromRole: string | null;
  canDecide: boolean;
  assignees: UserRef[];
  decidedBy: UserRef | null;
  delegatedBy: UserRef | null;
  /** Who held the step just before its last delegation. */
  delegatedFrom: UserRef[];
};
/** One entry of a document's status history (oldest first; the last one is the current status). */
export type DocumentStatusChange = { status: DocumentStatus; fromStatus: DocumentStatus | null; at: string; reason: string | null; by: UserRef | null };
export type ApprovalStage = {
  id: string;
  position: number;
  name: string;
  mode: StageMode;
  rule: CompletionRule;
  quorum: number | null;
  signOff: boolean;
  status: StageStatus;
  completedAt: string | null;
  steps: ApprovalStep[];
};
export type ApprovalRoute = {
  id: string;
  round: number;
  templateName: string;
  status: RouteStatus;
  versionNumber: number;
  startedAt: string;
  finishedAt: string | null;
  finishComment: string | null;
  startedBy: UserRef | null;
  stages: ApprovalStage[];
};
export type Acknowledgement = {
  id: string;
  versionNumber: number;
  deadline: string | null;
  comment: string | null;
  acknowledgedAt: string | null;
  overdue: boolean;
  requestedAt: string;
  user: UserRef | null;
  requestedBy: UserRef | null;
};

export type DocumentFull = {
  id: string;
  type: DocumentType;
  number: string | null;
  date: string | null;
  title: string;
  status: DocumentStatus;
  summary: string | null;
  restricted: boolean;
  verified: boolean;
  registeredAt: string | null;
  signedAt: string | null;
  signedBy: UserRef | null;
  statusHistory: DocumentStatusChange[];
  createdAt: string;
  updatedAt: string;
  version: number;
  currentVersionNumber: number;
  counterpartyId: string;
  amount: Money | null;
  counterparty: CounterpartyRef | null;
  author: UserRef | null;
  responsibleId: string | null;
  responsible: UserRef | null;
  details: DocumentDetails | null;
  versions: DocumentVersion[];
  links: DocumentLink[];
  linkedFrom: DocumentLink[];
  approvalRoutes: ApprovalRoute[];
  acknowledgements: Acknowledgement[];
  myPendingAcknowledgement: { id: string; versionNumber: number; deadline: string | null } | null;
};

const LINKED_DOCUMENT = `
  id
  type
  number
  date
  title
  status
`;

const USER_REF = `
  id
  name
`;

/** Everything the form needs to edit a document (also part of the page query). */
const DOCUMENT_FIELDS = `
  id
  type
  number
  date
  title
  status
  summary
  restricted
  verified
  registeredAt
  signedAt
  createdAt
  updatedAt
  version
  currentVersionNumber
  counterpartyId
  amount {
    minor
    currency
  }
  counterparty {
    id
    name
    shortName
    inn
  }
  author { ${USER_REF} }
  responsibleId
  responsible { ${USER_REF} }
  details {
    __typename
    ... on ContractDetails {
      subject
      startDate
      endDate
      paymentTerms
    }
    ... on SupplementaryAgreementDetails {
      subject
      effectiveDate
    }
    ... on InvoiceDetails {
      vat {
        minor
        currency
      }
      dueDate
    }
    ... on ActDetails {
      vat {
        minor
        currency
      }
      periodStart
      periodEnd
    }
    ... on PaymentOrderDetails {
      paymentDate
      payer
      payee
      purpose
    }
    ... on LetterDetails {
      letterSubject: subject
      correspondent
      senderNumber
      senderDate
    }
    ... on CommercialOfferDetails {
      validUntil
    }
  }
  links {
    id
    kind
    target { ${LINKED_DOCUMENT} }
  }
`;

export type DocumentForEditData = { document: Omit<DocumentFull, 'versions' | 'linkedFrom' | 'approvalRoutes' | 'acknowledgements' | 'myPendingAcknowledgement'> | null };
export const DOCUMENT_FOR_EDIT = gql`
  query DocumentForEdit($id: ID!) {
    document(id: $id) {
      ${DOCUMENT_FIELDS}
    }
  }
`;

export type DocumentPageData = { document: DocumentFull | null };
export const DOCUMENT_PAGE = gql`
  query DocumentPage($id: ID!) {
    document(id: $id) {
      ${DOCUMENT_FIELDS}
      versions {
        id
        number
        comment
        createdAt
        author { ${USER_REF} }
        files {
          id
          name
          size
          contentType
          sha256
          url
          previewable
        }
      }
      linkedFrom {
        id
        kind
        source { ${LINKED_DOCUMENT} }
      }
      signedBy { ${USER_REF} }
      statusHistory {
        status
        fromStatus
        at
        reason
        by { ${USER_REF} }
      }
      approvalRoutes {
        id
        round
        templateName
        status
        versionNumber
        startedAt
        finishedAt
        finishComment
        startedBy { ${USER_REF} }
        stages {
          id
          position
          name
          mode
          rule
          quorum
          signOff
          status
          completedAt
          steps {
            id
            position
            role
            status
            deadlineHours
            dueAt
            decidedAt
            comment
            decisionVersionNumber
            carriedOver
            overdue
            delegatedAt
            delegatedFromRole
            canDecide
            assignees { ${USER_REF} }
            decidedBy { ${USER_REF} }
            delegatedBy { ${USER_REF} }
            delegatedFrom { ${USER_REF} }
          }
        }
      }
      acknowledgements {
        id
        versionNumber
        deadline
        comment
        acknowledgedAt
        overdue
        requestedAt
        user { ${USER_REF} }
        requestedBy { ${USER_REF} }
      }
      myPendingAcknowledgement {
        id
        versionNumber
        deadline
      }
    }
  }
`;

// ---- audit trail -----------------------------------------------------------------------------

export type AuditAction =
  | 'DOCUMENT_CREATED'
  | 'DOCUMENT_UPDATED'
  | 'DOCUMENT_REGISTERED'
  | 'VERSION_ADDED'
  | 'LINK_ADDED'
  | 'LINK_REMOVED'
  | 'ROUTE_STARTED'
  | 'STEP_APPROVED'
  | 'STEP_REJECTED'
  | 'STEP_DELEGATED'
  | 'ROUTE_RESUBMITTED'
  | 'ROUTE_RECALLED'
  | 'ROUTE_STOPPED'
  | 'DOCUMENT_SIGNED'
  | 'STATUS_CHANGED'
  | 'ACKNOWLEDGEMENT_REQUESTED'
  | 'DOCUMENT_ACKNOWLEDGED'
  | 'FILE_DOWNLOADED';
export type AuditRecord = {
  id: string;
  seq: number;
  action: AuditAction;
  actorKind: 'USER' | 'API_KEY' | 'SYSTEM';
  recordedAt: string;
  details: Record<string, unknown>;
  actor: UserRef | null;
};

const AUDIT_RECORD = gql`
  fragment DocumentAuditRecord on AuditRecord {
    id
    seq
    action
    actorKind
    recordedAt
    details
    actor {
      id
      name
    }
  }
`;

export const AUDIT_PAGE_SIZE = 20;
export type AuditTrailData = { document: { id: string; auditTrail: Connection<AuditRecord> | null } | null };
export const DOCUMENT_AUDIT_TRAIL = gql`
  query DocumentAuditTrail($id: ID!, $first: Int!, $after: String) {
    document(id: $id) {
      id
      auditTrail(first: $first, after: $after) {
        ${connectionSelection(AUDIT_RECORD)}
      }
    }
  }
  ${AUDIT_RECORD}
`;

// ---- mutations -------------------------------------------------------------------------------

export type DocumentLinkInput = { kind: DocumentLinkKind; targetId: string };

export type DocumentFieldsInput = {
  date?: string | null;
  summary?: string | null;
  amountMinor?: number | null;
  currency?: string | null;
  responsibleId?: string | null;
  restricted?: boolean | null;
  contract?: { subject: string; startDate: string; endDate?: string | null; paymentTerms?: string | null } | null;
  supplementaryAgreement?: { subject: string; effectiveDate?: string | null } | null;
  invoice?: { vatMinor?: number | null; dueDate: string } | null;
  act?: { vatMinor?: number | null; periodStart: string; periodEnd: string } | null;
  paymentOrder?: { paymentDate: string; payer: string; payee: string; purpose: string } | null;
  letter?: { subject?: string | null; correspondent?: string | null; senderNumber?: string | null; senderDate?: string | null } | null;
  commercialOffer?: { validUntil?: string | null } | null;
};

export type CreateDocumentInput = DocumentFieldsInput & {
  type: DocumentType;
  counterpartyId: string;
  title: string;
  number?: string | null;
  fileIds?: string[] | null;
  links?: DocumentLinkInput[] | null;
};

export type UpdateDocumentInput = DocumentFieldsInput & { id: string; version: number; title?: string | null };

export const CREATE_DOCUMENT = gql`
  mutation CreateDocument($input: CreateDocumentInput!) {
    createDocument(input: $input) {
      id
      counterpartyId
    }
  }
`;
export type CreateDocumentData = { createDocument: { id: string; counterpartyId: string } };

/** Answers every field the page shows, so the cache (and the page opened next) has the saved state at once. */
export const UPDATE_DOCUMENT = gql`
  mutation UpdateDocument($input: UpdateDocumentInput!) {
    updateDocument(input: $input) {
      ${DOCUMENT_FIELDS}
    }
  }
`;
export type UpdateDocumentData = { updateDocument: { id: string; version: number } };

const DOCUMENT_STATE = `
  id
  status
  number
  version
  verified
  registeredAt
  signedAt
`;

export const REGISTER_DOCUMENT = gql`
  mutation RegisterDocument($input: RegisterDocumentInput!) {
    registerDocument(input: $input) { ${DOCUMENT_STATE} }
  }
`;
export const SET_DOCUMENT_STATUS = gql`
  mutation SetDocumentStatus($input: SetDocumentStatusInput!) {
    setDocumentStatus(input: $input) { ${DOCUMENT_STATE} }
  }
`;
export const ADD_DOCUMENT_VERSION = gql`
  mutation AddDocumentVersion($input: AddDocumentVersionInput!) {
    addDocumentVersion(input: $input) {
      id
      number
    }
  }
`;
export const LINK_DOCUMENTS = gql`
  mutation LinkDocuments($input: LinkDocumentsInput!) {
    linkDocuments(input: $input) {
      id
    }
  }
`;
export const UNLINK_DOCUMENTS = gql`
  mutation UnlinkDocuments($input: UnlinkDocumentsInput!) {
    unlinkDocuments(input: $input) {
      id
    }
  }
`;
export const START_APPROVAL = gql`
  mutation StartApproval($input: StartApprovalInput!) {
    startApproval(input: $input) { ${DOCUMENT_STATE} }
  }
`;
export const APPROVE_STEP = gql`
  mutation ApproveStep($input: ApproveStepInput!) {
    approveStep(input: $input) {
      id
      status
    }
  }
`;
export const REJECT_STEP = gql`
  mutation RejectStep($input: RejectStepInput!) {
    rejectStep(input: $input) {
      id
      status
    }
  }
`;
export const DELEGATE_STEP = gql`
  mutation DelegateStep($input: DelegateStepInput!) {
    delegateStep(input: $input) {
      id
      status
    }
  }
`;
export const RESUBMIT_DOCUMENT = gql`
  mutation ResubmitDocument($input: ResubmitDocumentInput!) {
    resubmitDocument(input: $input) { ${DOCUMENT_STATE} }
  }
`;
export const RECALL_APPROVAL = gql`
  mutation RecallApproval($input: FinishApprovalInput!) {
    recallApproval(input: $input) { ${DOCUMENT_STATE} }
  }
`;
export const STOP_APPROVAL = gql`
  mutation StopApproval($input: FinishApprovalInput!) {
    stopApproval(input: $input) { ${DOCUMENT_STATE} }
  }
`;
export const REQUEST_ACKNOWLEDGEMENT = gql`
  mutation RequestAcknowledgement($input: RequestAcknowledgementInput!) {
    requestAcknowledgement(input: $input) {
      id
    }
  }
`;
export const ACKNOWLEDGE_DOCUMENT = gql`
  mutation AcknowledgeDocument($input: AcknowledgeDocumentInput!) {
    acknowledgeDocument(input: $input) {
      id
      acknowledgedAt
    }
  }
`;

// ---- route templates -------------------------------------------------------------------------

export type RouteTemplateStep = { approverId: string | null; approver: UserRef | null; role: string | null; deadlineHours: number };
export type RouteTemplateStage = {
  name: string;
  mode: StageMode;
  rule: CompletionRule;
  quorum: number | null;
  signOff: boolean;
  steps: RouteTemplateStep[];
};
export type RouteTemplate = {
  id: string;
  name: string;
  documentType: DocumentType;
  isDefault: boolean;
  active: boolean;
  version: number;
  updatedAt: string;
  stages: RouteTemplateStage[];
};

const ROUTE_TEMPLATE_FIELDS = `
  id
  name
  documentType
  isDefault
  active
  version
  updatedAt
  stages {
    name
    mode
    rule
    quorum
    signOff
    steps {
      approverId
      approver { ${USER_REF} }
      role
      deadlineHours
    }
  }
`;

export type RouteTemplatesData = { routeTemplates: RouteTemplate[] };
export type RouteTemplatesVars = { documentType: DocumentType | null; includeInactive: boolean };
export const ROUTE_TEMPLATES = gql`
  query RouteTemplates($documentType: DocumentType, $includeInactive: Boolean) {
    routeTemplates(documentType: $documentType, includeInactive: $includeInactive) {
      ${ROUTE_TEMPLATE_FIELDS}
    }
  }
`;

export type RouteStepInput = { approverId: string | null; role: string | null; deadlineHours: number };
export type RouteStageInput = { name: string; mode: StageMode; rule: CompletionRule; quorum: number | null; steps: RouteStepInput[] };
export type CreateRouteTemplateInput = { name: string; documentType: DocumentType; isDefault: boolean; stages: RouteStageInput[] };
export type UpdateRouteTemplateInput = {
  id: string;
  version: number;
  name: string;
  isDefault: boolean;
  active: boolean;
  stages: RouteStageInput[];
};

export const CREATE_ROUTE_TEMPLATE = gql`
  mutation CreateRouteTemplate($input: CreateRouteTemplateInput!) {
    createRouteTemplate(input: $input) {
      ${ROUTE_TEMPLATE_FIELDS}
    }
  }
`;
export type CreateRouteTemplateData = { createRouteTemplate: RouteTemplate };
export const UPDATE_ROUTE_TEMPLATE = gql`
  mutation UpdateRouteTemplate($input: UpdateRouteTemplateInput!) {
    updateRouteTemplate(input: $input) {
      ${ROUTE_TEMPLATE_FIELDS}
    }
  }
`;
export type UpdateRouteTemplateData = { updateRouteTemplate: RouteTemplate };
