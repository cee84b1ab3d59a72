import { describe, expect, it } from 'vitest';
import { cleanCss, cleanSrcset, mailUrlAllowed } from './mail-urls';

const own = { protocol: 'http:', host: '127.0.0.1:8025' };

describe('mail URLs that may load when Pigeonhole shows a mail', () => {
  it('refuses every way of naming our own origin', () => {
    for (const url of [
      '/api/v1/search?query=a',
      'api/v1/search',
      '?query=a',
      '#top',
      ' /api/v1/messages',
      '//127.0.0.1:8025/api/v1/search',
      '\\\\127.0.0.1:8025/api/v1/search',
      'http://127.0.0.1:8025/api/v1/search',
      'HTTP://127.1:8025/api',
      'http://2130706433:8025/api',
      'http://localhost:8025/api',
      'http://app.localhost:8025/api',
      'http://[::1]:8025/api',
      'http://pigeonhole:8025/api',
      'http://0.0.0.0:8025/api',
      'java\tscript:alert(1)',
      'ftp://example.com/x',
      'cid:logo',
      '',
    ]) {
      expect(mailUrlAllowed(url, own, 'resource'), url).toBe(false);
    }
  });

  it('keeps remote URLs, other local ports, data: and blob:, and mailto: for links', () => {
    for (const url of [
      'https://cdn.example.com/logo.png',
      '//cdn.example.com/logo.png',
      'http://localhost:3000/logo.png',
      'http://mail.example.com:8025/x.png',
      'data:image/png;base64,AAAA',
      'blob:http://127.0.0.1:8025/1234',
    ]) {
      expect(mailUrlAllowed(url, own, 'resource'), url).toBe(true);
    }
    expect(mailUrlAllowed('mailto:a@example.test', own, 'link')).toBe(true);
    expect(mailUrlAllowed('mailto:a@example.test', own, 'resource')).toBe(false);
  });

  it('cleans srcset and CSS, escapes included', () => {
    expect(cleanSrcset('/api/a.png 1x, https://cdn.example.com/b.png 2x', own)).toBe(
      'https://cdn.example.com/b.png 2x',
    );
    const css = cleanCss(
      `@import "/api/v1/search?query=a"; @import url(https://fonts.example.com/f.css);
       .a { background: url(/api/v1/search?query=b) } .b { background: \\75 rl('/api/v1/search') }
       .c { background-image: image-set("/api/x.png" 1x) } .d { background: url("https://cdn.example.com/ok.png") }`,
      own,
    );
    expect(css).not.toMatch(/\/api\//);
    expect(css).toContain('https://fonts.example.com/f.css');
    expect(css).toContain('url("https://cdn.example.com/ok.png")');
    expect(cleanCss('.x{background:url(cid:logo)}', own, () => 'data:image/png;base64,AA')).toContain(
      'url("data:image/png;base64,AA")',
    );
  });
});
