/**
 * Node's compile cache for the command line: the bytecode of fanout's modules and the AWS SDK's,
 * kept between runs, so a command spends its start running rather than compiling (a third of
 * `fanout run --local`'s start, measured in docs/performance.md). Per user, under
 * `$XDG_CACHE_HOME/fanout` (else `~/.cache/fanout`), not in a shared temporary directory another
 * user could fill first; NODE_COMPILE_CACHE chooses another place, NODE_DISABLE_COMPILE_CACHE=1
 * turns it off. Worker processes inherit it through the environment.
 */
import module from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function enableCompileCache(): void {
  try {
    const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
    const { directory } = module.enableCompileCache(process.env.NODE_COMPILE_CACHE || join(cacheHome, 'fanout', 'node-compile-cache'));
    if (directory) process.env.NODE_COMPILE_CACHE = directory;
  } catch {
    // A cache is a saving, never a reason to fail: run without it.
  }
}
