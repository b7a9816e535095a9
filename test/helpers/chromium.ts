/**
 * Headless Chromium for the browser tier, driven by playwright-core. No browser is downloaded
 * (this project's machines cannot): the system's Chromium is used (scripts/install-chromium.sh
 * installs the Debian package), found at CHROMIUM_PATH or the usual paths.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** The Chromium executable to use, or undefined when this machine has none. */
export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  return CANDIDATES.find((path) => existsSync(path));
}

/** Flags that keep Chromium from reaching the network on its own (updates, sync, QUIC probes). */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type Chromium = { context: BrowserContext; close(): Promise<void> };

/** A headless Chromium with a fresh profile, removed again by `close`. */
export async function launchChromium(executablePath: string): Promise<Chromium> {
  const profile = await mkdtemp(join(tmpdir(), 'fanout-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Says loudly on stderr that the browser tier did not run. */
export function skippedBanner(why: string): void {
  const bar = '!'.repeat(78);
  process.stderr.write(`\n${bar}\n[browser] NOT AVAILABLE: the browser tier (test/browser) is SKIPPED.\n${why}\nInstall it with scripts/install-chromium.sh, or set CHROMIUM_PATH; REQUIRE_BROWSER=1 makes this a failure.\n${bar}\n\n`);
}
