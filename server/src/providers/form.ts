import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { secretField } from './transcript';
import { ProviderFailure } from './types';

/** One uploaded file of a form. */
export interface FormFile {
  field: string;
  filename: string;
  contentType: string;
  content: Buffer;
}

/** A form's fields (each name may repeat) and files, in order. */
export interface Form {
  fields: Array<[string, string]>;
  files: FormFile[];
}

/** Every value a field was given. */
export function all(form: Form, name: string): string[] {
  return form.fields.filter(([n]) => n === name).map(([, v]) => v);
}

/** The first value of a field. */
export function one(form: Form, name: string): string | undefined {
  return form.fields.find(([n]) => n === name)?.[1];
}

/**
 * Adds the form body parsers to an (encapsulated) provider plugin: `multipart/form-data` through
 * @fastify/multipart (busboy), bounded in files, fields and sizes, and
 * `application/x-www-form-urlencoded` as a string read by URLSearchParams.
 */
export async function registerFormParsers(app: FastifyInstance, maxFileSize: number): Promise<void> {
  await app.register(multipart, {
    limits: { fileSize: maxFileSize, files: 100, fields: 1000, fieldSize: maxFileSize, parts: 1100, headerPairs: 200 },
    throwFileSizeLimit: true,
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, new URLSearchParams(String(body)));
  });
}

/** Reads a form body, multipart or URL-encoded; a malformed or too large one is the provider's error. */
export async function readForm(req: FastifyRequest): Promise<Form> {
  const form: Form = { fields: [], files: [] };
  if (req.body instanceof URLSearchParams) {
    for (const [name, value] of req.body) form.fields.push([name, value]);
    return form;
  }
  if (!req.isMultipart()) throw new ProviderFailure('bad-form', 'The body must be multipart/form-data or URL-encoded');
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        form.files.push({
          field: part.fieldname,
          filename: part.filename,
          contentType: part.mimetype,
          content: await part.toBuffer(),
        });
      } else {
        form.fields.push([part.fieldname, String(part.value)]);
      }
    }
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (/LIMIT|TOO_LARGE|FILE_TOO_LARGE/.test(code)) throw new ProviderFailure('too-large', 'The request is too large');
    throw new ProviderFailure('bad-form', `Malformed form body: ${(err as Error).message}`);
  }
  return form;
}

/** A form as transcript fields: values shown (credentials masked), file contents elided. */
export function formFields(form: Form): Array<[string, string]> {
  return [
    ...form.fields.map(([name, value]): [string, string] => [
      name,
      secretField(name) ? '********' : JSON.stringify(value),
    ]),
    ...form.files.map((f): [string, string] => [
      f.field,
      `file "${f.filename}" (${f.contentType}, ${f.content.length} bytes, content elided)`,
    ]),
  ];
}
