/**
 * The order of `pnpm bench`: the measurements most sensitive to a busy machine first, the heavy ones last. The
 * portal's first render and the card's CPU per request come before the registry export and the full dataset, whose
 * generation (bulk loads of millions of rows) leaves PostgreSQL flushing gigabytes of dirty pages for minutes:
 * measured after it, the card's figures were ~15% worse and the portal's render ~15% slower.
 */
const ORDER = ['portal.bench.ts', 'card-and-search.bench.ts', 'export.bench.ts', 'dataset.bench.ts', 'soak.bench.ts'];

const rank = (test) => {
  const index = ORDER.findIndex((name) => test.path.endsWith(name));
  return index === -1 ? ORDER.length : index;
};

class BenchSequencer {
  shard(tests) {
    return tests;
  }

  sort(tests) {
    return [...tests].sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
  }

  allFailedTests(tests) {
    return tests;
  }

  cacheResults() {}
}

module.exports = BenchSequencer;
