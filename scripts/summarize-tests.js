#!/usr/bin/env node
// Adds up jest JSON reports into the one line CI reads: "N passed, N failed, N skipped".
// A report that is missing or unreadable counts as a failure, never as zero tests.
// Just above that line it names each failed test with the start of its message: CI
// keeps only the end of the output, and a failure without its message cannot be fixed.
const fs = require('node:fs');

const MESSAGE_LINES = 12;
// eslint-disable-next-line no-control-regex
const stripColours = text => text.replace(/\u001b\[[0-9;]*m/g, '');
const firstLines = text =>
  stripColours(text ?? '')
    .split('\n')
    .filter(line => line.trim() !== '')
    .slice(0, MESSAGE_LINES)
    .map(line => `    ${line.slice(0, 300)}`)
    .join('\n');

/** Each failed test of a jest report (or of e2e-totals.js' report) with its message. */
function* failuresOf(report) {
  for (const suite of report.testResults ?? []) {
    const tests = suite.assertionResults ?? [];
    for (const t of tests) {
      if (t.status === 'failed') {
        yield {
          name: `${suite.name} › ${t.fullName}`,
          message: (t.failureMessages ?? []).join('\n'),
        };
      }
    }
    // A suite that did not load, or failed outside its tests.
    if (suite.status === 'failed' && !tests.some(t => t.status === 'failed')) {
      yield { name: suite.name, message: suite.message };
    }
  }
  for (const r of report.results ?? []) {
    if (r.outcome === 'unexpected' || r.outcome === 'flaky') {
      yield { name: `e2e › ${r.name}`, message: r.error };
    }
  }
  for (const error of report.errors ?? []) {
    yield { name: 'e2e (outside any test)', message: error };
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
const files = process.argv.slice(2);
if (files.length === 0) failed += 1;
for (const file of files) {
  try {
    const report = JSON.parse(fs.readFileSync(file, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + (report.numTodoTests ?? 0);
    // A suite that fails to load (syntax error, missing module) has no failed tests.
    failed += report.numRuntimeErrorTestSuites ?? 0;
    failures.push(...failuresOf(report));
  } catch (e) {
    console.error(`Cannot read test report ${file}: ${e.message}`);
    failed += 1;
  }
}
for (const { name, message } of failures) {
  console.log(`FAILED ${name}\n${firstLines(message)}`);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
