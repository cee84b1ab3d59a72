// Writes dist/openapi.json, the OpenAPI document the server serves at /api/v1/openapi.json and
// /api/v1/swagger.json. Run by `npm run build` after the bundle: it loads the TypeScript source
// through Vite's module runner (the same transform as the build, no compile step of its own), builds
// the app under @fastify/swagger without listening (src/openapi-document.ts) and writes what swagger
// saw. The bundle never imports swagger, so the package does not depend on it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const source = fileURLToPath(new URL('../src/openapi-document.ts', import.meta.url));
const out = new URL('../dist/openapi.json', import.meta.url);

const { module } = await runnerImport(source, {
  logLevel: 'warn',
  // `@pigeonhole/shared` is TypeScript source, so it goes through the transform too; npm
  // dependencies are loaded by Node as they are at run time.
  environments: { inline: { resolve: { noExternal: ['@pigeonhole/shared'] } } },
});
const document = await module.openapiDocument();
mkdirSync(new URL('.', out), { recursive: true });
writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
console.log(`${fileURLToPath(out)}: ${Object.keys(document.paths).length} paths`);
