// The one knob for time in tests: KARTOTEKA_TEST_SLOWDOWN (a factor ≥ 1, default 1) multiplies every jest
// test timeout, every condition deadline of the specs and the subgraph timeout of test stacks. Set it on a
// machine that is slower or busier than usual (e.g. KARTOTEKA_TEST_SLOWDOWN=3); nothing else guesses speed.

function readSlowdown(value) {
  if (value === undefined || value === '') return 1;
  const factor = Number(value);
  if (!Number.isFinite(factor) || factor < 1) throw new Error(`KARTOTEKA_TEST_SLOWDOWN must be a number ≥ 1 (got "${value}")`);
  return factor;
}

const slowdown = readSlowdown(process.env.KARTOTEKA_TEST_SLOWDOWN);

/** `ms` stretched by the configured slowdown. */
function scaled(ms) {
  return Math.round(ms * slowdown);
}

module.exports = { slowdown, scaled };
