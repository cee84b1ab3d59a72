import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';

/**
 * Request validation with TypeBox's compiler: querystrings, params and headers are converted first
 * (`?limit=50` becomes a number), bodies are checked as sent. The same as
 * @fastify/type-provider-typebox's `TypeBoxValidatorCompiler`, whose module also imports ajv-formats
 * and with it ajv (67 files) only to offer a format registration that Pigeonhole does not use; its
 * types are still what the routes are written with.
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const validator = Compile(schema);
  return (value: unknown) => {
    const converted = httpPart === 'body' ? value : Value.Convert(schema, value);
    if (validator.Check(converted)) return { value: converted };
    return { error: validator.Errors(converted) as unknown as Error };
  };
};
