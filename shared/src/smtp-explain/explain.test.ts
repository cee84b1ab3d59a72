import { describe, expect, it } from 'vitest';
import { explainTranscript, type ExplainInput } from './explain';

const c = (line: string): ExplainInput => ({ direction: 'client', line });
const s = (line: string): ExplainInput => ({ direction: 'server', line });
const terms = (notes: { term: string }[]) => notes.map((n) => n.term);

describe('explainTranscript', () => {
  it('reads an EHLO reply as extensions, with the RFC of each', () => {
    const notes = explainTranscript([
      s('220 pigeonhole ESMTP'),
      c('EHLO client.test'),
      s('250-pigeonhole Nice to meet you, [127.0.0.1]'),
      s('250-PIPELINING'),
      s('250-8BITMIME'),
      s('250-DSN'),
      s('250-AUTH PLAIN LOGIN CRAM-MD5'),
      s('250 SIZE 10485760'),
    ]);
    expect(terms(notes[0]!)).toEqual(['220']);
    expect(notes[1]![0]).toMatchObject({ term: 'EHLO', rfc: 'RFC 5321 §4.1.1.1' });
    expect(notes[1]![0]!.url).toBe('https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.1');
    expect(terms(notes[2]!)).toEqual(['250']);
    expect(notes[3]![0]).toMatchObject({ term: 'PIPELINING', rfc: 'RFC 2920' });
    expect(notes[4]![0]).toMatchObject({ term: '8BITMIME', rfc: 'RFC 6152' });
    expect(notes[5]![0]).toMatchObject({ term: 'DSN', rfc: 'RFC 3461' });
    expect(terms(notes[6]!)).toEqual(['AUTH', 'PLAIN', 'LOGIN', 'CRAM-MD5']);
    expect(notes[7]![0]!.term).toBe('SIZE 10485760');
    expect(notes[7]![0]!.text).toContain('10.0 MiB');
  });

  it('explains MAIL FROM and RCPT TO parameters, pipelined replies and enhanced codes', () => {
    const notes = explainTranscript([
      c('MAIL FROM:<app@example.test> SIZE=1200 BODY=8BITMIME RET=HDRS ENVID=QQ314159'),
      c('RCPT TO:<a@example.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;a@example.test'),
      c('DATA'),
      s('250 2.1.0 Accepted'),
      s('250 2.1.5 Accepted'),
      s('354 End data with <CR><LF>.<CR><LF>'),
      c('[message data: 1200 bytes, elided]'),
      c('.'),
      s('250 2.0.0 Ok: queued as abc'),
      c('QUIT'),
      s('221 2.0.0 Bye'),
    ]);
    expect(terms(notes[0]!)).toEqual(['MAIL FROM', 'SIZE=1200', 'BODY=8BITMIME', 'RET=HDRS', 'ENVID=QQ314159']);
    expect(notes[0]![3]).toMatchObject({ rfc: 'RFC 3461 §4.3' });
    expect(terms(notes[1]!)).toEqual(['RCPT TO', 'NOTIFY=SUCCESS,FAILURE', 'ORCPT=rfc822;a@example.test']);
    expect(terms(notes[3]!)).toEqual(['250', '2.1.0']);
    expect(notes[3]![1]!.text).toContain('addressing');
    expect(notes[4]![1]!.text).toContain('destination address valid');
    expect(notes[5]![0]).toMatchObject({ term: '354' });
    expect(notes[6]).toEqual([]);
    expect(terms(notes[7]!)).toEqual(['.']);
    expect(terms(notes[9]!)).toEqual(['QUIT']);
    expect(terms(notes[10]!)).toEqual(['221', '2.0.0']);
  });

  it('names the AUTH mechanism, keeps the masked secret masked, and knows STARTTLS and RSET', () => {
    const notes = explainTranscript([
      c('AUTH PLAIN /* secured */'),
      s('235 2.7.0 Authentication successful'),
      c('AUTH LOGIN'),
      s('334 VXNlcm5hbWU6'),
      c('/* secured */'),
      s('535 5.7.8 Error: authentication failed'),
      c('STARTTLS'),
      s('220 2.0.0 Ready to start TLS'),
      c('RSET'),
      s('250 2.0.0 Flushed'),
    ]);
    expect(terms(notes[0]!)).toEqual(['AUTH', 'PLAIN']);
    expect(terms(notes[3]!)).toEqual(['334']);
    expect(notes[4]![0]!.text).toContain('masked');
    expect(notes[5]![1]!.text).toContain('authentication credentials invalid');
    expect(notes[6]![0]).toMatchObject({ term: 'STARTTLS', rfc: 'RFC 3207 §4' });
    expect(terms(notes[8]!)).toEqual(['RSET']);
  });

  it('finds nothing in prototype names and unknown words', () => {
    const notes = explainTranscript([c('constructor x'), c('MAIL FROM:<a@b> __proto__=1 toString'), s('299 hm')]);
    expect(notes[0]).toEqual([]);
    expect(terms(notes[1]!)).toEqual(['MAIL FROM']);
    // An unlisted code still gets its class.
    expect(notes[2]![0]!.text).toContain('Positive completion');
  });
});
