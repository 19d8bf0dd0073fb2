// ESM mode: got 14 is ESM-only, so jest runs with --experimental-vm-modules (see package.json).
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  // NodeNext imports end in .js; map them back to the .ts sources.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['@swc/jest', {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2023' },
      module: { type: 'es6' },
      sourceMaps: 'inline',
    }],
  },
  testTimeout: 20000,
  // Most suites wait on real sockets, child processes and Chromium, not on the CPU: on this
  // 2-core machine kind three workers overlap that waiting (npm test 3 min 5 s -> 2 min 5 s)
  // where jest's default (cores - 1 = one worker) runs every file in turn.
  maxWorkers: 3,
};
