/**
 * How long each function of the product is, read from the TypeScript AST (not from braces in the
 * text, which strings, comments and template literals would fool). `npm run lint:functions`
 * (scripts/check-function-length.ts) fails on any longer than the limit.
 *
 * A function's length is the span of its body, from the line of its opening brace to the line of
 * its closing one (both counted); an arrow with an expression body spans that expression. Nested
 * functions count in the function that holds them: a 30-line function holding a 60-line callback
 * is a 90-line function to read, so both the callback and the holder must be split.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** Longer than this is too long: a function should fit on one screen and tell one step. */
export const MAX_FUNCTION_LINES = 80;

/** The product's folders; test/ is not product code. */
export const PRODUCT_FOLDERS = ['functions', 'cli', 'cdk', 'bench', 'scripts'] as const;

export type FunctionLength = {
  /** Relative to the root that was searched. */
  file: string;
  /** 1-based line where the function starts. */
  line: number;
  name: string;
  lines: number;
};

const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;
const SKIP = new Set(['node_modules', 'dist', 'cdk.out']);

/** Every function-like node of one source text that has a body, with the lines its body spans. */
export function functionLengths(file: string, text: string): FunctionLength[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
  const found: FunctionLength[] = [];
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line + 1;
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const body = node.body as ts.Node;
      found.push({
        file,
        line: lineOf(node.getStart(source)),
        name: nameOf(node, source),
        lines: lineOf(body.getEnd()) - lineOf(body.getStart(source)) + 1,
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The functions under `root`'s `folders` longer than `limit` lines, longest first. */
export async function longFunctions(root: string, folders: readonly string[] = PRODUCT_FOLDERS, limit = MAX_FUNCTION_LINES): Promise<FunctionLength[]> {
  const long: FunctionLength[] = [];
  for (const folder of folders) {
    for (const path of await sourceFiles(join(root, folder))) {
      const text = await readFile(path, 'utf8');
      long.push(...functionLengths(relative(root, path), text).filter((f) => f.lines > limit));
    }
  }
  return long.sort((a, b) => b.lines - a.lines || a.file.localeCompare(b.file) || a.line - b.line);
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !SKIP.has(entry.name)) files.push(...(await sourceFiles(path)));
    else if (entry.isFile() && SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

function scriptKind(file: string): ts.ScriptKind {
  return /\.(js|mjs|cjs)$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
}

/** The name a reader would look for: `Class.method`, `Class constructor`, the variable or property an arrow is assigned to. */
function nameOf(node: ts.SignatureDeclaration, source: ts.SourceFile): string {
  const own = node.name?.getText(source);
  const owner = classOf(node, source);
  if (ts.isConstructorDeclaration(node)) return `${owner ?? '(class)'} constructor`;
  if (ts.isGetAccessorDeclaration(node)) return `${owner ? `${owner}.` : ''}get ${own}`;
  if (ts.isSetAccessorDeclaration(node)) return `${owner ? `${owner}.` : ''}set ${own}`;
  if (own) return owner ? `${owner}.${own}` : own;
  const holder = node.parent;
  if (ts.isPropertyDeclaration(holder)) {
    const holderOwner = classOf(holder, source);
    return `${holderOwner ? `${holderOwner}.` : ''}${holder.name.getText(source)}`;
  }
  if (ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder)) return holder.name.getText(source);
  if (ts.isCallExpression(holder)) return `(callback of ${calleeName(holder.expression)})`;
  return '(anonymous)';
}

/** The name of the class `member` belongs to, if it is a class member. */
function classOf(member: ts.Node, source: ts.SourceFile): string | undefined {
  return ts.isClassLike(member.parent) ? (member.parent.name?.getText(source) ?? '(class)') : undefined;
}

/** `map` of `[1, 2].map(…)`, `on` of `pool.on(…)`: the called name, not the whole chain before it. */
function calleeName(callee: ts.Expression): string {
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return ts.isIdentifier(callee) ? callee.text : '(expression)';
}
