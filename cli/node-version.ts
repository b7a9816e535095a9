/**
 * The Node.js fanout needs, checked before anything that needs it is loaded (`node:sqlite`,
 * `AbortSignal.any`…): on an older Node, one line says what was found and how to get a newer one.
 * This module imports nothing, so it loads on any Node. `scripts/check-node.mjs` says the same
 * for `npm start` and `npm test`.
 */

/** package.json's `engines.node`: >=22.13. */
export const NODE_FLOOR = [22, 13] as const;

/** The message for a Node older than the floor, or undefined if `version` ("22.13.0") will do. */
export function nodeVersionProblem(version: string): string | undefined {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major > NODE_FLOOR[0] || (major === NODE_FLOOR[0] && minor >= NODE_FLOOR[1])) return undefined;
  return `fanout needs Node.js >= ${NODE_FLOOR.join('.')} (24 recommended, the Lambda runtime); found ${version}. Install it with: npm i -g --prefix ~/.node24 node@24 && export PATH=~/.node24/bin:$PATH`;
}
