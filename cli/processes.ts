/** Processes recorded in fanout's state (a local runtime, a dispatcher): alive or gone, and files they hold. */
import { link, rm, writeFile } from 'node:fs/promises';

/** Whether a process recorded in fanout's state is still alive. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Creates `path` holding `content` (mode 0600) unless a live process holds it. The content is
 * written beside it and linked into place, which fails if the file exists: of two claims at once
 * exactly one wins, and nobody reads a half-written file. `heldBy` reads the existing file and
 * returns the refusal when its holder lives; a file left by a process that is gone is taken over,
 * once (a second clash means another claim won meanwhile).
 */
export async function claimFile(path: string, content: string, heldBy: () => Promise<Error | undefined>): Promise<void> {
  const partial = `${path}.${process.pid}.tmp`;
  await writeFile(partial, content, { mode: 0o600 });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await link(partial, path);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      }
      const refusal = await heldBy();
      if (refusal) throw refusal;
      await rm(path, { force: true });
    }
  } finally {
    await rm(partial, { force: true });
  }
}
