import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCorrupt, writeDigitFolder } from '../test-support/image-folder';
import { loadMultiTaskDemo } from './demo-multitask';
import { exportDemoDataset } from './export';
import { loadLabelsCsvFolder, readLabelsCsv } from './labels-csv';
import { MISSING_LABEL } from './multitask';

const tmp = mkdtempSync(join(tmpdir(), 'retune-labels-csv-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const opts = { imageShape: [28, 28, 1] as const, valFraction: 0.25, seed: 1 };

const flat = join(tmp, 'flat');
beforeAll(async () => {
  await writeDigitFolder(flat, { imgs: [3, 8] });
  writeCorrupt(join(flat, 'imgs', 'broken.png'));
  const rows = Array.from({ length: 8 }, (_, i) => {
    const file = `imgs/${String(i).padStart(3, '0')}.${i % 2 ? 'jpg' : 'png'}`;
    return `${file},${i % 3 === 0 ? '' : i % 2 ? 'odd' : 'even'},"big, ${i < 4 ? 'no' : 'yes'}"`;
  });
  writeFileSync(
    join(flat, 'labels.csv'),
    ['file,parity,size', ...rows, 'imgs/broken.png,odd,"big, no"'].join('\n'),
  );
});

describe('labels.csv folders', () => {
  it('reads string classes (sorted), quoted cells, empty cells as missing; splits by the first task', async () => {
    const warnings: string[] = [];
    const d = await loadLabelsCsvFolder(flat, { ...opts, warn: (m) => warnings.push(m) });
    expect(d.layout).toBe('flat');
    expect(d.skipped).toBe(1);
    expect(warnings[0]).toMatch(/broken\.png/);
    const [parity, size] = d.train.tasks!;
    expect(parity!.classNames).toEqual(['even', 'odd']);
    expect(size!.classNames).toEqual(['big, no', 'big, yes']);
    expect(d.train.labels).toEqual(parity!.labels);
    expect(d.train.labels.length + d.val.labels.length).toBe(8);
    // Images 0, 3 and 6 have no parity label: they still carry a size label.
    const all = [...d.train.tasks![0]!.labels, ...d.val.tasks![0]!.labels];
    expect(all.filter((l) => l === MISSING_LABEL)).toHaveLength(3);
  });

  it('names a bad header, a short row and a file that does not exist', async () => {
    const csv = (text: string) => {
      const p = join(tmp, `bad-${Math.random()}.csv`);
      writeFileSync(p, text);
      return p;
    };
    expect(() => readLabelsCsv(csv('path,item\na.png,x'))).toThrow(/header must be file,<task1>/);
    expect(() => readLabelsCsv(csv('file,Item\na.png,x'))).toThrow(/are not task names/);
    expect(() => readLabelsCsv(csv('file,item,group\na.png,x'))).toThrow(
      /line 2: expected 3 cells/,
    );
    const dir = mkdtempSync(join(tmp, 'missing-'));
    writeFileSync(join(dir, 'labels.csv'), 'file,item\nnope.png,x\n');
    await expect(loadLabelsCsvFolder(dir, opts)).rejects.toThrow(
      /lists 1 file\(s\) that do not exist/,
    );
  });

  it('demo:fashion-multitask exports as labels.csv and loads back with the same labels', async () => {
    const dir = join(tmp, 'export');
    await exportDemoDataset('demo:fashion-multitask', dir, { trainPerClass: 2, valPerClass: 1 });
    expect(readFileSync(join(dir, 'val', 'labels.csv'), 'utf8').split('\n')[0]).toBe(
      'file,item,group',
    );
    const back = await loadLabelsCsvFolder(dir, opts);
    expect(back.layout).toBe('train-val');
    const demo = loadMultiTaskDemo('demo:fashion-multitask', { trainPerClass: 2, valPerClass: 1 });
    for (const split of ['train', 'val'] as const) {
      back[split].tasks!.forEach((t, i) => {
        const orig = demo[split].tasks![i]!;
        expect(t.name).toBe(orig.name);
        expect(Array.from(t.labels, (l) => t.classNames[l])).toEqual(
          Array.from(orig.labels, (l) => orig.classNames[l]),
        );
      });
      expect(back[split].images).toEqual(demo[split].images);
    }
  });
});

describe('multi-task demos', () => {
  it('derive group from the Fashion-MNIST class and parity from the digit', () => {
    const f = loadMultiTaskDemo('demo:fashion-multitask', { trainPerClass: 2, valPerClass: 1 });
    const [item, group] = f.train.tasks!;
    const pairs = new Set(
      Array.from(
        item!.labels,
        (l, i) => `${item!.classNames[l]}:${group!.classNames[group!.labels[i]!]}`,
      ),
    );
    expect([...pairs].sort()).toEqual([
      'ankle-boot:footwear',
      'bag:bag',
      'coat:clothing',
      'dress:clothing',
      'pullover:clothing',
      'sandal:footwear',
      'shirt:clothing',
      'sneaker:footwear',
      't-shirt:clothing',
      'trouser:clothing',
    ]);
    const m = loadMultiTaskDemo('demo:mnist-multitask', { trainPerClass: 3, valPerClass: 2 });
    expect(m.train.labels).toHaveLength(30); // trainPerClass counts digits
    const [digit, parity] = m.train.tasks!;
    digit!.labels.forEach((d, i) => expect(parity!.labels[i]).toBe(d % 2));
    const u = loadMultiTaskDemo('demo:mnist-unrelated', { trainPerClass: 10, valPerClass: 2 });
    const heavy = u.train.tasks![1]!.labels.filter((l) => l === 0).length;
    expect(heavy).toBeGreaterThan(20);
    expect(heavy).toBeLessThan(80);
  });
});
