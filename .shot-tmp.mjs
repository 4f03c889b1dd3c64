import { chromium } from 'playwright-core';
const [,, file, out, width, maxParts] = process.argv;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
const page = await browser.newPage({ viewport: { width: Number(width ?? 1200), height: 900 } });
await page.goto('file://' + file);
const h = await page.evaluate(() => document.documentElement.scrollHeight);
console.log('height', h);
for (let i = 0; i * 1300 < h && i < Number(maxParts ?? 3); i++) {
  await page.screenshot({ path: `${out}-${i}.png`, fullPage: true, clip: { x: 0, y: i * 1300, width: Number(width ?? 1200), height: Math.min(1300, h - i * 1300) } });
}
await browser.close();
