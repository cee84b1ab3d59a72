// The Vitest recipe (docs/testing-node.md) runs here exactly as the doc shows it: its tests register
// in this file.
import '../../docs/examples/vitest/signup.test';
