// Runs inside the D-Bus session test/helpers/keyring.ts sets up (or outside any), and serves the
// built KeychainStore (dist/) to the test process: one JSON request per line on stdin
// ({ id, op, key, value }), one JSON answer per line on stdout ({ id, result } or
// { id, error: { name, code, message } }); `raw-get` reads an entry by service and account
// with keytar itself. Plain JavaScript so it runs without a TS loader.
'use strict';
const readline = require('node:readline');

const [, , modulePath, service, timeoutMs] = process.argv;
const { KeychainStore } = require(modulePath);
const store = new KeychainStore({ service, timeoutMs: Number(timeoutMs) });

function send(message) {
  process.stdout.write(JSON.stringify(message) + '\n');
}

async function run(op, key, value) {
  switch (op) {
    case 'raw-get':
      // keytar itself, by service and account: shows what the entries are filed under.
      return require('keytar').getPassword(key.service, key.account);
    case 'available':
      return store.available();
    case 'get':
      return store.get(key);
    case 'set':
      return store.set(key, value);
    case 'delete':
      return store.delete(key);
    default:
      throw new Error(`unknown operation ${op}`);
  }
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const { id, op, key, value } = JSON.parse(line);
  run(op, key, value).then(
    (result) => send({ id, result }),
    (err) => send({ id, error: { name: err.name, code: err.code, message: err.message } }),
  );
});
process.stdin.on('end', () => process.exit(0));
send({ ready: true });
