#!/usr/bin/env node
// Nothing is imported statically but the version check: on an old Node, the CLI's modules
// (node:sqlite among them) would fail to load with a stack trace instead of this one line.
import { nodeVersionProblem } from './node-version.js';

const problem = nodeVersionProblem(process.versions.node);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exitCode = 1;
} else {
  (await import('./compile-cache.js')).enableCompileCache();
  (await import('./sqlite-warning.js')).holdBackSqliteWarning();
  const { main } = await import('./program.js');
  process.exitCode = await main(process.argv.slice(2));
}
