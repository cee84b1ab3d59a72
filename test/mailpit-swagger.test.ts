// Every operation of Mailpit's own swagger.json (v1.30.5), answered by Pigeonhole: status, content
// type and JSON schema; and our generated OpenAPI document agreeing with it on every shared route.
// The swagger file is Mailpit's, not ours: it is read from ../shared/mailpit/swagger.json when
// present (not committed here), and the tests skip, saying so, when it is absent.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openapiDocument } from '../server/src/openapi-document';
import { sendThroughApi, start } from './helpers/pigeonhole';
import { startSpamd, type Daemon } from './helpers/spam-daemons';
import { has } from './helpers/tools';

const SWAGGER = fileURLToPath(new URL('../../shared/mailpit/swagger.json', import.meta.url));
const present = existsSync(SWAGGER);
if (!present)
  console.warn(`skipping the Mailpit swagger conformance tests: ${SWAGGER} is absent (Mailpit v1.30.5's swagger.json)`);

type Schema = Record<string, unknown>;
interface Operation {
  operationId: string;
  produces?: string[];
  responses: Record<string, { $ref?: string; schema?: Schema }>;
}
interface Swagger {
  paths: Record<string, Record<string, Operation>>;
  definitions: Record<string, Schema>;
  responses: Record<string, { schema?: Schema }>;
}

/** Swagger 2.0 schema objects as JSON Schema for ajv: vendor keys out, `#/definitions` kept. */
function adapt(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(adapt);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !key.startsWith('x-') && key !== 'example')
        .map(([key, v]) => [key, adapt(v)]),
    );
  }
  return value;
}

const swagger: Swagger = present
  ? (JSON.parse(readFileSync(SWAGGER, 'utf8')) as Swagger)
  : { paths: {}, definitions: {}, responses: {} };
// Go's int64 and float formats say nothing JSON Schema checks; unknown formats are not validated.
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ $id: 'mailpit', definitions: adapt(swagger.definitions) as Schema });

/** The schema of one response of an operation, with `#/responses/X` followed, or null. */
function responseSchema(op: Operation, status: string): Schema | null {
  const response = op.responses[status];
  if (!response) return null;
  const resolved = response.$ref ? swagger.responses[response.$ref.split('/').pop()!] : response;
  return (resolved?.schema as Schema | undefined) ?? null;
}

