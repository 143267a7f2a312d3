// Screenshots of the returns screens in headless Chromium, against the mock core (dist-mock, from
// `npm run build:mock`). Usage: node scripts/returns-screenshots.mjs [outDir]  (default /tmp/orderly-shots/returns)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const out = process.argv[2] ?? '/tmp/orderly-shots/returns';
const port = Number(process.env.PORT ?? 5181);
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
  viewport: { width: 1400, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = context.pages()[0] ?? (await context.newPage());
page.on('pageerror', (e) => console.error('page error:', e.message));
page.on('console', (m) => (m.type() === 'error' ? console.error('console:', m.text()) : null));

async function shot(name, fullPage = false) {
  await page.waitForTimeout(600);
  await page.screenshot({ path: join(out, `${name}.png`), fullPage });
  console.log(`${out}/${name}.png`);
}

try {
  // The queue, and the numbers of the seeded returns.
  await page.goto(`${base}#/returns`);
  await page.getByRole('tab', { name: /Expected \(1\)/ }).waitFor();
  await shot('01-returns-expected');
  const expected = await page.getByRole('link', { name: /^R-/ }).first().textContent();
  await page.getByRole('tab', { name: /Held stock/ }).click();
  await shot('02-returns-held');
  await page.getByRole('button', { name: 'Dispose' }).first().click();
  await shot('03-held-dispose-dialog');
  await page.keyboard.press('Escape');
  await page.getByRole('tab', { name: /To refund/ }).click();
  const toRefund = await page.getByRole('link', { name: /^R-/ }).first().textContent();

  // The ship-back return: label, receive.
  await page.goto(`${base}#/returns/${expected}`);
  await page.getByLabel('Scan an item').waitFor();
  await shot('04-return-authorized', true);
  await page.getByLabel('Scan an item').fill('NOPE-1');
  await page.keyboard.press('Enter');
  await page.getByTestId('scan-error').waitFor();
  await shot('05-return-wrong-scan');
  const sku = (await page.getByRole('table', { name: 'Receive without a barcode' }).locator('tbody tr td').first().textContent()).trim();
  await page.getByLabel('Scan an item').fill(sku);
  await page.keyboard.press('Enter');
  await page.getByTestId('scan-ok').waitFor();
  await shot('06-return-received', true);

  // Refund dialog on the received drop-off.
  await page.goto(`${base}#/returns/${toRefund}`);
  await page.getByRole('button', { name: 'Refund…' }).waitFor();
  await page.getByRole('button', { name: 'Refund…' }).click();
  await shot('07-refund-confirm');
  await page.getByRole('button', { name: /^Refund \$/ }).click();
  await page.waitForTimeout(500);
  await shot('08-refunded', true);

  // Start a return from the order.
  const order = (await page.getByRole('link', { name: /^SO-/ }).first().textContent()).trim();
  await page.goto(`${base}#/orders/${order}`);
  await page.getByText('Returns', { exact: true }).first().waitFor();
  await shot('09-order-with-returns', true);
  await page.goto(`${base}#/orders/${order}/return`);
  await page.getByTestId('window-info').waitFor();
  const qty = page.getByLabel(/Return qty line/).and(page.locator(':not([disabled])'));
  await qty.first().fill('1');
  await page.getByTestId('breakdown').waitFor();
  await shot('10-start-return-preview', true);
  await page.getByRole('button', { name: /Authorize return/ }).click();
  await page.getByRole('heading', { name: /^R-/ }).waitFor();
  await page.getByLabel('Carrier').fill('UPS');
  await page.getByLabel('Service').fill('Ground');
  await page.getByLabel('Generate local number').check();
  await page.getByRole('button', { name: 'Save return label' }).click();
  await page.getByTestId('return-label-info').waitFor();
  await page.getByRole('button', { name: 'Print label' }).click();
  await page.getByLabel('Printed').waitFor();
  await shot('10c-return-label-printed');

  // An old order: outside the window, so the preview asks for an override.
  await page.goto(`${base}#/orders/SO-100004/return`);
  await page.getByTestId('window-info').waitFor();
  await page.getByLabel('Return qty line 1').fill('1');
  await page.getByTestId('override').waitFor();
  await shot('10b-start-return-outside-window');

  // Exchange on the first return.
  await page.goto(`${base}#/returns/${expected}`);
  await page.getByLabel('Item to send (SKU or barcode)').fill('MUG-BLU-01');
  await page.keyboard.press('Enter');
  await page.getByRole('table', { name: 'Items to send' }).waitFor();
  await page.getByRole('button', { name: 'Create exchange' }).click();
  await page.getByTestId('settlement').waitFor();
  await shot('11-exchange-settled', true);

  await page.goto(`${base}#/counter`);
  await page.keyboard.press('Alt+r');
  await shot('12-counter-return');
  await page.goto(`${base}#/settings`);
  await page.getByRole('region', { name: 'Returns' }).scrollIntoViewIfNeeded();
  await shot('13-settings-returns');
  await page.goto(`${base}#/orders?status=returned`);
  await shot('14-orders-status-filter');
  await page.goto(`${base}#/products?q=WATE`);
  await shot('15-products-final-sale');
  await page.goto(`${base}#/inventory`);
  await shot('16-inventory-held');
} finally {
  await context.close();
  server.kill();
}
