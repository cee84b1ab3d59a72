import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const docs = fileURLToPath(new URL('../../docs/', import.meta.url));
const read = (path: string) => readFileSync(`${docs}${path}`, 'utf8');

/** The recipe files each doc shows; the tests in test/recipes/ (and test/browser/ for Playwright) run these files. */
const embedded: Record<string, string[]> = {
  'testing-node.md': ['vitest/signup.test.ts', 'jest/signup.test.cjs'],
  'playwright.md': ['playwright/signup.spec.ts'],
  'cypress.md': ['cypress/cypress.config.ts', 'cypress/signup.cy.ts'],
  'ci.md': ['github-actions/test.yml', 'github-actions/service.yml', 'docker-compose/compose.yml'],
  'python-php.md': ['python/signup_mail.py', 'php/php.ini', 'php/welcome.php'],
};

describe('docs/', () => {
  it.each(Object.entries(embedded))('%s shows its recipe files exactly as they are tested', (doc, files) => {
    const text = read(doc);
    for (const file of files) {
      // Lint directives for this repository are not part of the recipe.
      const code = read(`examples/${file}`)
        .split('\n')
        .filter((line) => !/^\/\* (global|eslint)/.test(line))
        .join('\n')
        .trim();
      expect(text, `${doc} should contain examples/${file}`).toContain(`\n${code}\n\`\`\``);
    }
  });

  it('links only to files that exist', () => {
    for (const doc of readdirSync(docs).filter((f) => f.endsWith('.md'))) {
      for (const [, target] of read(doc).matchAll(/\]\(([^)#]+?)(?:#[^)]*)?\)/g)) {
        if (/^https?:/.test(target!)) continue;
        expect(existsSync(`${docs}${target}`), `${doc} links to ${target}`).toBe(true);
      }
    }
  });
});
