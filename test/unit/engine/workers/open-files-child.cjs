// Child of restore-blobs.test.ts, run under a low open-file limit (`ulimit -n`): one range of
// many files of one blob (created as written), and one range of many files of two blobs each,
// their blobs interleaved so no file's blobs are neighbours. A worker that kept every file of a
// range open until the range was done ran out of descriptors (EMFILE). Uses the build (npm
// test builds first). Prints what both runs reported, as JSON.
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const engine = join(__dirname, '../../../../dist/electron/engine');
const { restoreBlobs } = require(join(engine, 'workers/tasks.js'));
const { sealBlob } = require(join(engine, 'repository/blob.js'));
const { generateMasterKey } = require(join(engine, 'crypto/master-key.js'));

const key = generateMasterKey();
const dir = process.argv[2];
const FILES = 300;

/** One range holding the plaintexts, each blob with its targets. */
function range(plains, targets) {
  const parts = [];
  let at = 0;
  const blobs = plains.map((plain, i) => {
    const s = sealBlob(key, 'data', plain);
    parts.push(s.sealed);
    const b = {
      id: s.id,
      type: 'data',
      compressed: s.compressed,
      rawLength: s.rawLength,
      at,
      length: s.sealed.length,
      targets: targets[i],
    };
    at += s.sealed.length;
    return b;
  });
  return { data: Buffer.concat(parts), blobs };
}

(async () => {
  const one = Array.from({ length: FILES }, (_, i) => Buffer.from(`tiny file ${i}\n`));
  const onePaths = one.map((_, i) => join(dir, `one-${i}`));
  const r1 = range(
    one,
    one.map((p, i) => [{ path: onePaths[i], offset: 0, create: p.length }]),
  );
  const created = await restoreBlobs({ key }, 'p', r1.data, r1.blobs);

  // Files of two blobs, made before (as the coordinator does): first halves, then second halves.
  const half = (i, part) => Buffer.from(`file ${i}, part ${part} `.repeat(10 + part));
  const twoPaths = one.map((_, i) => join(dir, `two-${i}`));
  const plains = [];
  const targets = [];
  for (const part of [0, 1]) {
    one.forEach((_, i) => {
      plains.push(half(i, part));
      targets.push([{ path: twoPaths[i], offset: part === 0 ? 0 : half(i, 0).length }]);
    });
  }
  twoPaths.forEach((p, i) => writeFileSync(p, Buffer.alloc(half(i, 0).length + half(i, 1).length)));
  const r2 = range(plains, targets);
  const written = await restoreBlobs({ key }, 'p', r2.data, r2.blobs);

  process.stdout.write(
    JSON.stringify({
      notCreated: created.notCreated.length,
      firstNotCreated: created.notCreated[0]?.message,
      oneIntact: onePaths.filter((p, i) => readFileSync(p).equals(one[i])).length,
      unwritten: written.unwritten.length,
      firstUnwritten: written.unwritten[0]?.message,
      twoIntact: twoPaths.filter((p, i) =>
        readFileSync(p).equals(Buffer.concat([half(i, 0), half(i, 1)])),
      ).length,
      files: FILES,
    }),
  );
})().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err));
  process.exit(1);
});
