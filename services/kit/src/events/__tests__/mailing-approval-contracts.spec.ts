import { counterpartyUpsertedContract, mailingApprovalRefusedContract, mailingApprovalRequestedContract, type EventContract, type ParseResult } from '../contracts';
import type { EventPayload } from '../event-bus';

const ID = '7F1C2B7E-3D4A-4E8F-9A0B-1C2D3E4F5A6B';
const parse = <T>(contract: EventContract<T>, payload: unknown): ParseResult<T> => contract.parse({ payload: payload as EventPayload });

describe('contracts of offer mailings (issue 12)', () => {
  const counterparty = { id: ID, name: 'ООО «Альфа»', inn: '7707083893', status: 'PROSPECT', updatedAt: '2026-12-06T10:00:00.000Z' };

  it('counterparty state: tags and contacts are optional (older producers), normalized when present', () => {
    const old = parse(counterpartyUpsertedContract, counterparty);
    expect(old).toMatchObject({ ok: true });
    expect(old.ok && 'contacts' in old.value).toBe(false);
    expect(old.ok && 'tags' in old.value).toBe(false);

    const current = parse(counterpartyUpsertedContract, {
      ...counterparty,
      tags: ['it'],
      contacts: [
        { id: ID, name: 'Анна', email: ' Anna@Alpha.Example ', mailingConsent: true, mailingConsentAt: '2026-12-01T09:00:00.000Z' },
        { id: ID.toLowerCase(), name: 'Борис', email: null, mailingConsent: false, mailingConsentAt: '2026-12-01T09:00:00.000Z' },
      ],
    });
    expect(current).toEqual({
      ok: true,
      value: expect.objectContaining({
        tags: ['it'],
        contacts: [
          { id: ID.toLowerCase(), name: 'Анна', email: 'anna@alpha.example', mailingConsent: true, mailingConsentAt: '2026-12-01T09:00:00.000Z' },
          // no consent, no consent time
          { id: ID.toLowerCase(), name: 'Борис', email: null, mailingConsent: false, mailingConsentAt: null },
        ],
      }),
    });
    for (const broken of [{ contacts: [{ id: 'x', name: 'a', mailingConsent: true }] }, { contacts: [{ id: ID, name: 'a' }] }, { contacts: [{ id: ID, name: 'a', mailingConsent: true, mailingConsentAt: '2026-02-31T00:00:00Z' }] }, { tags: [''] }]) {
      expect(parse(counterpartyUpsertedContract, { ...counterparty, ...broken }).ok).toBe(false);
    }
  });

  it('approval request and refusal: ids lower-cased, required fields checked', () => {
    const request = { mailingId: ID, documentId: ID, name: 'КП', subject: 'Тема', html: '<p>x</p>', text: 'x', counterpartyId: ID, recipientCount: 3, requestedAt: '2026-12-06T10:00:00.000Z' };
    expect(parse(mailingApprovalRequestedContract, request)).toEqual({ ok: true, value: { ...request, mailingId: ID.toLowerCase(), documentId: ID.toLowerCase(), counterpartyId: ID.toLowerCase(), requestedById: null } });
    for (const broken of [{ documentId: 'x' }, { name: '' }, { recipientCount: -1 }, { requestedAt: 'yesterday' }, { html: undefined }]) {
      expect(parse(mailingApprovalRequestedContract, { ...request, ...broken }).ok).toBe(false);
    }
    expect(parse(mailingApprovalRefusedContract, { mailingId: ID, documentId: ID, error: 'no route' })).toEqual({ ok: true, value: { mailingId: ID.toLowerCase(), documentId: ID.toLowerCase(), error: 'no route' } });
    expect(parse(mailingApprovalRefusedContract, { mailingId: ID, documentId: ID, error: '' }).ok).toBe(false);
  });
});
