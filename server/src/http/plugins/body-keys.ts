import fp from 'fastify-plugin';

interface SchemaNode {
  type?: unknown;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Renames the keys of `value` to the spelling the schema uses when they differ only in case, at
 * every level. Keys the schema does not know are left alone.
 */
export function matchKeyCase(value: unknown, schema: SchemaNode | undefined): unknown {
  if (!schema) return value;
  if (Array.isArray(value)) return schema.items ? value.map((v) => matchKeyCase(v, schema.items)) : value;
  if (!isRecord(value) || !schema.properties) return value;
  const byLower = new Map(Object.keys(schema.properties).map((k) => [k.toLowerCase(), k]));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const name = schema.properties[key] ? key : (byLower.get(key.toLowerCase()) ?? key);
    // An exact key wins over a case variant of it.
    if (name !== key && Object.hasOwn(value, name)) continue;
    out[name] = matchKeyCase(item, schema.properties[name]);
  }
  return out;
}

/**
 * Mailpit decodes JSON bodies with Go's `encoding/json`, which matches keys case-insensitively, and
 * its clients rely on it (`ids` for `IDs`, `Filename` vs `FileName`). Before validation, body keys are
 * matched to the route's schema the same way.
 */
export const bodyKeyCasePlugin = fp(
  async (app) => {
    app.addHook('preValidation', async (req) => {
      const schema = req.routeOptions.schema?.body as SchemaNode | undefined;
      if (schema && isRecord(req.body)) req.body = matchKeyCase(req.body, schema);
    });
  },
  { name: 'pigeonhole-body-key-case' },
);
