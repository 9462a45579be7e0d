// Values that tools/vitest/temporal-global-setup.ts provides to the tests.
declare module 'vitest' {
  export interface ProvidedContext {
    temporalBin: string;
  }
}
export {};
