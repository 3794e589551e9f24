import { describe, expect, it } from 'vitest';
import { startedServerUrl } from './start-url.js';

describe('startedServerUrl (npm start points the extension at its server)', () => {
  it('is the default address without flags', () => {
    expect(startedServerUrl([], {})).toBe('http://127.0.0.1:8787');
  });
  it('follows --host/--port, then LANTERN_HOST/LANTERN_PORT', () => {
    expect(startedServerUrl(['--port', '9000'], { LANTERN_PORT: '7000' })).toBe('http://127.0.0.1:9000');
    expect(startedServerUrl([], { LANTERN_HOST: 'localhost', LANTERN_PORT: '7000' })).toBe('http://localhost:7000');
    expect(startedServerUrl(['--host=0.0.0.0', '--database', 'x.sqlite'], {})).toBe('http://127.0.0.1:8787');
    expect(startedServerUrl(['--host', '::1'], {})).toBe('http://[::1]:8787');
  });
  it('is none when the extension could not use it: a random port, or plain http off this machine', () => {
    expect(startedServerUrl(['--port', '0'], {})).toBeNull();
    expect(startedServerUrl([], { LANTERN_HOST: '192.168.1.5' })).toBeNull();
    expect(startedServerUrl(['--port', 'abc'], {})).toBeNull();
  });
});
