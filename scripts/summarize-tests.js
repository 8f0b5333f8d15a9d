#!/usr/bin/env node
// Adds up jest JSON reports into the one line CI reads: "N passed, N failed, N skipped".
// A report that is missing or unreadable counts as a failure, never as zero tests.
const fs = require('node:fs');

let passed = 0;
let failed = 0;
let skipped = 0;
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
  } catch (e) {
    console.error(`Cannot read test report ${file}: ${e.message}`);
    failed += 1;
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
