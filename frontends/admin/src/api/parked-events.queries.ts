import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  AdminCounterpartiesParkedEventsDocument,
  AdminCounterpartiesRequeueParkedDocument,
  AdminDealsParkedEventsDocument,
  AdminDealsRequeueParkedDocument,
  AdminDocumentsParkedEventsDocument,
  AdminDocumentsRequeueParkedDocument,
  AdminFinanceParkedEventsDocument,
  AdminFinanceRequeueParkedDocument,
  AdminMailingsParkedEventsDocument,
  AdminMailingsRequeueParkedDocument,
  type AdminDocumentsParkedEventsQuery,
  type AdminDocumentsParkedEventsQueryVariables,
  type AdminDocumentsRequeueParkedMutation,
  type AdminDocumentsRequeueParkedMutationVariables,
  type AdminParkedEventFragment,
} from './__generated__/parked-events';

/** Services whose event consumer can park events; each has its own `<service>ParkedEvents` root field (kit's parked-events resolver). */
export const EVENT_SERVICES = ['documents', 'counterparties', 'deals', 'finance', 'mailings'] as const;
export type EventService = (typeof EVENT_SERVICES)[number];

export type ParkedEvent = AdminParkedEventFragment;
/**
 * Every service's list and requeue have one result shape (parked-events.graphql reads them under the aliases `parked`
 * and `result`, through one fragment): the documents service's generated types stand for all of them, and the map
 * below is checked against them.
 */
export type ParkedEventsData = AdminDocumentsParkedEventsQuery;
export type ParkedEventsVars = AdminDocumentsParkedEventsQueryVariables;
export type RequeueData = AdminDocumentsRequeueParkedMutation;
export type RequeueVars = AdminDocumentsRequeueParkedMutationVariables;

export type ParkedEventsOperations = {
  /** `<service>ParkedEvents(first, after)` under the alias `parked`. */
  list: TypedDocumentNode<ParkedEventsData, ParkedEventsVars>;
  /** `<service>RequeueParkedEvents(input)` under the alias `result`. */
  requeue: TypedDocumentNode<RequeueData, RequeueVars>;
};

/** Each service's parked-events operations (also seen by the portal-operations check of the test suite). */
export const PARKED_EVENTS_OPERATIONS: Record<EventService, ParkedEventsOperations> = {
  documents: { list: AdminDocumentsParkedEventsDocument, requeue: AdminDocumentsRequeueParkedDocument },
  counterparties: { list: AdminCounterpartiesParkedEventsDocument, requeue: AdminCounterpartiesRequeueParkedDocument },
  deals: { list: AdminDealsParkedEventsDocument, requeue: AdminDealsRequeueParkedDocument },
  finance: { list: AdminFinanceParkedEventsDocument, requeue: AdminFinanceRequeueParkedDocument },
  mailings: { list: AdminMailingsParkedEventsDocument, requeue: AdminMailingsRequeueParkedDocument },
};
