import { describe, expect, it } from 'vitest';
import { checkListUnsubscribe } from './unsubscribe';

describe('List-Unsubscribe check (RFC 2369, RFC 8058, as Mailpit checks it)', () => {
  it.each([
    [
      '<mailto:u@example.test>, <https://example.test/u?id=1>',
      '',
      ['mailto:u@example.test', 'https://example.test/u?id=1'],
      [],
    ],
    [
      '<mailto:u@example.test> (comment), <http://example.test/u>',
      '',
      ['mailto:u@example.test', 'http://example.test/u'],
      [],
    ],
    ['<https://example.test/u>', 'List-Unsubscribe=One-Click', ['https://example.test/u'], []],
    ['', '', [], []],
  ])('accepts %j (Post %j)', (header, post, links, errors) => {
    expect(checkListUnsubscribe(header, post)).toEqual({ links, errors });
  });

  it.each([
    ['mailto:u@example.test', '', '"mailto:u@example.test" no valid unsubscribe links found'],
    ['x <mailto:u@example.test>', '', '"x <mailto:u@example.test>" should be enclosed in <>'],
    ['<mailto:a@example.test> <https://example.test/u>', '', 'should be split with a comma and optional spaces'],
    ['<mailto:a@x.test>, <mailto:b@x.test>', '', '"mailto:b@x.test" should only contain one mailto:'],
    ['<https://a.test/>, <https://b.test/>', '', '"https://b.test/" should only contain one HTTP link'],
    ['<ftp://example.test/u>', '', '"ftp://example.test/u" should start with either http(s):// or mailto:'],
    ['<https://example.test/a b>', '', '"https://example.test/a b" should not contain spaces'],
    ['<a@x.test>, <b@x.test>, <c@x.test>', '', 'should include a maximum of one email and one HTTP link'],
    [
      '<https://example.test/u>',
      'One-Click',
      'List-Unsubscribe-Post should be "List-Unsubscribe=One-Click", not "One-Click"',
    ],
    ['<mailto:u@example.test>, <http://example.test/u>', 'List-Unsubscribe=One-Click', 'needs an https:// link'],
    ['', 'List-Unsubscribe=One-Click', 'List-Unsubscribe-Post is set but List-Unsubscribe is missing'],
  ])('finds the problem in %j (Post %j)', (header, post, error) => {
    const { errors } = checkListUnsubscribe(header, post);
    expect(errors.join('\n')).toContain(error);
  });
});
