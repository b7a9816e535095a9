import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ResultsFile } from '../../cli/master/collect/results-file.js';
import { SeenJobs } from '../../cli/master/collect/seen-jobs.js';
import { idRanges } from '../../cli/output/summary.js';
import type { Result } from '../../functions/wire/contract.js';

describe('SeenJobs', () => {
  it('marks each id once and lists the missing ones', () => {
    const seen = new SeenJobs(10);
    expect(seen.add(3)).toBe(true);
    expect(seen.add(3)).toBe(false);
    expect(seen.add(9)).toBe(true);
    expect(seen.count).toBe(2);
    expect(seen.missing()).toEqual([0, 1, 2, 4, 5, 6, 7, 8]);
    for (const id of seen.missing()) seen.add(id);
    expect(seen.complete).toBe(true);
  });
});

describe('ResultsFile', () => {
  const result = (id: number): Result => ({ id, ok: true, output: id * id, ms: 1 });

  it('reads back what it wrote, and cuts a torn last line', async () => {
    // Prepare
    const path = join(await mkdtemp(join(tmpdir(), 'fanout-')), 'r.jsonl');
    const first = await ResultsFile.open(path, () => {});
    await first.append([result(0), result(1)]);
    await first.close();
    await writeFile(path, `${await readFile(path, 'utf8')}{"id":2,"ok":tr`);
    // Act
    const seen: number[] = [];
    const second = await ResultsFile.open(path, (r) => seen.push(r.id));
    await second.append([result(2)]);
    await second.close();
    // Assess
    expect(seen).toEqual([0, 1]);
    const lines = (await readFile(path, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Result);
    expect(lines.map((r) => r.id)).toEqual([0, 1, 2]);
  });

  it('finishes a last line that lacks only its newline', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'fanout-')), 'r.jsonl');
    await writeFile(path, JSON.stringify(result(0)));
    const file = await ResultsFile.open(path, () => {});
    await file.append([result(1)]);
    await file.close();
    expect((await readFile(path, 'utf8')).trim().split('\n')).toHaveLength(2);
  });
});

describe('idRanges', () => {
  it('folds runs of ids', () => {
    expect(idRanges([1, 2, 3, 7, 9, 10])).toBe('1-3, 7, 9-10');
  });
});
