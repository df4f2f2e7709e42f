// index.d.ts against the uses the README shows: test/types/usage.ts must compile with tsc --strict.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

test('the TypeScript types compile with the documented uses and reject the misuses', async () => {
  const tsc = resolve(root, 'node_modules/typescript/bin/tsc');
  const { code, output } = await new Promise((done) => {
    execFile(process.execPath, [tsc, '-p', resolve(root, 'test/types')], { cwd: root }, (error, stdout, stderr) => {
      done({ code: error ? error.code : 0, output: stdout + stderr });
    });
  });
  assert.equal(code, 0, output);
});
