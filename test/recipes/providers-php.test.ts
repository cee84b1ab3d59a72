import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { start } from '../helpers/pigeonhole';
import { has } from '../helpers/tools';

const run = promisify(execFile);

// The PHP SDKs are Composer packages, which cannot be installed here (docs/providers.md says so);
// what runs is plain PHP sending the very request its SDK sends, to the base URL the docs give.
const SCRIPT = `
$base = getenv('PIGEONHOLE_URL');
$body = json_encode(['From' => 'app@example.test', 'To' => 'alice@example.test', 'Subject' => 'PHP Postmark', 'TextBody' => 'hi from PHP']);
$context = stream_context_create(['http' => ['method' => 'POST', 'ignore_errors' => true,
  'header' => "Content-Type: application/json\\r\\nAccept: application/json\\r\\nX-Postmark-Server-Token: php-token\\r\\n",
  'content' => $body]]);
echo file_get_contents($base . '/email', false, $context);
`;

describe.skipIf(!has('php'))('the PHP recipe of docs/providers.md', () => {
  it('a PHP request to Postmark\u2019s /email at the documented base URL is caught', async () => {
    const p = await start({ providerApiKey: 'php-token' });
    const { stdout } = await run('php', ['-r', SCRIPT], { env: { ...process.env, PIGEONHOLE_URL: p.httpUrl } });
    expect(JSON.parse(stdout)).toMatchObject({ ErrorCode: 0, Message: 'OK' });
    const m = await p.client.waitForMessage({ subject: 'PHP Postmark', timeout: 5000 });
    expect(m.Via).toBe('postmark');
  });
});
