import type { LayersModel } from '@tensorflow/tfjs';
import type { io } from '@tensorflow/tfjs';
import { tfjs } from '../backend';
import type { TrialDataset } from '../data/load';

/**
 * What a serving trainer keeps between trials (docs/trainer-reuse.md): decoded datasets (plain
 * typed arrays) and bases as in-memory artifacts. Neither holds a tensor, so a trial's tensors
 * all go with the trial and `tf.memory().numTensors` returns to where it was. Both are bounded
 * (least recently used first out), by entries and, for datasets, by bytes.
 */
export interface TrialCache {
  dataset(key: string, load: () => Promise<TrialDataset>): Promise<TrialDataset>;
  /** A fresh model each call (trials fine-tune their copy); built from cached artifacts. */
  base(key: string, load: () => Promise<LayersModel>): Promise<LayersModel>;
  stats(): { datasets: number; datasetBytes: number; bases: number };
}

export interface TrialCacheLimits {
  datasets: number;
  datasetBytes: number;
  bases: number;
}

export const DEFAULT_CACHE_LIMITS: TrialCacheLimits = {
  datasets: 4,
  datasetBytes: 1 << 30,
  bases: 4,
};

const datasetBytes = (d: TrialDataset) =>
  [d.train, d.val, d.test].reduce(
    (n, s) => n + (s ? s.images.byteLength + s.labels.byteLength : 0),
    0,
  );

/** A small LRU map: Map keeps insertion order, so re-inserting marks an entry recent. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly fits: (entries: Map<string, V>) => boolean) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, value: V): void {
    this.map.set(key, value);
    while (this.map.size > 1 && !this.fits(this.map)) {
      this.map.delete(this.map.keys().next().value!);
    }
  }
  get size() {
    return this.map.size;
  }
  values() {
    return this.map.values();
  }
}

/** Serialises a model's topology and weights into memory (no tensors kept). */
async function artifactsOf(model: LayersModel): Promise<io.ModelArtifacts> {
  const tf = tfjs();
  let saved: io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return saved!;
}

export function createTrialCache(limits: TrialCacheLimits = DEFAULT_CACHE_LIMITS): TrialCache {
  const datasets = new Lru<TrialDataset>((m) => {
    let bytes = 0;
    for (const d of m.values()) bytes += datasetBytes(d);
    return m.size <= limits.datasets && bytes <= limits.datasetBytes;
  });
  const bases = new Lru<io.ModelArtifacts>((m) => m.size <= limits.bases);
  return {
    async dataset(key, load) {
      const hit = datasets.get(key);
      if (hit) return hit;
      const loaded = await load();
      datasets.set(key, loaded);
      return loaded;
    },
    async base(key, load) {
      const hit = bases.get(key);
      const tf = tfjs();
      if (hit) return tf.loadLayersModel(tf.io.fromMemory(hit));
      const model = await load();
      bases.set(key, await artifactsOf(model));
      return model;
    },
    stats() {
      let bytes = 0;
      for (const d of datasets.values()) bytes += datasetBytes(d);
      return { datasets: datasets.size, datasetBytes: bytes, bases: bases.size };
    },
  };
}
