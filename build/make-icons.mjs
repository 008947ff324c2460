// Writes resources/icon.png (512x512) and resources/tray/<state>.png (32x32): plain PNGs made
// with zlib, no image tools needed. A filled circle in each state's colour on a transparent
// background; run `node build/make-icons.mjs` to make them again.
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(crc(body));
  return Buffer.concat([len, body, sum]);
};

function png(size, [r, g, b], ring) {
  const rows = [];
  const c = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - c, y - c) / (size / 2);
      const inside = d <= 0.92 && (!ring || d >= 0.55);
      const stripe = !ring && d <= 0.92 && Math.abs(y - c) < size * 0.06;
      row.set(inside ? (stripe ? [255, 255, 255, 255] : [r, g, b, 255]) : [0, 0, 0, 0], 1 + x * 4);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const STATES = {
  idle: [46, 125, 50],
  running: [21, 101, 192],
  paused: [120, 120, 120],
  warning: [239, 160, 0],
  error: [198, 40, 40],
  overdue: [230, 81, 0],
};
mkdirSync('resources/tray', { recursive: true });
for (const [state, rgb] of Object.entries(STATES))
  writeFileSync(`resources/tray/${state}.png`, png(32, rgb, state === 'paused'));
writeFileSync('resources/icon.png', png(512, [21, 101, 192], false));
