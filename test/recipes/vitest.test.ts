// The Vitest recipe (docs/testing-node.md) runs here exactly as the doc shows it: importing the
// recipe registers its tests in this file. (A computed URL keeps the docs out of the test
// workspace's TypeScript project.)
const recipe = new URL('../../docs/examples/vitest/signup.test.ts', import.meta.url);
await import(recipe.href);
