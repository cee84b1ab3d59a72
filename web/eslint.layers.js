/*
 * The web app's import direction, enforced by ESLint's own `no-restricted-imports` (and, for the
 * `import()` of lazy components, `no-restricted-syntax`):
 *
 *   app/         may import features/, components/, lib/
 *   features/X/  may import components/, lib/ and its own files; never app/ nor another feature
 *   components/, lib/   import neither app/ nor features/
 *
 * Features do not import each other: app/ composes them and hands one feature's data or handlers to
 * another as arguments (bulletproof-react's rule), so a feature can be read, moved or deleted alone.
 *
 * The UI imports by relative path, so a rule can only read the specifier, not the file it names.
 * Each block below therefore covers files at one depth, where the number of `../` that reaches
 * `web/src` is known: from `features/X/api/f.ts`, `../` is the feature, `../../` is `features/`
 * and `../../../` is `web/src`.
 */

/** Deepest folder nesting under a feature or a shared folder that the rules cover. */
const MAX_DEPTH = 5;

const up = (n) => '(\\.\\./){' + n + '}';

const ruleMessages = {
  feature:
    'A feature imports only components/, lib/ and its own files. app/ composes features: pass what another feature provides in as an argument.',
  shared: 'components/ and lib/ are shared pieces: they import neither app/ nor features/.',
};

/**
 * Both rules for one set of forbidden specifier patterns (regular expressions). `baseSyntax` are the
 * `no-restricted-syntax` entries every file keeps: a later block replaces a rule's options, it does
 * not merge them.
 */
function forbid(patterns, message, baseSyntax) {
  return {
    'no-restricted-imports': ['error', { patterns: patterns.map((regex) => ({ regex, message })) }],
    'no-restricted-syntax': [
      'error',
      ...baseSyntax,
      ...patterns.map((regex) => ({
        // esquery ends a regular expression at the first `/`, escaped or not: spell it \x2F.
        selector: `ImportExpression[source.value=/${regex.replaceAll('/', '\\x2F')}/]`,
        message,
      })),
    ],
  };
}

/** Files exactly `depth` folders below `root`, e.g. `web/src/lib/*.ts` at depth 0. */
function filesAt(root, depth) {
  return [`${root}/${'*/'.repeat(depth)}*.{ts,tsx}`];
}

/**
 * Flat-config blocks that keep web/src's imports running app -> features -> shared pieces.
 * `baseSyntax`: the `no-restricted-syntax` entries of the rest of the config, kept in these files.
 */
export function webLayers(baseSyntax) {
  const blocks = [];
  for (let depth = 0; depth <= MAX_DEPTH; depth++) {
    // A file of features/X/ at this depth reaches features/ with depth + 1 `../`, web/src with one more.
    blocks.push({
      files: filesAt('web/src/features/*', depth),
      rules: forbid(
        [
          // features/ itself, then anything: another feature (or this one the long way round).
          `^${up(depth + 1)}(?!\\.\\./)`,
          // web/src, then anything but the shared pieces: app/, or out of the web app altogether.
          `^${up(depth + 2)}(?!components/|lib/)`,
        ],
        ruleMessages.feature,
        baseSyntax,
      ),
    });
    // A file of components/ or lib/ at this depth reaches web/src with depth + 1 `../`.
    blocks.push({
      files: [...filesAt('web/src/components', depth), ...filesAt('web/src/lib', depth)],
      rules: forbid([`^${up(depth + 1)}(app|features)(/|$)`, `^${up(depth + 2)}`], ruleMessages.shared, baseSyntax),
    });
  }
  return blocks;
}
