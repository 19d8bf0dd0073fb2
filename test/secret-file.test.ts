import { describe, it, expect } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateSessionSecret } from '../src/store/secret-file.js';

describe('loadOrCreateSessionSecret (sandbox mode needs no configuration)', () => {
  it('makes a 64-hex-character secret readable by the owner only, then reuses it', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tvl-secret-')), 'data');
    const first = loadOrCreateSessionSecret(dir);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.statSync(path.join(dir, 'session-secret')).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSessionSecret(dir)).toBe(first);
  });

  it('replaces a file too short to be a secret', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tvl-secret-'));
    fs.writeFileSync(path.join(dir, 'session-secret'), 'short\n');
    expect(loadOrCreateSessionSecret(dir)).toMatch(/^[0-9a-f]{64}$/);
  });
});
