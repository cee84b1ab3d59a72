import { describe, expect, it } from 'vitest';
import { parseTagRules, TagRulesError } from './rules';

/** The error message `text` gets, or a failure when it parses. */
function errorOf(text: string): string {
  try {
    parseTagRules(text, 'tags.yml');
  } catch (err) {
    expect(err).toBeInstanceOf(TagRulesError);
    return (err as Error).message;
  }
  throw new Error('expected the file to be refused');
}

describe("tag rules in Mailpit's format", () => {
  it('reads filters of match and comma-separated tags, and a YAML list of tags too', () => {
    const rules = parseTagRules(
      [
        '# Mailpit tags configuration',
        'filters:',
        '  - match: from:billing@example.com',
        '    tags: "invoices, money"',
        '  - match: subject:"password reset"',
        '    tags: [auth, security]',
        '',
      ].join('\n'),
      'tags.yml',
    );
    expect(rules.map(({ match, tags, line }) => ({ match, tags, line }))).toEqual([
      { match: 'from:billing@example.com', tags: ['invoices', 'money'], line: 3 },
      { match: 'subject:"password reset"', tags: ['auth', 'security'], line: 5 },
    ]);
  });

  it('names the line of a YAML syntax error', () => {
    expect(errorOf('filters:\n  - match: to:a@example.com\n    tags: [x\n')).toMatch(
      /^--tags-config tags\.yml, line \d: not valid YAML/,
    );
  });

  it('refuses a file without filters, as Mailpit does', () => {
    expect(errorOf('tags:\n  - a\n')).toBe('--tags-config tags.yml, line 1: missing "filters:" list');
  });

  it('names the line of a rule without tags, without match, or with an unknown key', () => {
    expect(errorOf('filters:\n  - match: to:a@example.com\n    tags: a\n  - match: to:b@example.com\n')).toBe(
      '--tags-config tags.yml, line 4: "tags:" must name at least one tag (comma separated)',
    );
    expect(errorOf('filters:\n  - tags: a\n')).toMatch(/^--tags-config tags\.yml, line 2: "match:" must be/);
    expect(errorOf('filters:\n  - match: to:a@example.com\n    tag: a\n')).toMatch(/line 3: unknown key "tag"/);
  });

  it('names the line of a query the search cannot run', () => {
    expect(
      errorOf('filters:\n  - match: to:a@example.com\n    tags: a\n\n  - match: larger:lots\n    tags: b\n'),
    ).toMatch(/^--tags-config tags\.yml, line 5: "match: larger:lots" is not a search query/);
  });
});
