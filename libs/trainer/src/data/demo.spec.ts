import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeIdx } from '../test-support/idx-fixture';
import { classCounts } from './dataset';
import { DEMO_DATASETS, loadDemoDataset } from './demo';
import {
  FASHION_CLASSES,
  FASHION_FILES,
  FASHION_SYSTEM_DIR,
  loadFashionClasses,
} from './fashion-mnist';

describe('demo MNIST datasets', () => {
  it('target: digits 5–9, few examples per class, stratified and reproducible', () => {
    const a = loadDemoDataset('demo:mnist-5-9', { trainPerClass: 20, valPerClass: 30 });
    expect(a.train.classNames).toEqual(['5', '6', '7', '8', '9']);
    expect(classCounts(a.train)).toEqual([20, 20, 20, 20, 20]);
    expect(classCounts(a.val)).toEqual([30, 30, 30, 30, 30]);
    expect(a.train.shape).toEqual([28, 28, 1]);
    const b = loadDemoDataset('demo:mnist-5-9', { trainPerClass: 20, valPerClass: 30 });
    expect(b.train.images).toEqual(a.train.images);
  });

  it('source task is digits 0–4; the shifted targets are inverted or noisy', () => {
    const src = loadDemoDataset('demo:mnist-0-4', { trainPerClass: 5, valPerClass: 5 });
    expect(src.train.classNames).toEqual(['0', '1', '2', '3', '4']);
    const plain = loadDemoDataset('demo:mnist-5-9', { trainPerClass: 5, valPerClass: 5 });
    const inv = loadDemoDataset('demo:mnist-5-9-inverted', { trainPerClass: 5, valPerClass: 5 });
    inv.train.images.forEach((v, i) => expect(v).toBe(255 - plain.train.images[i]!));
    const noisy = loadDemoDataset('demo:mnist-5-9-noisy', { trainPerClass: 5, valPerClass: 5 });
    expect(noisy.train.images).not.toEqual(plain.train.images);
    expect(noisy.train.images).toBeInstanceOf(Uint8Array);
  });

  it('unknown names and empty classes are clear errors', () => {
    expect(() => loadDemoDataset('demo:cifar')).toThrow(
      /unknown dataset "demo:cifar" \(known: demo:mnist-0-4/,
    );
    expect(() => loadDemoDataset('demo:mnist-5-9', { trainPerClass: 0 })).toThrow(
      /trainPerClass must be a positive integer, got 0 \(a class would be empty\)/,
    );
    expect(() => loadDemoDataset('demo:mnist-5-9', { trainPerClass: 5000 })).toThrow(
      /class 5 has \d+ examples, 5050 requested/,
    );
  });
});

// A tiny Fashion-MNIST stand-in: 8 images per class, every pixel of an image of class k is
// 20·k + (its index within the class), so a loaded image tells which class and example it is.
const PER_CLASS = 8;
const tmp = mkdtempSync(join(tmpdir(), 'retune-fashion-'));
beforeAll(() => {
  const n = 10 * PER_CLASS;
  const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
  const pixels = new Uint8Array(n * 784);
  labels.forEach((k, i) => pixels.fill(20 * k + Math.floor(i / 10), i * 784, (i + 1) * 784));
  mkdirSync(tmp, { recursive: true });
  writeFileSync(join(tmp, FASHION_FILES.trainImages), gzipSync(encodeIdx([n, 28, 28], pixels)));
  writeFileSync(join(tmp, FASHION_FILES.trainLabels), gzipSync(encodeIdx([n], labels)));
  process.env['RETUNE_FASHION_MNIST'] = tmp;
});
afterAll(() => {
  delete process.env['RETUNE_FASHION_MNIST'];
  rmSync(tmp, { recursive: true, force: true });
});

describe('demo Fashion-MNIST datasets (IDX fixture)', () => {
  const opts = { trainPerClass: 3, valPerClass: 2 };
  const classOf = (img: Uint8Array, i: number) => Math.floor(img[i * 784]! / 20);

  it('demo:fashion has all 10 classes, named, with the right images under each label', () => {
    const { train, val } = loadDemoDataset('demo:fashion', opts);
    expect(train.classNames).toEqual([...FASHION_CLASSES]);
    expect(classCounts(train)).toEqual(Array(10).fill(3));
    expect(classCounts(val)).toEqual(Array(10).fill(2));
    expect(train.shape).toEqual([28, 28, 1]);
    train.labels.forEach((l, i) => expect(classOf(train.images, i)).toBe(l));
  });

  it('0–4 is the source, 5–9 the new classes; shifted targets are inverted or noisy', () => {
    expect(loadDemoDataset('demo:fashion-0-4', opts).train.classNames).toEqual(
      FASHION_CLASSES.slice(0, 5),
    );
    const plain = loadDemoDataset('demo:fashion-5-9', opts);
    expect(plain.train.classNames).toEqual(['sandal', 'shirt', 'sneaker', 'bag', 'ankle-boot']);
    plain.train.labels.forEach((l, i) => expect(classOf(plain.train.images, i)).toBe(l + 5));
    const inv = loadDemoDataset('demo:fashion-5-9-inverted', opts);
    inv.train.images.forEach((v, i) => expect(v).toBe(255 - plain.train.images[i]!));
    const noisy = loadDemoDataset('demo:fashion-5-9-noisy', opts);
    expect(noisy.train.labels).toEqual(plain.train.labels);
    expect(noisy.train.images).not.toEqual(plain.train.images);
    expect(DEMO_DATASETS).toContain('demo:fashion-5-9-noisy');
  });

  it('few images per class by default; asking for more than exist is a clear error', () => {
    expect(() => loadDemoDataset('demo:fashion-5-9')).toThrow(
      /demo:fashion-5-9: class sandal has 8 examples, 70 requested/,
    );
  });
});

describe.skipIf(!existsSync(join(FASHION_SYSTEM_DIR, FASHION_FILES.trainImages)))(
  'the real Debian package (when installed)',
  () => {
    it('holds 6,000 training images of each class', () => {
      expect(loadFashionClasses(FASHION_SYSTEM_DIR).map((c) => c.length / 784)).toEqual(
        Array(10).fill(6000),
      );
    });
  },
);
