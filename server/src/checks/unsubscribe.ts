// `List-Unsubscribe` (RFC 2369) and `List-Unsubscribe-Post` (RFC 8058) checked as Mailpit checks
// them (`ListUnsubscribeParser` in its tools): links in angle brackets, comma-separated, at most one
// mailto: and one http(s) link, no spaces; and for one-click unsubscribe, the exact
// `List-Unsubscribe=One-Click` with an https link to POST it to.

/** The outcome: the links found, and every problem in one sentence each. */
export interface UnsubscribeCheck {
  links: string[];
  errors: string[];
}

const MAILTO = /^mailto:[a-zA-Z0-9]/;
const HTTP = /^https?:\/\/[a-zA-Z0-9]/i;

/** Whether a link parses as an absolute URI (Go's `url.ParseRequestURI`, which Mailpit uses). */
function parsesAsUri(link: string): boolean {
  try {
    return new URL(link).protocol.length > 1;
  } catch {
    return false;
  }
}

/** The `List-Unsubscribe` header's links and problems (empty header: nothing to say). */
function checkHeader(value: string): UnsubscribeCheck {
  const links: string[] = [];
  const errors: string[] = [];
  // RFC 2369 allows comments in parentheses; they say nothing about the links.
  const v = value.replace(/\([^)]*\)/g, '').trim();
  const matches = [...v.matchAll(/<([^>]*)>/g)];
  if (matches.length === 0) return { links, errors: [`"${v}" no valid unsubscribe links found`] };
  if (!/^<.*>$/s.test(v)) return { links, errors: [`"${v}" should be enclosed in <>`] };
  if (matches.length > 2) return { links, errors: [`"${v}" should include a maximum of one email and one HTTP link`] };
  for (const between of v.matchAll(/>(.*?)</gs)) {
    if (!/^\s*,\s*$/.test(between[1]!))
      return { links, errors: [`"${v}" <> should be split with a comma and optional spaces`] };
  }
  let mailto = false;
  let http = false;
  for (const match of matches) {
    const link = match[1]!;
    if (/\s/.test(link)) {
      errors.push(`"${link}" should not contain spaces`);
      continue;
    }
    if (MAILTO.test(link)) {
      if (mailto) {
        errors.push(`"${link}" should only contain one mailto:`);
        continue;
      }
      mailto = true;
    } else if (HTTP.test(link)) {
      if (http) {
        errors.push(`"${link}" should only contain one HTTP link`);
        continue;
      }
      http = true;
    } else {
      errors.push(`"${link}" should start with either http(s):// or mailto:`);
      continue;
    }
    if (!parsesAsUri(link)) {
      errors.push(`"${link}" is not a valid URI`);
      continue;
    }
    links.push(link);
  }
  return { links, errors };
}

/**
 * Checks a message's `List-Unsubscribe` and `List-Unsubscribe-Post` values ('' when absent). The
 * Post header is RFC 8058's one-click unsubscribe: its value must be exactly
 * `List-Unsubscribe=One-Click`, and `List-Unsubscribe` must then hold an https URI to POST to.
 */
export function checkListUnsubscribe(header: string, post: string): UnsubscribeCheck {
  const result = header.trim() ? checkHeader(header) : { links: [], errors: [] };
  const postValue = post.trim();
  if (postValue) {
    if (!header.trim()) result.errors.push('List-Unsubscribe-Post is set but List-Unsubscribe is missing');
    else if (postValue !== 'List-Unsubscribe=One-Click') {
      result.errors.push(`List-Unsubscribe-Post should be "List-Unsubscribe=One-Click", not "${postValue}"`);
    }
    if (header.trim() && !result.links.some((l) => /^https:\/\//i.test(l))) {
      result.errors.push('List-Unsubscribe-Post needs an https:// link in List-Unsubscribe to POST to (RFC 8058)');
    }
  }
  return result;
}
