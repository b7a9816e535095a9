/**
 * `npm run lint:functions` (part of `npm test`): fails, naming each one, if a function of the
 * product (functions/, cli/, cdk/, bench/, scripts/) is longer than 80 lines. A long one becomes
 * named steps. How a length is measured: scripts/function-length.ts.
 *
 *   tsx scripts/check-function-length.ts [root]
 *
 * Exit status 0 if none is too long, 1 otherwise.
 */
import { fileURLToPath } from 'node:url';
import { longFunctions, MAX_FUNCTION_LINES, PRODUCT_FOLDERS } from './function-length.js';

const root = process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url));
const long = await longFunctions(root);
for (const f of long) process.stderr.write(`${f.file}:${f.line}: ${f.name} is ${f.lines} lines long (at most ${MAX_FUNCTION_LINES})\n`);
if (long.length > 0) {
  process.stderr.write(`${long.length} function(s) over ${MAX_FUNCTION_LINES} lines in ${PRODUCT_FOLDERS.join(', ')}: split each into named steps\n`);
  process.exitCode = 1;
} else {
  process.stdout.write(`no function over ${MAX_FUNCTION_LINES} lines in ${PRODUCT_FOLDERS.join(', ')}\n`);
}
