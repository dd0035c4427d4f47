#!/usr/bin/env node
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const entry = join(__dirname, '..', 'dist', 'cjs', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('clipstream: the package is not built; run `npm run build` first\n');
  process.exit(3);
}
require(entry).run(process.argv.slice(2));
