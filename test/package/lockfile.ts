/**
 * A package-lock.json for a fresh project, cut from this repository's: the project's
 * dependencies at the versions this repository locks, each package with its `resolved` URL and
 * `integrity`, plus the packed fanout tarball. `npm ci --offline` installs it from the npm cache
 * that `npm ci` of this repository filled, with no registry (a bare `npm install` would need the
 * registry's package documents, which `npm ci` never fetches).
 */

export type LockPackage = {
  version?: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  [key: string]: unknown;
};

export type Lockfile = { name?: string; version?: string; lockfileVersion: number; requires?: boolean; packages: Record<string, LockPackage> };

export type ProjectManifest = {
  name: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** Where `name`, required by the package at `from`, is installed: node's lookup, up the tree. */
function locate(packages: Record<string, LockPackage>, from: string, name: string): string | undefined {
  for (let base = from; ; ) {
    const path = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[path]) return path;
    if (!base) return undefined;
    const up = base.lastIndexOf('/node_modules/');
    base = up === -1 ? '' : base.slice(0, up);
  }
}

type Edge = { name: string; optional: boolean };

function edges(pkg: LockPackage): Edge[] {
  const optionalPeers = new Set(Object.entries(pkg.peerDependenciesMeta ?? {}).filter(([, m]) => m.optional).map(([n]) => n));
  return [
    ...Object.keys(pkg.dependencies ?? {}).map((name) => ({ name, optional: false })),
    ...Object.keys(pkg.optionalDependencies ?? {}).map((name) => ({ name, optional: true })),
    ...Object.keys(pkg.peerDependencies ?? {}).filter((name) => !optionalPeers.has(name)).map((name) => ({ name, optional: false })),
  ];
}

/** Every location reachable from `roots`; with `strict`, through non-optional edges only. */
function reach(packages: Record<string, LockPackage>, roots: string[], strict: boolean): Set<string> {
  const seen = new Set<string>();
  const visit = (from: string, name: string) => {
    const path = locate(packages, from, name);
    if (!path || seen.has(path)) return;
    seen.add(path);
    for (const edge of edges(packages[path]!)) if (!strict || !edge.optional) visit(path, edge.name);
  };
  for (const name of roots) visit('', name);
  return seen;
}

/**
 * @param source this repository's lock file
 * @param project the new project's package.json (every dependency must be in `source` or `extra`)
 * @param extra packages that are not in `source` (the fanout tarball), by location
 */
export function projectLockfile(source: Lockfile, project: ProjectManifest, extra: Record<string, LockPackage>): Lockfile {
  const all: Record<string, LockPackage> = { ...source.packages, ...extra };
  delete all[''];
  const prod = Object.keys(project.dependencies);
  const dev = Object.keys(project.devDependencies);
  const missing = [...prod, ...dev].filter((name) => !all[`node_modules/${name}`]);
  if (missing.length > 0) throw new Error(`not in this repository's lock file: ${missing.join(', ')}`);
  const prodAny = reach(all, prod, false);
  const prodStrict = reach(all, prod, true);
  const devAny = reach(all, dev, false);
  const devStrict = reach(all, dev, true);
  const packages: Record<string, LockPackage> = {
    '': { name: project.name, dependencies: project.dependencies, devDependencies: project.devDependencies },
  };
  for (const path of [...new Set([...prodAny, ...devAny])].sort()) {
    const { dev: _d, optional: _o, devOptional: _do, peer: _p, ...pkg } = all[path]!;
    const flags: Partial<LockPackage> = {};
    if (!prodStrict.has(path)) {
      if (prodAny.has(path)) {
        if (devStrict.has(path)) flags.devOptional = true;
        else flags.optional = true;
      } else {
        flags.dev = true;
        if (!devStrict.has(path)) flags.optional = true;
      }
    }
    packages[path] = { ...pkg, ...flags };
  }
  return { name: project.name, lockfileVersion: 3, requires: true, packages };
}
