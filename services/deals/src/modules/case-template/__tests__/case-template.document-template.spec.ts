import { randomUUID } from 'node:crypto';
import { type EventPayload, type Identity, UserInputError } from '@kartoteka/kit';
import { demoIdentity, seedCounterpartyRefs, seedDemoUserRefs, startTestSubgraph, type TestSubgraph } from '@kartoteka/kit/testing';
import { EQUIPMENT_DEFINITIONS } from '../../../seed/equipment-template.seed';
import { dealsSubgraph } from '../../../subgraph';
import { parseDefinition, type CaseDefinition } from '../case-template.definition';

const manager: Identity = demoIdentity('manager@kartoteka.local');

/** A definition whose open stage has one action of `kind`, with the given extra properties. */
function withAction(kind: string, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    stages: [
      { key: 'open', name: 'В работе', probability: 40, outcome: 'OPEN', actions: [{ key: 'doc', kind, title: 'Документ', ...extra }] },
      { key: 'won', name: 'Успех', probability: 100, outcome: 'WON' },
      { key: 'lost', name: 'Отказ', probability: 0, outcome: 'LOST' },
    ],
    form: { fields: [], sections: [] },
  };
}

function fieldOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    if (error instanceof UserInputError) return error.extensions.field;
    throw error;
  }
  return null;
}

describe('case templates: the document template of a document action', () => {
  it('SEND_OFFER and PREPARE_CONTRACT may name a template by code; other kinds may not; the code has one shape', () => {
    expect((parseDefinition(withAction('SEND_OFFER', { templateCode: 'commercial-offer' })) as CaseDefinition).stages[0].actions[0].templateCode).toBe('commercial-offer');
    expect(parseDefinition(withAction('PREPARE_CONTRACT', { templateCode: null })).stages[0].actions[0].templateCode).toBeNull();
    expect(parseDefinition(withAction('SEND_OFFER', {})).stages[0].actions[0]).not.toHaveProperty('templateCode');
    expect(fieldOf(() => parseDefinition(withAction('CALL', { templateCode: 'commercial-offer' })))).toBe('definition.stages.0.actions.0.templateCode');
    expect(fieldOf(() => parseDefinition(withAction('SEND_OFFER', { templateCode: 'Коммерческое' })))).toBe('definition.stages.0.actions.0.templateCode');
    // the demo template names the shipped DOCX templates
    const actions = EQUIPMENT_DEFINITIONS[0].stages.flatMap((stage) => stage.actions);
    expect(actions.filter((action) => action.templateCode).map((action) => [action.kind, action.templateCode])).toEqual([
      ['SEND_OFFER', 'commercial-offer'],
      ['PREPARE_CONTRACT', 'supply-contract'],
    ]);
  });

  describe('running the action', () => {
    let subgraph: TestSubgraph;
    beforeAll(async () => {
      subgraph = await startTestSubgraph(dealsSubgraph());
      await seedDemoUserRefs(subgraph.orm.em);
    });
    afterAll(() => subgraph?.close());

    it('the document request carries the template code and the deal title', async () => {
      const created = await subgraph.request<{ createCaseTemplate: { id: string; draftVersion: number } }>(
        'mutation($input: CreateCaseTemplateInput!) { createCaseTemplate(input: $input) { id draftVersion } }',
        { input: { name: 'КП по шаблону', definition: withAction('SEND_OFFER', { templateCode: 'commercial-offer' }) } },
        manager,
      );
      const template = created.data!.createCaseTemplate;
      const published = await subgraph.request<{ publishCaseTemplate: { stages: { actions: { templateCode: string | null }[] }[] } }>(
        'mutation($input: PublishCaseTemplateInput!) { publishCaseTemplate(input: $input) { stages { actions { templateCode } } } }',
        { input: { id: template.id, draftVersion: template.draftVersion } },
        manager,
      );
      expect(published.data!.publishCaseTemplate.stages[0].actions).toEqual([{ templateCode: 'commercial-offer' }]);
      const counterpartyId = randomUUID();
      await seedCounterpartyRefs(subgraph.orm.em, [counterpartyId]);
      const deal = await subgraph.request<{ createDeal: { id: string; actions: { id: string }[] } }>(
        'mutation($input: CreateDealInput!) { createDeal(input: $input) { id actions { id } } }',
        { input: { title: 'Стеллажи для склада', counterpartyId, templateId: template.id, amountMinor: 300_000_00 } },
        manager,
      );
      const { id: dealId, actions } = deal.data!.createDeal;
      const done = await subgraph.request('mutation($input: CompleteDealActionInput!) { completeDealAction(input: $input) { status } }', { input: { id: actions[0].id } }, manager);
      expect(done.errors).toBeUndefined();
      const [request] = await subgraph.orm.em.getConnection().execute<{ payload: EventPayload }[]>("select payload from outbox_events where topic = 'deals.document.requested' and payload->>'dealId' = ?", [dealId]);
      expect(request.payload).toMatchObject({ dealId, documentType: 'COMMERCIAL_OFFER', templateCode: 'commercial-offer', dealTitle: 'Стеллажи для склада' });
    });
  });
});
