import { chromium } from 'playwright-core';
import { startServer } from '../../server/main.js';
import { createFixtureDb } from '../server/helpers/fixture-db.js';
const server = await startServer({ dbPath: createFixtureDb(), port: 0, host: '127.0.0.1', aliases: { '10.0.0.1': 'proxy' } });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--disable-sync','--no-first-run'] });
const page = await browser.newPage({ viewport: { width: 1440, height: 860 } });
page.on('console', (m) => console.log('console:', m.type(), m.text()));
page.on('pageerror', (e) => console.log('pageerror:', e.message));
const shots = process.argv.slice(2);
for (const path of shots) {
  await page.goto(server.url + path);
  await page.waitForTimeout(700);
  const name = path.replace(/[^a-z0-9]+/gi, '_');
  await page.screenshot({ path: `test/artifacts/dev${name}.png` });
  if (path.includes('/calls/') && !path.includes('msg')) {
    await page.click('g.arrow[data-index="3"]');
    await page.waitForTimeout(400);
    await page.screenshot({ path: `test/artifacts/dev${name}_sel.png` });
  }
}
await browser.close();
await server.close();