/** A validator of a Mailpit schema, its `$ref`s resolved against Mailpit's definitions. */
function validator(schema: Schema) {
  const text = JSON.stringify(adapt(schema)).replace(/"#\/definitions\//g, '"mailpit#/definitions/');
  return ajv.compile(JSON.parse(text) as Schema);
}

/** What one call answered. */
interface Answer {
  status: number;
  type: string;
  body: Buffer;
}

/** The content types an operation may answer; `application/*` style entries match any subtype. */
function typeMatches(produces: string[], type: string): boolean {
  const bare = type.split(';')[0]!.trim().toLowerCase();
  return produces.some((p) => (p.endsWith('/*') ? bare.startsWith(p.slice(0, -1)) : bare === p));
}

/**
 * Where Mailpit's document and Mailpit itself disagree, Pigeonhole answers as Mailpit does:
 * `DELETE /api/v1/search` is documented `application/json` but answers the text `ok` (OKResponse,
 * a string) as every other deletion does.
 */
const AS_MAILPIT_ANSWERS: Record<string, string[]> = { DeleteSearchParams: ['text/plain'] };

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

// Registered only where the file is: a skipped test fails a CI run, and these are not ours to skip.
if (present) {
  describe("Mailpit v1.30.5's swagger.json, operation by operation", () => {
    let spamd: Daemon | null = null;
    beforeAll(async () => {
      if (has('spamd')) spamd = await startSpamd();
    }, 90_000);
    afterAll(async () => spamd?.stop());

    it('every one of its 25 operations answers with a listed status, its content type and its schema', async () => {
      const relay = await start();
      const p = await start({
        enableChaos: true,
        smtpRelayHost: '127.0.0.1',
        smtpRelayPort: relay.smtpPort,
        ...(spamd ? { spamassassin: `127.0.0.1:${spamd.port}` } : {}),
      });
      const call = async (method: string, path: string, body?: unknown): Promise<Answer> => {
        const res = await fetch(`${p.httpUrl}${path}`, {
          method,
          ...(body === undefined
            ? {}
            : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
        });
        return {
          status: res.status,
          type: res.headers.get('content-type') ?? '',
          body: Buffer.from(await res.arrayBuffer()),
        };
      };
      const sent = await call('POST', '/api/v1/send', {
        From: { Email: 'alice@example.test', Name: 'Alice' },
        To: [{ Email: 'bob@example.test' }],
        Subject: 'Conformance',
        Text: 'Hello https://example.invalid/',
        HTML: '<p style="display:flex">Hello <a href="http://10.0.0.1/">x</a></p>',
        Tags: ['one'],
        Headers: { 'List-Unsubscribe': '<mailto:u@example.test>, <https://example.test/u>' },
        Attachments: [
          {
            Filename: 'files.zip',
            ContentType: 'application/zip',
            Content: Buffer.from('PK\u0005\u0006' + '\0'.repeat(18)).toString('base64'),
          },
          { Filename: 'dot.png', ContentType: 'image/png', Content: PNG.toString('base64') },
        ],
      });
      const id = (JSON.parse(sent.body.toString()) as { ID: string }).ID;
      const other = (
        JSON.parse(
          (
            await call('POST', '/api/v1/send', {
              From: { Email: 'a@example.test' },
              To: [{ Email: 'b@example.test' }],
              Subject: 'x',
              Text: 'x',
            })
          ).body.toString(),
        ) as { ID: string }
      ).ID;
      const message = JSON.parse((await call('GET', `/api/v1/message/${id}`)).body.toString()) as {
        Attachments: { PartID: string; ContentType: string; FileName: string }[];
      };
      const zip = message.Attachments.find((a) => a.FileName === 'files.zip')!;
      const png = message.Attachments.find((a) => a.FileName === 'dot.png')!;
      expect(zip.ContentType).toBe('application/zip');

      // Each operation, by operationId: the call, and the status it must answer.
      const calls: Record<string, [() => Promise<Answer>, number]> = {
        getChaos: [() => call('GET', '/api/v1/chaos'), 200],
        setChaosParams: [() => call('PUT', '/api/v1/chaos', {}), 200],
        AppInformation: [() => call('GET', '/api/v1/info'), 200],
        GetMessageParams: [() => call('GET', `/api/v1/message/${id}`), 200],
        GetHeadersParams: [() => call('GET', `/api/v1/message/${id}/headers`), 200],
        HTMLCheckParams: [() => call('GET', `/api/v1/message/${id}/html-check`), 200],
        LinkCheckParams: [() => call('GET', `/api/v1/message/${id}/link-check?follow=true`), 200],
        AttachmentParams: [() => call('GET', `/api/v1/message/${id}/part/${zip.PartID}`), 200],
        ThumbnailParams: [() => call('GET', `/api/v1/message/${id}/part/${png.PartID}/thumb`), 200],
        DownloadRawParams: [() => call('GET', `/api/v1/message/${id}/raw`), 200],
        ReleaseMessageParams: [
          () => call('POST', `/api/v1/message/${id}/release`, { To: ['carol@example.test'] }),
          200,
        ],
        SpamAssassinCheckParams: [() => call('GET', `/api/v1/message/${id}/sa-check`), spamd ? 200 : 400],
        GetMessagesParams: [() => call('GET', '/api/v1/messages?limit=10'), 200],
        SetReadStatusParams: [() => call('PUT', '/api/v1/messages', { IDs: [id], Read: true }), 200],
        SearchParams: [() => call('GET', '/api/v1/search?query=subject:Conformance'), 200],
        GetAllTags: [() => call('GET', '/api/v1/tags'), 200],
        SetTagsParams: [() => call('PUT', '/api/v1/tags', { IDs: [id], Tags: ['one', 'two'] }), 200],
        RenameTagParams: [() => call('PUT', '/api/v1/tags/two', { Name: 'three' }), 200],
        DeleteTagParams: [() => call('DELETE', '/api/v1/tags/three'), 200],
        WebUIConfigurationResponse: [() => call('GET', '/api/v1/webui'), 200],
        GetMessageHTMLParams: [() => call('GET', `/view/${id}.html?embed=1`), 200],
        GetMessageTextParams: [() => call('GET', `/view/${id}.txt`), 200],
        SendMessageParams: [
          () =>
            call('POST', '/api/v1/send', {
              From: { Email: 'x@example.test' },
              To: [{ Email: 'y@example.test' }],
              Subject: 's',
            }),
          200,
        ],
        DeleteSearchParams: [() => call('DELETE', '/api/v1/search?query=subject:nothing-matches-this'), 200],
        DeleteMessagesParams: [() => call('DELETE', '/api/v1/messages', { IDs: [other] }), 200],
      };
      const operations = Object.entries(swagger.paths).flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, op]) => ({ path, method, op })),
      );
      expect(operations).toHaveLength(25);
      expect(Object.keys(calls).sort()).toEqual(operations.map((o) => o.op.operationId).sort());
      const problems: string[] = [];
      // In the table's order, so that deletions come last.
      for (const [operationId, [make, want]] of Object.entries(calls)) {
        const { op, method, path } = operations.find((o) => o.op.operationId === operationId)!;
        const answer = await make();
        const where = `${method.toUpperCase()} ${path} (${operationId})`;
        if (answer.status !== want || !op.responses[String(answer.status)]) {
          problems.push(`${where}: ${answer.status}, wanted ${want}: ${answer.body.toString().slice(0, 200)}`);
          continue;
        }
        const produces = AS_MAILPIT_ANSWERS[operationId] ?? op.produces ?? ['application/json'];
        if (!typeMatches(produces, answer.type))
          problems.push(`${where}: content type ${answer.type}, not ${produces.join(' | ')}`);
        // BinaryResponse "inherits the attachment's content type": the one the message JSON lists.
        if (operationId === 'AttachmentParams' && answer.type.split(';')[0] !== zip.ContentType) {
          problems.push(`${where}: content type ${answer.type}, not the listed ${zip.ContentType}`);
        }
        const schema = responseSchema(op, String(answer.status));
        if (schema && answer.type.startsWith('application/json')) {
          const validate = validator(schema);
          if (!validate(JSON.parse(answer.body.toString())))
            problems.push(`${where}: ${ajv.errorsText(validate.errors)}`);
        }
        if (schema?.type === 'string' && answer.type.startsWith('text/plain') && responseSchema(op, '200') === schema) {
          // OKResponse: the text `ok`.
          if (op.responses['200']?.$ref === '#/responses/OKResponse' && answer.body.toString() !== 'ok') {
            problems.push(`${where}: answered "${answer.body.toString().slice(0, 50)}", not "ok"`);
          }
        }
      }
      expect(problems).toEqual([]);
    }, 60_000);

    it('its listed error answers: a thumbnail of an unknown part is 400, a bad send is JSON {"Error"}', async () => {
      const p = await start();
      const id = await sendThroughApi(p.httpUrl, { Text: 'x' });
      const thumb = await fetch(`${p.httpUrl}/api/v1/message/${id}/part/9.9/thumb`);
      expect(thumb.status).toBe(400);
      const part = await fetch(`${p.httpUrl}/api/v1/message/${id}/part/9.9`);
      expect(part.status).toBe(404);
      const validate = validator(swagger.responses.JSONErrorResponse!.schema!);
      for (const body of [
        '{"From": "not an object"}',
        '{not json',
        JSON.stringify({ To: [{ Email: 'b@example.test' }] }),
      ]) {
        const res = await fetch(`${p.httpUrl}/api/v1/send`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        expect(res.status, body).toBe(400);
        expect(res.headers.get('content-type'), body).toMatch(/^application\/json/);
        const json = (await res.json()) as { Error?: string };
        expect(validate(json), body).toBe(true);
        expect(json.Error, body).toMatch(/\w/);
      }
    });

    it('the embedded HTML view opens links in a new tab without referrer or opener', async () => {
      const p = await start();
      const id = await sendThroughApi(p.httpUrl, {
        HTML: '<a href="https://example.test/" target="_self" rel="opener">x</a>',
      });
      const html = await (await fetch(`${p.httpUrl}/view/${id}.html?embed=1`)).text();
      const anchor = /<a [^>]*>/.exec(html)![0];
      expect(anchor).toMatch(/target="_blank"/);
      const rel = /rel="([^"]*)"/.exec(anchor)![1]!.split(/\s+/).sort();
      expect(rel).toEqual(['noopener', 'noreferrer']);
    });

    it('our generated OpenAPI document has each of its operations, with the properties its schemas list', async () => {
      const ours = (await openapiDocument()) as {
        paths: Record<
          string,
          Record<string, { responses: Record<string, { content?: Record<string, { schema?: Schema }> }> }>
        >;
      };
      // Our parameters are spelled {id}, {partId}, {tag}: compared case-insensitively.
      const byPath = new Map(Object.entries(ours.paths).map(([path, ops]) => [path.toLowerCase(), ops]));
      const problems: string[] = [];
      for (const [path, methods] of Object.entries(swagger.paths)) {
        for (const [method, op] of Object.entries(methods)) {
          const mine = byPath.get(path.toLowerCase())?.[method];
          if (!mine) {
            problems.push(`${method.toUpperCase()} ${path}: not in our document`);
            continue;
          }
          const theirs = responseSchema(op, '200');
          const ref = (theirs?.$ref as string | undefined)?.split('/').pop();
          const definition = ref ? swagger.definitions[ref] : theirs;
          const wanted = Object.keys((definition?.properties as Schema | undefined) ?? {});
          if (wanted.length === 0) continue;
          const schema = mine.responses['200']?.content?.['application/json']?.schema as
            { properties?: Schema } | undefined;
          const have = new Set(Object.keys(schema?.properties ?? {}));
          const missing = wanted.filter((name) => !have.has(name));
          if (missing.length > 0)
            problems.push(`${method.toUpperCase()} ${path}: our 200 schema lacks ${missing.join(', ')}`);
        }
      }
      expect(problems).toEqual([]);
    });
  });
}

if (!present) {
  describe("Mailpit v1.30.5's swagger.json", () => {
    it(`is not checked against: ${SWAGGER} is not there (it sits beside the repository on the team's machines)`, () => {
      expect(present).toBe(false);
    });
  });
}
