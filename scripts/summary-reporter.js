// Prints one closing line "N passed, N failed" (plus skipped) so CI logs state the outcome plainly.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failedSuites = results.numRuntimeErrorTestSuites;
    const line = `${results.numPassedTests} passed, ${results.numFailedTests + failedSuites} failed${skipped ? `, ${skipped} skipped` : ''}`;
    process.stdout.write(`\ntests: ${line}\n`);
  }
}
module.exports = SummaryReporter;
