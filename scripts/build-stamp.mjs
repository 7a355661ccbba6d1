// The stamp that lets `npm test` skip an unneeded build (`node scripts/build.mjs --if-changed`).
//
// A stale bundle must never be tested, so the build is skipped only when both hold:
// - the inputs are byte for byte those of the last complete build: every file under src/ and
//   scripts/, package.json, package-lock.json, tsconfig.json, the installed tree
//   (node_modules/.package-lock.json, which npm rewrites on every install) and Node's version;
// - every file under dist/ is byte for byte what that build wrote, and no file was added or removed.
// Anything else (a changed or new source file, an edited or deleted bundle, a failed build, no
// stamp) builds from scratch. The stamp lives in node_modules/.cache/, outside the package.
// Hashing all of it takes ~50 ms; the build it saves takes ~10 s of CPU (the word tables).
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const STAMP = 'node_modules/.cache/jwtkit-build.json';
const INPUT_DIRS = ['src', 'scripts'];
const INPUT_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'node_modules/.package-lock.json'];

/** Every file under dir, as paths relative to root, sorted. */
function filesUnder(root, dir) {
  const out = [];
  const walk = (d) => {
    let entries;
    try {
      entries = readdirSync(join(root, d), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = join(d, e.name);
      if (e.isDirectory()) walk(path);
      else out.push(relative(root, join(root, path)));
    }
  };
  walk(dir);
  return out.sort();
}

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

function readOrMissing(root, path) {
  try {
    return readFileSync(join(root, path));
  } catch {
    return Buffer.from('\0missing\0');
  }
}

/** One hash of everything the build reads. */
export function inputsHash(root) {
  const hash = createHash('sha256');
  hash.update(`node ${process.version}\n`);
  const files = [...INPUT_DIRS.flatMap((d) => filesUnder(root, d)), ...INPUT_FILES];
  for (const path of files) {
    const data = readOrMissing(root, path);
    hash.update(`${path}\0${data.length}\0`).update(data);
  }
  return hash.digest('hex');
}

/** { path: sha256 } of every file under dist/. */
function outputs(root) {
  return Object.fromEntries(filesUnder(root, 'dist').map((path) => [path, sha256(readFileSync(join(root, path)))]));
}

export function isUpToDate(root, inputs) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(root, STAMP), 'utf8'));
  } catch {
    return false;
  }
  if (stamp?.inputs !== inputs || typeof stamp.outputs !== 'object' || stamp.outputs === null) return false;
  const now = outputs(root);
  const paths = Object.keys(now);
  if (paths.length === 0 || paths.length !== Object.keys(stamp.outputs).length) return false;
  return paths.every((path) => stamp.outputs[path] === now[path]);
}

export function clearStamp(root) {
  rmSync(join(root, STAMP), { force: true });
}

export function writeStamp(root, inputs) {
  mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
  writeFileSync(join(root, STAMP), `${JSON.stringify({ inputs, outputs: outputs(root) }, null, 1)}\n`);
}
