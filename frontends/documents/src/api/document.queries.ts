import { gql } from '@apollo/client/core';
import { counterpartyConnectionQuery, type Connection, type CounterpartyConnectionVars, type Money } from '@kartoteka/portal-api';
import type { DocumentFile } from './edms.queries';
import type { AwaitingUser } from './tasks.queries';

/** This app's slice of the card: the counterparty's documents (the documents subgraph). */

export type DocumentType =
  | 'INCOMING_LETTER'
  | 'OUTGOING_LETTER'
  | 'CONTRACT'
  | 'SUPPLEMENTARY_AGREEMENT'
  | 'INVOICE'
  | 'ACT'
  | 'PAYMENT_ORDER'
  | 'COMMERCIAL_OFFER'
  | 'OTHER';

export type DocumentStatus =
  | 'DRAFT'
  | 'ON_APPROVAL'
  | 'APPROVED'
  | 'REJECTED'
  | 'SIGNED'
  | 'IN_FORCE'
  | 'EXECUTED'
  | 'TERMINATED'
  | 'CANCELLED';

export type DocumentRow = {
  id: string;
  type: DocumentType;
  number: string | null;
  date: string | null;
  title: string;
  status: DocumentStatus;
  amount: Money | null;
  author: { id: string; name: string } | null;
  /** Signed (or later): the document counts as verified data. */
  verified: boolean;
  /** Approval steps of this document waiting for my decision. */
  myPendingSteps: PendingStep[];
  /** Who must act on it now (approvers of its pending steps). */
  awaitingActionFrom: AwaitingUser[];
  /** The current version: its first file is the document's main file (preview from the card). */
  currentVersion: { id: string; number: number; files: DocumentFile[] } | null;
};

/** One of my approval steps on a document, as the card panel shows it (inline Approve / Reject). */
export type PendingStep = { id: string; canDecide: boolean; stageName: string; signOff: boolean };

export const DOCUMENTS_PAGE_SIZE = 20;

const DOCUMENT_ROW = gql`
  fragment DocumentRow on Document {
    id
    type
    number
    date
    title
    status
    amount {
      minor
      currency
    }
    author {
      id
      name
    }
    verified
    myPendingSteps {
      id
      canDecide
      stageName
      signOff
    }
    awaitingActionFrom {
      id
      name
      roles
    }
    currentVersion {
      id
      number
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
  }
`;

export const COUNTERPARTY_DOCUMENTS = counterpartyConnectionQuery('CounterpartyDocuments', 'documents', DOCUMENT_ROW);

export type CounterpartyDocumentsData = { counterparty: { id: string; documents: Connection<DocumentRow> | null } | null };
export type CounterpartyDocumentsVars = CounterpartyConnectionVars;
