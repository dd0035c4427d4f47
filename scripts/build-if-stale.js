#!/usr/bin/env node
'use strict';
// `npm start` and `npm run bench` run the built package: build it only when a
// source file or a build setting is newer than the build, not on every start.
const { execSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const built = [join(root, 'dist', 'cjs', 'index.js'), join(root, 'dist', 'esm', 'index.js')];

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

const inputs = ['src', 'package.json', 'tsconfig.json', 'tsconfig.cjs.json', 'tsconfig.esm.json'].map((name) => join(root, name));
const stale = built.some((file) => !existsSync(file)) || Math.max(...inputs.map(newest)) > Math.min(...built.map((file) => statSync(file).mtimeMs));
if (stale) {
  process.stderr.write('clipstream: building (dist/ is missing or older than src/)…\n');
  execSync('npm run build --silent', { cwd: root, stdio: 'inherit' });
}
