import { useConnectionPage } from '../../../frontends/api/src/vue/connection-page';

/** The paged lists of the portal (card panels, registries, the parked events): what they show of an answer. */

type Data = { parked: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: { id: string } }[] } | null };

const pageOf = (result: Data | null | undefined, error: Error | null = null) =>
  // refs as the composable reads them (`.value`): each case reads one answer once
  useConnectionPage<Data, { id: string }>({ result: { value: result } as never, error: { value: error } as never, fetchMore: async () => undefined as never }, (data) => data.parked);

describe('a paged list', () => {
  it('shows the rows and the total of an answer', () => {
    const page = pageOf({ parked: { totalCount: 3, pageInfo: { hasNextPage: true, endCursor: 'c2' }, edges: [{ node: { id: 'a' } }, { node: { id: 'b' } }] } });
    expect(page.rows.value.map((row) => row.id)).toEqual(['a', 'b']);
    expect(page.totalLabel.value).toBe('3');
    expect(page.failed.value).toBe(false);
  });

  it('waits for a first answer without failing', () => {
    const page = pageOf(undefined);
    expect(page.rows.value).toEqual([]);
    expect(page.failed.value).toBe(false);
  });

  it('says it failed when the answer carried no data at all (the service could not read its database), instead of breaking the page', () => {
    const page = pageOf(null, new Error('sorry, too many clients already'));
    expect(page.connection.value).toBeNull();
    expect(page.rows.value).toEqual([]);
    expect(page.failed.value).toBe(true);
  });
});
