import { describe, expect, it } from 'vitest';
import { DEFAULT_DOWNLOAD_LIMITS, downloadLimitsFrom, tooLargeRefusal } from './download-limits';

describe('download limits', () => {
  it('reads megabytes and seconds, defaults when unset, names the setting when bad', () => {
    expect(downloadLimitsFrom({})).toEqual(DEFAULT_DOWNLOAD_LIMITS);
    expect(
      downloadLimitsFrom({ RETUNE_DOWNLOAD_MAX_MB: '1', RETUNE_DOWNLOAD_TIMEOUT_S: '0.5' }),
    ).toEqual({ maxBytes: 1048576, timeoutMs: 500 });
    expect(() => downloadLimitsFrom({ RETUNE_DOWNLOAD_MAX_MB: 'lots' })).toThrow(
      /RETUNE_DOWNLOAD_MAX_MB="lots" is not a positive number/,
    );
    expect(tooLargeRefusal('https://x/m.json', 1048576)).toMatch(/1 MB.*RETUNE_DOWNLOAD_MAX_MB/);
  });
});
