/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Transpile only: `npm test` type-checks everything with `tsc --noEmit` first.
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }],
  },
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // examples/ import the package by name, as its users do.
    '^clipstream$': '<rootDir>/src/index.ts',
    // The relay server's folder says server; its subpath stays clipstream/relay.
    '^clipstream/relay$': '<rootDir>/src/relayServer/index.ts',
    '^clipstream/(.*)$': '<rootDir>/src/$1/index.ts',
  },
  testTimeout: 30000,
};
