// Child of restore-blobs.test.ts, run as a user that is not root (root may write a read-only
// file, so the case does not arise for it): a worker created a file of one blob and gave it
// a read-only mode, then was lost; the coordinator's retry (again: true) writes it once more.
// Uses the build (npm test builds first). Prints what both runs reported, as JSON.
const { lstatSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const engine = join(__dirname, '../../../../dist/electron/engine');
const { restoreBlobs } = require(join(engine, 'workers/tasks.js'));
const { sealBlob } = require(join(engine, 'repository/blob.js'));
const { generateMasterKey } = require(join(engine, 'crypto/master-key.js'));

(async () => {
  const key = generateMasterKey();
  const text = Buffer.from('read-only after its metadata\n'.repeat(20));
  const sealed = sealBlob(key, 'data', text);
  const path = join(process.argv[2], 'ro');
  const meta = {
    uid: process.getuid(),
    gid: process.getgid(),
    mode: 0o444,
    atime: 1.5e9,
    mtime: 1.5e9,
  };
  const blobs = [
    {
      id: sealed.id,
      type: 'data',
      compressed: sealed.compressed,
      rawLength: sealed.rawLength,
      at: 0,
      length: sealed.sealed.length,
      targets: [{ path, offset: 0, create: text.length, meta }],
    },
  ];
  const first = await restoreBlobs({ key }, 'p', Buffer.from(sealed.sealed), blobs);
  const again = await restoreBlobs({ key }, 'p', Buffer.from(sealed.sealed), blobs, true);
  const st = lstatSync(path);
  process.stdout.write(
    JSON.stringify({
      uid: process.getuid(),
      first: first.notCreated,
      again: again.notCreated,
      mode: st.mode & 0o7777,
      mtime: st.mtimeMs,
      intact: readFileSync(path).equals(text),
    }),
  );
})();
