// Screenshots of every screen in headless Chromium, against the mock core (dist-mock, from
// `npm run build:mock`). Usage: node scripts/screenshots.mjs [outDir]   (default /tmp/orderly-shots)
// Needs Debian's chromium at /usr/bin/chromium and the playwright-core dev dependency.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const out = process.argv[2] ?? '/tmp/orderly-shots';
const port = Number(process.env.PORT ?? 4173);
mkdirSync(out, { recursive: true });

const server = spawn('node_modules/.bin/vite', ['preview', '--mode', 'mock', '--port', String(port), '--strictPort'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise((resolve, reject) => {
  server.stdout.on('data', (d) => (String(d).includes('http') ? resolve() : null));
  server.on('exit', (code) => reject(new Error(`vite preview exited with ${code}`)));
});

const base = `http://127.0.0.1:${port}/mock.html`;
const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'orderly-chromium-')), {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 800 },
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const page = context.pages()[0] ?? (await context.newPage());
page.on('pageerror', (e) => console.error('page error:', e.message));
page.on('console', (m) => (m.type() === 'error' ? console.error('console:', m.text()) : null));

async function shot(name) {
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(out, `${name}.png`) });
  console.log(`${out}/${name}.png`);
}

try {
  await page.goto(`${base}#/orders`);
  await page.waitForSelector('[data-testid="order-row"]');
  await page.keyboard.press('ArrowDown');
  await page.getByRole('grid', { name: 'Orders' }).focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await shot('01-orders');

  await page.keyboard.press('End');
  await page.waitForTimeout(600);
  await shot('02-orders-end');

  await page.goto(`${base}#/orders/SO-1099990`);
  await page.waitForSelector('text=Timeline');
  await shot('03-order-detail');

  await page.getByRole('button', { name: 'Cancel order…' }).click();
  await page.getByLabel('Reason').waitFor();
  await shot('03b-order-cancel');
  await page.keyboard.press('Escape');

  await page.goto(`${base}#/orders/SO-1`);
  await page.waitForSelector('[role="alert"]');
  await shot('03c-order-not-found');

  await page.goto(`${base}#/counter`);
  const scan = page.getByLabel('Scan or type SKU or barcode');
  await scan.fill('MUG-BLU-01');
  await scan.press('Enter');
  await scan.fill('0123456780057');
  await scan.press('Enter');
  await scan.fill('MUG-BLU-01');
  await scan.press('Enter');
  await page.waitForTimeout(200);
  await scan.fill('NOPE-404');
  await scan.press('Enter');
  await shot('04-counter-lines-and-error');

  await scan.press('Control+Enter');
  await page.waitForSelector('[data-testid="created-order-number"]');
  await shot('05-counter-created');

  await page.getByLabel('Ship to address').check();
  await shot('06-counter-ship');

  await page.getByLabel('Pick up at store').check();
  await scan.fill('MUG-RED-02');
  await scan.press('Enter');
  const customer = page.getByLabel('Customer (optional)');
  await customer.fill('gra');
  await page.waitForSelector('text=Grace Hopper');
  await shot('06b-counter-customer-search');
  await customer.press('Enter');
  await page.waitForSelector('[data-testid="picked-customer"]');
  await shot('06c-counter-pickup-customer');

  await page.goto(`${base}#/inventory`);
  await page.waitForSelector('[data-testid="inventory-row"]');
  await page.getByRole('grid', { name: 'Stock balances' }).focus();
  await page.keyboard.press('ArrowDown');
  await shot('07-inventory');
  await page.keyboard.press('r');
  await shot('08-inventory-receive');
  await page.keyboard.press('Escape');
  await page.getByRole('grid', { name: 'Stock balances' }).focus();
  await page.keyboard.press('Enter');
  await shot('09-inventory-movements');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Verify ledger' }).click();
  await shot('10-inventory-verify');
  await page.keyboard.press('Escape');

  await page.goto(`${base}#/products`);
  await page.waitForSelector('[data-testid="product-row"]');
  await shot('11-products');
  await page.getByRole('grid', { name: 'Products' }).focus();
  await page.keyboard.press('Enter');
  await shot('12-product-edit');
  await page.keyboard.press('Escape');

  await page.goto(`${base}#/locations`);
  await page.waitForSelector('[data-testid="location-row"]');
  await shot('13-locations');
  await page.locator('[data-testid="location-row"]').first().focus();
  await page.keyboard.press('Enter');
  await shot('14-location-edit');
  await page.keyboard.press('Escape');

  await page.goto(`${base}#/customers`);
  await page.getByRole('textbox', { name: 'Search customers' }).waitFor();
  await page.keyboard.type('gr');
  await page.getByRole('option').first().waitFor();
  await shot('14c-customers');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="timeline-entry"]');
  await shot('14d-customer');

  await page.goto(`${base}#/settings`);
  await page.waitForSelector('text=Business');
  await page.getByLabel('PostgreSQL URL').fill('postgres://orderly:secret@localhost:5432/orderly');
  await page.getByRole('button', { name: 'Test connection' }).click();
  await page.waitForSelector('[data-testid="database-test-result"]');
  await shot('15-settings');
  await page.getByRole('button', { name: 'Clear all data…' }).click();
  await shot('16-settings-clear-confirm');
  await page.getByRole('button', { name: 'Delete all shop data' }).click();
  await page.waitForTimeout(300);
  await page.goto(`${base}#/inventory`);
  await page.waitForSelector('text=No stock yet');
  await shot('17-inventory-empty');
} finally {
  await context.close();
  server.kill('SIGTERM');
}
