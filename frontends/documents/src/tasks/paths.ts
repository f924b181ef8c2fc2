/** Portal paths this app links to (pages of other apps included). */
export const portalPaths = {
  document: (id: string): string => `/documents/${encodeURIComponent(id)}`,
  newDocument: (counterpartyId: string): string => `/documents/new?counterpartyId=${encodeURIComponent(counterpartyId)}`,
  counterparty: (id: string): string => `/counterparties/${encodeURIComponent(id)}`,
  tasks: '/tasks',
  task: (id: string): string => `/tasks/${encodeURIComponent(id)}`,
  inbox: '/tasks?tab=notifications',
};
