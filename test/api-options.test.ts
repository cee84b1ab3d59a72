import { describe, expect, it } from 'vitest';
import { start } from './helpers/pigeonhole';

const preflight = (origin: string) => ({
  method: 'OPTIONS',
  headers: { origin, 'access-control-request-method': 'DELETE', 'access-control-request-headers': 'content-type' },
});

describe('OPTIONS on API routes', () => {
  it("answers 204 with the route's methods in Allow, and 404 for a path that is no route", async () => {
    const p = await start();
    const messages = await fetch(`${p.httpUrl}/api/v1/messages`, { method: 'OPTIONS' });
    expect(messages.status).toBe(204);
    expect(messages.headers.get('allow')?.split(', ').sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PUT']);
    const part = await fetch(`${p.httpUrl}/api/v1/message/abc/part/1.2/thumb`, { method: 'OPTIONS' });
    expect(part.status).toBe(204);
    expect(part.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect((await fetch(`${p.httpUrl}/api/v1/no-such-route`, { method: 'OPTIONS' })).status).toBe(404);
  });

  it('keeps the CORS rules: an --api-cors origin gets the allow headers, an unlisted one none', async () => {
    const p = await start({ apiCors: 'https://app.test' });
    const listed = await fetch(`${p.httpUrl}/api/v1/messages`, preflight('https://app.test'));
    expect(listed.status).toBe(204);
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://app.test');
    expect(listed.headers.get('access-control-allow-methods')).toMatch(/DELETE/);
    const unlisted = await fetch(`${p.httpUrl}/api/v1/messages`, preflight('https://evil.test'));
    expect(unlisted.status).toBe(204);
    for (const header of [
      'access-control-allow-origin',
      'access-control-allow-methods',
      'access-control-allow-headers',
    ]) {
      expect(unlisted.headers.get(header), header).toBeNull();
    }
    // Without --api-cors no origin is given them.
    const closed = await start();
    const none = await fetch(`${closed.httpUrl}/api/v1/messages`, preflight('https://app.test'));
    expect(none.headers.get('access-control-allow-origin')).toBeNull();
  });
});
