import { gaussian, type Rng } from './rng';

/** Strength of each augmentation; 0 (the default) turns it off. */
export interface AugmentParams {
  /** Probability of a horizontal flip. */
  flip: number;
  /** Maximum rotation in degrees (uniform in ±rotate). */
  rotate: number;
  /** Maximum zoom as a fraction (scale uniform in 1 ± zoom; > 1 crops into the image). */
  zoom: number;
  /** Maximum translation as a fraction of the side (crop position). */
  shift: number;
  /** Maximum additive brightness change (uniform in ±brightness). */
  brightness: number;
  /** Maximum contrast change (factor uniform in 1 ± contrast, around the image mean). */
  contrast: number;
  /** Standard deviation of additive gaussian pixel noise. */
  noise: number;
}

export const NO_AUGMENT: AugmentParams = {
  flip: 0,
  rotate: 0,
  zoom: 0,
  shift: 0,
  brightness: 0,
  contrast: 0,
  noise: 0,
};

/** `augment: none | light | heavy` presets; explicit `aug*` params override single fields. */
export const AUGMENT_PRESETS: Record<'none' | 'light' | 'heavy', AugmentParams> = {
  none: NO_AUGMENT,
  light: { ...NO_AUGMENT, rotate: 10, zoom: 0.1, shift: 0.08, brightness: 0.1, noise: 0.05 },
  heavy: {
    flip: 0,
    rotate: 25,
    zoom: 0.25,
    shift: 0.15,
    brightness: 0.25,
    contrast: 0.4,
    noise: 0.15,
  },
};

export const isIdentity = (p: AugmentParams) => Object.values(p).every((v) => v === 0);

/**
 * Augments a batch of NHWC images (values in [0, `max`]; brightness and noise are fractions of
 * that range) and returns a new buffer; the input is
 * never modified. Deterministic given `rng`. With every strength 0 the output equals the input.
 * Geometric ops (flip, rotate, zoom, shift) are one affine map sampled bilinearly with edge
 * clamping (so both black and white backgrounds extend naturally).
 */
export function augmentBatch(
  images: Float32Array,
  count: number,
  shape: readonly [number, number, number],
  p: AugmentParams,
  rng: Rng,
  max = 1,
): Float32Array {
  const [h, w, c] = shape;
  const size = h * w * c;
  if (images.length !== count * size) {
    throw new Error(`augmentBatch: ${images.length} values for ${count} images of ${size}`);
  }
  const out = new Float32Array(images);
  if (isIdentity(p)) return out;
  const uniform = (m: number) => (rng() * 2 - 1) * m;
  const cy = (h - 1) / 2;
  const cx = (w - 1) / 2;
  for (let n = 0; n < count; n++) {
    const src = images.subarray(n * size, (n + 1) * size);
    const dst = out.subarray(n * size, (n + 1) * size);
    const flip = p.flip > 0 && rng() < p.flip;
    const angle = p.rotate > 0 ? (uniform(p.rotate) * Math.PI) / 180 : 0;
    const scale = p.zoom > 0 ? 1 + uniform(p.zoom) : 1;
    const ty = p.shift > 0 ? uniform(p.shift) * h : 0;
    const tx = p.shift > 0 ? uniform(p.shift) * w : 0;
    if (flip || angle !== 0 || scale !== 1 || tx !== 0 || ty !== 0) {
      // Inverse map: output (x, y) samples the source at R(-angle)·((x, y) - c - t) / scale + c.
      const cos = Math.cos(angle) / scale;
      const sin = Math.sin(angle) / scale;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const dx = x - cx - tx;
          const dy = y - cy - ty;
          let sx = cos * dx + sin * dy + cx;
          const sy = -sin * dx + cos * dy + cy;
          if (flip) sx = w - 1 - sx;
          const fx = Math.min(w - 1, Math.max(0, sx));
          const fy = Math.min(h - 1, Math.max(0, sy));
          const x0 = Math.floor(fx);
          const y0 = Math.floor(fy);
          const x1 = Math.min(w - 1, x0 + 1);
          const y1 = Math.min(h - 1, y0 + 1);
          const ax = fx - x0;
          const ay = fy - y0;
          for (let k = 0; k < c; k++) {
            const v00 = src[(y0 * w + x0) * c + k]!;
            const v01 = src[(y0 * w + x1) * c + k]!;
            const v10 = src[(y1 * w + x0) * c + k]!;
            const v11 = src[(y1 * w + x1) * c + k]!;
            dst[(y * w + x) * c + k] =
              (1 - ay) * ((1 - ax) * v00 + ax * v01) + ay * ((1 - ax) * v10 + ax * v11);
          }
        }
      }
    }
    const delta = p.brightness > 0 ? uniform(p.brightness) : 0;
    const factor = p.contrast > 0 ? 1 + uniform(p.contrast) : 1;
    if (delta !== 0 || factor !== 1 || p.noise > 0) {
      let mean = 0;
      if (factor !== 1) {
        for (let i = 0; i < size; i++) mean += dst[i]!;
        mean /= size;
      }
      for (let i = 0; i < size; i++) {
        let v = dst[i]!;
        if (factor !== 1) v = (v - mean) * factor + mean;
        v += delta * max;
        if (p.noise > 0) v += p.noise * max * gaussian(rng);
        dst[i] = Math.min(max, Math.max(0, v));
      }
    }
  }
  return out;
}
