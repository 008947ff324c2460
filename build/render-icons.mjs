// Renders the icons from their SVG sources (resources/icons-src/) to PNGs with Chromium
// (playwright-core, Debian's /usr/bin/chromium), on a transparent background:
//   resources/icon.png                     512 px app icon (window, macOS, Windows installers)
//   resources/icons/<n>x<n>.png            the Linux icon set; 16-32 px from app-small.svg
//   resources/tray/<state>.png, @2x.png    16 and 32 px (macOS, Windows)
//   resources/tray/<state>-22.png, @2x.png 22 and 44 px (Linux panels)
//   .tmp/icons-preview.png                 every icon on light and dark panels, to look at
// Run: node build/render-icons.mjs  (CHROMIUM=/path/to/chromium to use another browser).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = (name) => readFileSync(path.join(root, 'resources/icons-src', name), 'utf8');
const out = (rel) => {
  const file = path.join(root, 'resources', rel);
  mkdirSync(path.dirname(file), { recursive: true });
  return file;
};

const STATES = ['idle', 'running', 'paused', 'warning', 'error', 'overdue'];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const page = await browser.newPage({ deviceScaleFactor: 1 });
// The preview sheet is drawn 3x larger, pixels kept sharp, so 16 px icons can be judged.
const sheetPage = await browser.newPage({ deviceScaleFactor: 3 });

/** One SVG at `size` px square, transparent around it. */
async function render(svg, size) {
  await page.setViewportSize({ width: size, height: size });
  const sized = svg.replace('<svg ', `<svg width="${size}" height="${size}" `);
  await page.setContent(
    `<!doctype html><style>html,body{margin:0;background:transparent}svg{display:block}</style>${sized}`,
  );
  return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
}

const app = src('app.svg');
const appSmall = src('app-small.svg');
writeFileSync(out('icon.png'), await render(app, 512));
for (const n of [16, 24, 32, 48, 64, 128, 256, 512])
  writeFileSync(out(`icons/${n}x${n}.png`), await render(n <= 32 ? appSmall : app, n));
for (const state of STATES) {
  const svg = src(`tray-${state}.svg`);
  writeFileSync(out(`tray/${state}.png`), await render(svg, 16));
  writeFileSync(out(`tray/${state}@2x.png`), await render(svg, 32));
  writeFileSync(out(`tray/${state}-22.png`), await render(svg, 22));
  writeFileSync(out(`tray/${state}-22@2x.png`), await render(svg, 44));
}

// A contact sheet: each tray icon at 16, 22 and 32 px on a light and a dark panel, and the
// app icon at 16, 32, 64 and 128 px, drawn from the PNGs just written (pixelated: as shown).
const b64 = (rel) => readFileSync(out(rel)).toString('base64');
const img = (rel, size) =>
  `<img style="image-rendering:pixelated" width="${size}" height="${size}" src="data:image/png;base64,${b64(rel)}">`;
const row = (bg, fg) =>
  `<div style="background:${bg};color:${fg};padding:8px;display:flex;gap:14px;align-items:center">` +
  STATES.map(
    (s) =>
      `<div style="text-align:center;font:10px sans-serif">${img(`tray/${s}.png`, 16)} ` +
      `${img(`tray/${s}-22.png`, 22)} ${img(`tray/${s}@2x.png`, 32)}<br>${s}</div>`,
  ).join('') +
  '</div>';
const sheet =
  `<!doctype html><body style="margin:0;background:#fff;width:760px">` +
  row('#f3f4f6', '#111') +
  row('#1f2937', '#eee') +
  `<div style="padding:8px;display:flex;gap:16px;align-items:end">` +
  `${img('icons/16x16.png', 16)}${img('icons/32x32.png', 32)}${img('icons/64x64.png', 64)}` +
  `${img('icons/128x128.png', 128)}<div style="background:#1f2937;padding:8px">` +
  `${img('icons/16x16.png', 16)} ${img('icons/32x32.png', 32)} ${img('icons/64x64.png', 64)}</div></div>`;
await sheetPage.setViewportSize({ width: 760, height: 300 });
await sheetPage.setContent(sheet);
mkdirSync(path.join(root, '.tmp'), { recursive: true });
writeFileSync(
  path.join(root, '.tmp/icons-preview.png'),
  await sheetPage.screenshot({ fullPage: true }),
);
await browser.close();
