import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/*
 * The web app's import direction (app -> features -> components/lib, no feature into another) is
 * enforced by the lint config in web/eslint.layers.js. These lint deliberate violations with the
 * repository's own config, so a rule that stops matching (a depth, an escaped slash) fails here
 * rather than letting the imports drift.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const eslint = new ESLint({ cwd: root });

/** The layer rules' messages for `code` linted as if it were the file `path` under web/src. */
async function layerErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}web/src/${path}` });
  return result!.messages
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message);
}

describe('web/src import layers', () => {
  it('refuses a feature importing another feature, at any depth', async () => {
    expect(
      await layerErrors(
        'features/messages/hooks/use-x.ts',
        "import { useMessage } from '../../message/api/get-message';\nexport const x = useMessage;\n",
      ),
    ).toEqual([expect.stringMatching(/A feature imports only components\/, lib\/ and its own files/)]);
    expect(
      await layerErrors(
        'features/message/components/deep/x.tsx',
        "export { MessageList } from '../../../messages/components/message-list';\n",
      ),
    ).toHaveLength(1);
    expect(
      await layerErrors('features/chaos/x.ts', "export const load = () => import('../events/api/use-live-events');\n"),
    ).toHaveLength(1);
  });

  it('refuses a feature importing app/ or anything outside web/src but components/ and lib/', async () => {
    expect(
      await layerErrors('features/chaos/api/x.ts', "export { useRoute } from '../../../app/use-route';\n"),
    ).toHaveLength(1);
    expect(
      await layerErrors('features/chaos/api/x.ts', "export * from '../../../../../server/src/config';\n"),
    ).toHaveLength(1);
  });

  it('refuses components/ and lib/ importing app/ or features/', async () => {
    expect(
      await layerErrors('lib/x.ts', "export { MessageWindow } from '../features/messages/lib/message-window';\n"),
    ).toEqual([expect.stringMatching(/components\/ and lib\/ are shared pieces/)]);
    expect(await layerErrors('components/x.tsx', "export { Inbox } from '../app/inbox';\n")).toHaveLength(1);
    expect(await layerErrors('components/x.tsx', "export const l = () => import('../app/inbox');\n")).toHaveLength(1);
  });

  it('lets each layer import what it may, and keeps the process.env rule in these files', async () => {
    const featureImports = [
      "import { Dialog } from '../../../components/dialog';",
      "import { client } from '../../../lib/client';",
      "import { MessageWindow } from '../lib/message-window';",
      "import { rowId } from './message-row';",
      "import { PigeonholeClient } from '@pigeonhole/shared/client';",
      'export const all = [Dialog, client, MessageWindow, rowId, PigeonholeClient];',
    ].join('\n');
    expect(await layerErrors('features/messages/components/x.tsx', featureImports)).toEqual([]);
    expect(
      await layerErrors(
        'app/x.tsx',
        "import { Sidebar } from '../features/mailboxes/components/sidebar';\nimport { cx } from '../lib/class-names';\nexport const all = [Sidebar, cx];\n",
      ),
    ).toEqual([]);
    expect(await layerErrors('lib/x.ts', "import { cx } from './class-names';\nexport const all = [cx];\n")).toEqual(
      [],
    );
    expect(await layerErrors('features/chaos/x.ts', 'export const env = process.env;\n')).toEqual([
      expect.stringMatching(/nothing else reads process\.env/),
    ]);
  });
});
