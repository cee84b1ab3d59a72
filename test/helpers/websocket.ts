import WebSocket from 'ws';

/**
 * Opens a WebSocket with these headers and resolves with the handshake's outcome: 101 when it opened
 * (then closed at once), the HTTP status of a refusal, or -1 when the connection failed.
 */
export function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.once('error', () => resolve(-1));
  });
}
