import { buildSchema } from 'graphql';
import { composeSupergraph } from '../composition';
import { apiSchemaOf, changelogEntry, checkSchema, readDeliberate, readReleased, type DeliberateChange } from '../schema-check';

const RELEASED = `
  type Query { counterparty(id: ID!): Counterparty counterparties(first: Int): [Counterparty!]! }
  type Counterparty { id: ID! name: String! inn: String note: String status: Status! }
  enum Status { ACTIVE ARCHIVED }
`;
const released = buildSchema(RELEASED);
const TODAY = '2026-12-06';

describe('schema check against the last release', () => {
  // (composition.spec checks that the committed supergraph is what they compose)
  it('what the subgraphs compose breaks nothing against the release but what is listed as deliberate', async () => {
    const composed = composeSupergraph();
    expect(composed.errors).toBeNull();
    const result = await checkSchema(readReleased(), apiSchemaOf(composed.supergraphSdl!), readDeliberate(), TODAY);
    expect(result.refused.map(({ change, why }) => `${change.message}: ${why}`)).toEqual([]);
    expect(result.unused).toEqual([]);
  });

  it('accepts additions, refuses removals, tightened arguments, loosened results, new required arguments and removed enum values', async () => {
    const additive = await checkSchema(released, buildSchema(RELEASED.replace('note: String', 'note: String kpp: String')), [], TODAY);
    expect(additive.refused).toEqual([]);
    expect(additive.changes.map((change) => change.id)).toEqual(['FIELD_ADDED Counterparty.kpp']);

    const breaking = buildSchema(`
      type Query { counterparty(id: ID!, at: String!): Counterparty counterparties(first: Int!): [Counterparty!]! }
      type Counterparty { id: ID! name: String inn: String status: Status! }
      enum Status { ACTIVE }
    `);
    const result = await checkSchema(released, breaking, [], TODAY);
    expect(result.refused.map(({ change }) => change.id).sort()).toEqual(
      [
        'ENUM_VALUE_REMOVED Status.ARCHIVED',
        'FIELD_ARGUMENT_ADDED Query.counterparty.at',
        'FIELD_ARGUMENT_TYPE_CHANGED Query.counterparties.first',
        'FIELD_REMOVED Counterparty.note',
        'FIELD_TYPE_CHANGED Counterparty.name',
      ].sort(),
    );
  });

  it('lets a breaking change through only when listed with a reason, from its announced date on', async () => {
    const next = buildSchema(RELEASED.replace(' note: String', ''));
    const entry = (overrides: Partial<DeliberateChange>): DeliberateChange[] => [
      { change: 'FIELD_REMOVED Counterparty.note', reason: 'Replaced by comments', announced: '2026-09-01', notBefore: '2026-12-01', ...overrides },
    ];
    expect((await checkSchema(released, next, entry({}), TODAY)).refused).toEqual([]);
    expect((await checkSchema(released, next, entry({ notBefore: '2027-01-15' }), TODAY)).refused.map(({ why }) => why)).toEqual(['announced for 2027-01-15: too early (today is 2026-12-06)']);
    expect((await checkSchema(released, next, entry({ reason: ' ' }), TODAY)).refused.map(({ why }) => why)).toEqual(['listed without a reason']);
    expect((await checkSchema(released, next, entry({ announced: '2026-12-10' }), TODAY)).refused.map(({ why }) => why)).toEqual(['notBefore 2026-12-01 is before it was announced (2026-12-10)']);
    // an entry that matches nothing is reported, so stale ones leave the list
    expect((await checkSchema(released, released, entry({}), TODAY)).unused).toHaveLength(1);
  });

  it('writes a changelog entry from the diff, breaking changes first with their reason', async () => {
    const next = buildSchema(RELEASED.replace(' note: String', ' kpp: String'));
    const deliberate = [{ change: 'FIELD_REMOVED Counterparty.note', reason: 'Replaced by comments', announced: '2026-09-01', notBefore: '2026-12-01' }];
    const { changes } = await checkSchema(released, next, deliberate, TODAY);
    expect(changelogEntry(TODAY, changes, deliberate)).toBe(
      [
        '## 2026-12-06',
        '',
        '### Breaking',
        '',
        "- Field 'note' was removed from object type 'Counterparty' — Replaced by comments (announced 2026-09-01)",
        '',
        '### Added and compatible',
        '',
        "- Field 'kpp' was added to object type 'Counterparty'",
        '',
      ].join('\n'),
    );
  });
});
