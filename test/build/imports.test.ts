import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

// The import arrows of src/: no cycle between files or folders beyond the
// ones still to untangle (issue 14), listed here so a new one fails the run.
// Run alone: npx jest test/build/imports.test.ts
const src = join(__dirname, '..', '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Each source file's relative imports and re-exports, type-only ones included (they circle too). */
function importGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of files(src)) {
    const targets = new Set<string>();
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) {
      let target = normalize(join(dirname(file), spec!)).replace(/\.js$/, '.ts');
      if (!existsSync(target) && existsSync(target.replace(/\.ts$/, ''))) target = join(target.replace(/\.ts$/, ''), 'index.ts');
      targets.add(relative(src, target));
    }
    graph.set(relative(src, file), targets);
  }
  return graph;
}

/** The strongly connected components of more than one node (Tarjan), each sorted, sorted. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!graph.has(to)) continue;
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    for (let member = stack.pop()!; ; member = stack.pop()!) {
      onStack.delete(member);
      component.push(member);
      if (member === node) break;
    }
    if (component.length > 1) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/**
 * The floors of src/, top first: a file imports only from its own folder or
 * a floor below it. One line per floor; folders on one line import none of
 * each other. CONTRIBUTING.md says what each one is for.
 */
const floors = [
  ['index.ts'],
  ['cli'],
  ['react', 'relayServer', 'redis', 'testing'],
  ['simulator'],
  ['client'],
  ['operators', 'providers'],
  ['engine'],
  ['watch'],
  ['polling', 'store'],
  ['transport', 'codecs'],
  ['status'],
  ['internal'],
  ['errors'],
];
/** A file's floor: its top folder (engine/http is engine; simulator/apis is simulator). */
const floorOf = (file: string) => {
  const top = file.includes('/') ? file.split('/')[0]! : file;
  const floor = floors.findIndex((names) => names.includes(top));
  if (floor < 0) throw new Error(`${file}: its folder is on no floor of test/build/imports.test.ts`);
  return floor;
};

describe('import arrows in src/', () => {
  const graph = importGraph();

  it('have no file cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('have no folder cycle, subfolders included', () => {
    const folders = new Map<string, Set<string>>();
    for (const [file, targets] of graph) {
      const from = dirname(file);
      for (const target of targets) if (dirname(target) !== from) (folders.get(from) ?? folders.set(from, new Set()).get(from)!).add(dirname(target));
      folders.set(from, folders.get(from) ?? new Set());
    }
    expect(cycles(folders)).toEqual([]);
  });

  it('run down the floors: no file imports a folder above its own, or beside it', () => {
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      for (const target of targets) {
        const [from, to] = [file.split('/')[0], target.split('/')[0]];
        if (from !== to && floorOf(target) <= floorOf(file)) upward.push(`${file} -> ${target}`);
      }
    }
    expect(upward).toEqual([]);
  });
});
