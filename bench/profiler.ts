/**
 * CPU profile of exactly the timed window (dispatch start → collect end) of this process, via
 * the inspector: `--cpu-prof FILE` on bench/run.ts. Read it with bench/profile-summary.ts, or
 * open it in Chrome DevTools (Performance → Load profile).
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

/** Starts sampling; the returned function stops it and writes the profile to `path`. */
export async function startProfiling(path: string, intervalUs = 200): Promise<() => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    await writeFile(path, JSON.stringify(profile));
  };
}
