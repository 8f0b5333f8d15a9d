#!/usr/bin/env node
// Turns Playwright's JSON report (argv[2]) into the jest-style totals that
// scripts/summarize-tests.js adds up, written to argv[3]. An error outside any test (the
// demo never came up, a spec that does not load) counts as a failed test, and so does
// a missing or unreadable report: never zero tests.
const fs = require('node:fs');

const [input, output] = process.argv.slice(2);

/** Every test of every suite, with its last attempt's outcome. */
function* testsOf(suite) {
  for (const spec of suite.specs ?? []) {
    for (const t of spec.tests ?? []) {
      const last = t.results?.[t.results.length - 1];
      yield {
        name: [suite.title, spec.title].filter(Boolean).join(' › '),
        outcome: t.status,
        error: last?.error?.message,
      };
    }
  }
  for (const child of suite.suites ?? []) yield* testsOf(child);
}

function totals(report) {
  const results = report.suites.flatMap(suite => [...testsOf(suite)]);
  const count = outcome => results.filter(r => r.outcome === outcome).length;
  const errors = (report.errors ?? []).map(e => e.message ?? String(e));
  return {
    numPassedTests: count('expected'),
    // No retries are configured: a test that needed one ("flaky") did fail once.
    numFailedTests: count('unexpected') + count('flaky') + errors.length,
    numPendingTests: count('skipped'),
    results,
    errors,
  };
}

let summary;
try {
  summary = totals(JSON.parse(fs.readFileSync(input, 'utf8')));
} catch (e) {
  summary = {
    numPassedTests: 0,
    numFailedTests: 1,
    numPendingTests: 0,
    errors: [`Cannot read the Playwright report ${input}: ${e.message}`],
  };
}
fs.writeFileSync(output, JSON.stringify(summary, null, 2));
console.log(
  `e2e: ${summary.numPassedTests} passed, ${summary.numFailedTests} failed, ${summary.numPendingTests} skipped`,
);
process.exit(summary.numFailedTests > 0 ? 1 : 0);
