// Two networks on one deployment (docs/networks.md): every page shows, in its header, the name
// of the network whose token signed in, on the same node for both (started by browser_test.cpp
// with LA City and LA County, which passes the node's address and the tokens).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { WAIT_MS, env, launch, open } from './pages.mjs';

const NODE = env('PUENTE_NODE');
const NETWORKS = [
  {
    name: env('PUENTE_CITY_NAME'),
    pages: { '/board.html': env('PUENTE_CITY_DISPATCHER'), '/intake.html': env('PUENTE_CITY_OPERATOR'), '/observer.html': env('PUENTE_CITY_OBSERVER') },
  },
  {
    name: env('PUENTE_COUNTY_NAME'),
    pages: { '/board.html': env('PUENTE_COUNTY_DISPATCHER'), '/intake.html': env('PUENTE_COUNTY_OPERATOR'), '/observer.html': env('PUENTE_COUNTY_OBSERVER') },
  },
];

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

for (const network of NETWORKS) {
  for (const [path, token] of Object.entries(network.pages)) {
    test(`${path} signed in to ${network.name} shows its name`, async () => {
      const page = await open(browser, NODE, path, token);
      const shown = page.locator('header #network');
      await shown.filter({ hasText: network.name }).waitFor({ timeout: WAIT_MS });
      assert.equal((await shown.textContent()).trim(), network.name);
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });
  }
}
