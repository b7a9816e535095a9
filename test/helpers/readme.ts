/** Code blocks of README.md that name their file on their first line (`// tasks.ts`), as written there. */
import { readFileSync } from 'node:fs';

const README = new URL('../../README.md', import.meta.url);

/** The block that starts with `// <name>`, first line included; throws if there is not exactly one. */
export function readmeFile(name: string): string {
  const text = readFileSync(README, 'utf8');
  const blocks = [...text.matchAll(/^```ts\n(\/\/ ([^\n]+)\n[\s\S]*?)^```$/gm)].filter((m) => m[2] === name);
  if (blocks.length !== 1) throw new Error(`README.md has ${blocks.length} code blocks for ${name}, not one`);
  return blocks[0]![1]!;
}
