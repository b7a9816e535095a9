/** `fanout report [RUN]`: one self-contained HTML page of a run — timeline, durations, failures, cost. */
import { spawn } from 'node:child_process';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fanoutHome } from '../home.js';
import { loadReportData } from '../report/load-report-data.js';
import { renderReport } from '../report/index.js';
import { jsonLine, note } from '../output/reporter.js';
import { lambdaSettings, prices, type CostFlags } from './cost-flags.js';
import { pickRun, withStore } from './run-store.js';

export type ReportFlags = CostFlags & { run?: string; out?: string; open?: boolean; json?: boolean };

export async function reportCommand(run: string | undefined, flags: ReportFlags): Promise<number> {
  return withStore(async (store) => {
    const record = pickRun(store, run ?? flags.run);
    const data = loadReportData(store, record.id, { lambda: lambdaSettings(flags) });
    const html = renderReport(data, { prices: await prices(flags) });
    const path = flags.out ?? join(fanoutHome(), 'reports', `${record.id}.html`);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(`${path}.tmp`, html);
    await rename(`${path}.tmp`, path);
    if (flags.json) jsonLine('report', { run: record.id, path, bytes: Buffer.byteLength(html), jobs: data.jobs.length });
    else process.stdout.write(`${path}\n`);
    if (flags.open) openInBrowser(path);
    return 0;
  });
}

function openInBrowser(path: string): void {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(opener, [path], { detached: true, stdio: 'ignore' });
  child.on('error', () => note(`could not start ${opener}: open ${path} in a browser`));
  child.unref();
}
