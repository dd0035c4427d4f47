#!/usr/bin/env node
'use strict';
let cli;
try {
  cli = require('../dist/cjs/cli/main.js');
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND') {
    process.stderr.write('clipstream: the package is not built; run `npm run build` first\n');
    process.exit(3);
  }
  throw error;
}
cli.run(process.argv.slice(2));
