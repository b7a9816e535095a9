/**
 * Summarises a V8 CPU profile (`node --cpu-prof`): self time by package (node_modules/<pkg>,
 * fanout's own folders, node internals, GC, idle) and the top functions.
 * `npx tsx bench/profile-summary.ts FILE.cpuprofile [--top 25]`
 */
import { readFile } from 'node:fs/promises';

type ProfileNode = {
  id: number;
  parent?: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
};
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

/** Which package or part a script URL belongs to. */
export function packageOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName === '(garbage collector)') return '(gc)';
    if (functionName === '(idle)') return '(idle)';
    if (functionName === '(program)') return '(program)';
    return '(native)';
  }
  const nm = url.lastIndexOf('node_modules/');
  if (nm !== -1) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return url;
  const m = /\/(functions|cli|bench)\/(.*)$/.exec(url);
  return m ? `fanout:${m[1]}/${m[2]!.replace(/\.[cm]?[jt]s.*$/, '')}` : url;
}

/** A package's share of the work, by what it is there for. */
export function categoryOf(pkg: string): string {
  if (pkg.startsWith('@smithy/') || pkg.startsWith('@aws-sdk/')) return 'AWS SDK client (serde, middleware, signing, MD5)';
  if (['fauxqs', 'toad-cache', 'fanout:cli/local/sqs-server', 'fanout:cli/local/sigv4', 'fanout:cli/local/request-guard'].includes(pkg)) {
    return 'embedded server (fauxqs, its HTTP side, SigV4 checks)';
  }
  if (pkg === 'zod') return 'zod validation';
  if (pkg === 'fanout:functions/contract') return 'contract (JSON encode/parse, packing)';
  if (pkg.startsWith('@aws-lambda-powertools/')) return 'Powertools batch';
  if (pkg === 'node:inspector' || pkg.startsWith('fanout:bench/')) return 'profiler itself';
  if (pkg.startsWith('fanout:')) return 'fanout (dispatch, poller, handler, collect)';
  return pkg;
}

const isNodeOwn = (pkg: string) => pkg.startsWith('node:') || pkg === '(native)' || pkg === '(program)';

async function main(): Promise<void> {
  const [file, ...rest] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-summary FILE.cpuprofile [--top N]');
  const top = rest[0] === '--top' ? Number(rest[1]) : 25;
  const profile = JSON.parse(await readFile(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const node of profile.nodes) for (const child of node.children ?? []) byId.get(child)!.parent = node.id;
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = profile.endTime - profile.startTime;

  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const fn = `${functionName || '(anonymous)'} ${pkg}:${lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  }
  const lines: string[] = [];
  const print = (title: string, map: Map<string, number>, n: number) => {
    lines.push('', `${title} (of ${(total / 1000).toFixed(0)} ms profiled)`);
    for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) {
      lines.push(`${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`);
    }
  };
  // Inclusive: a sample counts once for every package on its stack.
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let node = byId.get(id); node; node = node.parent === undefined ? undefined : byId.get(node.parent)) {
      seen.add(packageOf(node.callFrame.url, node.callFrame.functionName));
    }
    for (const pkg of seen) inclusive.set(pkg, (inclusive.get(pkg) ?? 0) + us);
  }
  // Categories: node's own frames (HTTP, streams, crypto, timers) are charged to the nearest
  // package above them on the stack, the one that asked for the work.
  const byCategory = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const leaf = byId.get(id)!.callFrame;
    let pkg = packageOf(leaf.url, leaf.functionName);
    for (let node = byId.get(id); node && isNodeOwn(pkg); node = node.parent === undefined ? undefined : byId.get(node.parent)) {
      const above = packageOf(node.callFrame.url, node.callFrame.functionName);
      if (!isNodeOwn(above)) pkg = above;
    }
    const category = isNodeOwn(pkg) ? 'node I/O with no package above (sockets, HTTP parsing, timers)' : categoryOf(pkg);
    byCategory.set(category, (byCategory.get(category) ?? 0) + us);
  }
  print('by category, self time (node internals charged to the package that called them)', byCategory, 20);
  print('by package, self time', byPackage, 30);
  print('by package, inclusive (anything it calls)', inclusive, 40);
  print('by function, self time', byFunction, top);
  // One write, so that `| head` does not meet EPIPE halfway.
  process.stdout.on('error', () => {});
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
