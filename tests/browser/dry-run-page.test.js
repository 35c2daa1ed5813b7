// dry-run-page.test.js — the dry-run page (web/) in Debian's chromium: served by the service with a
// deployed process and running instances, a plan built by clicking on the diagram, simulated in
// the page, checked on the diagram and in the tree, applied (sync, and async as a batch) and
// checked in the service; a restart of a historic instance; and the same page from a plain static
// server, loaded from a BPMN file and a saved state document. Every page must log no console
// error and request nothing outside its origin. Screenshots: tests/artifacts/browser/.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { startService } from '../../js/service.js';
import { client } from '../js/rest/support.js';
import { buildPage, launchBrowser, noBrowser, openPage, ROOT, screenshot, staticServer } from './support.js';

const ORDER_XML = readFileSync(join(ROOT, 'tests/browser/fixtures/order.bpmn'), 'utf8');

describe('the dry-run page', { skip: noBrowser ?? false }, () => {
  let dir;
  let service;
  let api;
  let origin;
  let browser;
  let definition;

  before(async () => {
    buildPage();
    dir = mkdtempSync(join(tmpdir(), 'detour-browser-'));
    service = await startService({
      db: `sqlite:${join(dir, 'detour.db')}`,
      port: 0,
      host: '127.0.0.1',
      log: () => {},
      batch: { batchPollTimeMs: 100 }, // the monitor ends a finished batch quickly
      executor: { maxIdleMs: 100 },
    });
    origin = `http://127.0.0.1:${service.port}`;
    api = client(`${origin}/engine-rest`);
    const deployed = await api.deploy(ORDER_XML, { name: 'order', resourceName: 'order.bpmn' });
    assert.equal(deployed.status, 200, deployed.text);
    definition = Object.values(deployed.body.deployedProcessDefinitions)[0];
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await service?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function startOrder(businessKey) {
    const res = await api.post(`/process-definition/${definition.id}/start`, { businessKey });
    assert.equal(res.status, 200, res.text);
    return res.body.id;
  }

  async function activityIds(instanceId) {
    const res = await api.get(`/process-instance/${instanceId}/activity-instances`);
    assert.equal(res.status, 200, res.text);
    return res.body.childActivityInstances.map((a) => a.activityId).sort();
  }

  // The page at `/` with the definition shown and `ids` selected (after an optional query).
  async function openWithInstances(ids, { query, mode, definitionId = definition.id } = {}) {
    const session = await openPage(browser, origin);
    const { page } = session;
    await page.goto(`${origin}/`);
    await page.locator(`[data-testid=definition] option[value="${definitionId}"]`).waitFor({ state: 'attached' });
    await page.selectOption('[data-testid=definition]', definitionId);
    await page.locator('[data-element-id=review]').waitFor();
    if (mode === 'restart') await page.check('[data-testid=mode-restart]');
    if (query) {
      await page.fill('[data-testid=query]', JSON.stringify(query));
      await page.click('[data-testid=find]');
    }
    for (const id of ids) {
      const box = page.locator(`[data-testid=instance-checkbox][value="${id}"]`);
      await box.check();
    }
    await page.waitForFunction((n) => /instance\(s\) selected/.test(document.querySelector('[data-testid=status]').textContent) && document.querySelectorAll('[data-testid=instance-checkbox]:checked').length === n, ids.length);
    return session;
  }

  // A straight flow's box has no height, which Playwright takes for invisible: click its middle.
  async function clickFlow(page, id) {
    const box = await page.locator(`[data-element-id=${id}]`).boundingBox();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  }

  async function badge(page, id) {
    const node = page.locator(`[data-testid="count-${id}"]`);
    return { text: (await node.textContent()).trim(), cls: await node.getAttribute('class') };
  }

  it('serves the page at / next to /engine-rest, with the core as application/wasm', async () => {
    const page = await fetch(`${origin}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type'), /^text\/html/);
    assert.match(await page.text(), /\.\/dist\/app\.js/);
    const wasm = await fetch(`${origin}/dist/detour-core.wasm`);
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
    assert.deepEqual(await (await fetch(`${origin}/config.json`)).json(), { engineRest: '/engine-rest' });
    assert.equal((await api.get('/engine')).status, 200);
  });

  it('builds a plan by clicking, simulates it in the page and applies it to one instance', async () => {
    const id = await startOrder('A-1');
    const { page, check, close } = await openWithInstances([id]);
    try {
      assert.deepEqual(await badge(page, 'review'), { text: '1', cls: 'count' });
      await page.locator('[data-testid=tree-current] [data-activity-id=review]').waitFor();

      await page.click('[data-element-id=review]');
      await page.click('[data-testid=element-menu] [data-testid=menu-cancel]');
      await page.click('[data-element-id=approve]');
      await page.click('[data-testid=element-menu] [data-testid=menu-start-before]');
      await clickFlow(page, 'f3'); // a sequence flow: start transition
      assert.deepEqual(await page.locator('[data-testid=instruction]').allTextContents(), ['cancel review×', 'start before approve×', 'start transition f3×']);
      assert.deepEqual(JSON.parse(await page.inputValue('[data-testid=plan-json]')), [
        { type: 'cancel', activityId: 'review' },
        { type: 'startBeforeActivity', activityId: 'approve' },
        { type: 'startTransition', transitionId: 'f3' },
      ]);
      assert.equal(await page.isDisabled('[data-testid=apply-sync]'), true, 'apply waits for a simulation');

      await page.click('[data-testid=simulate]');
      await page.locator('[data-testid=summary]').filter({ hasText: '1 would succeed, 0 would fail' }).waitFor();
      assert.deepEqual(await badge(page, 'review'), { text: '1→0', cls: 'count removed' });
      assert.deepEqual(await badge(page, 'approve'), { text: '0→1', cls: 'count added' });
      assert.deepEqual(await badge(page, 'ship'), { text: '0→1', cls: 'count added' });
      const after = await page.locator('[data-testid=tree-after] li[data-activity-id]:not(.root)').evaluateAll((lis) => lis.map((li) => li.dataset.activityId).sort());
      assert.deepEqual(after, ['approve', 'ship']);
      assert.deepEqual(await page.locator('[data-testid=tree-before] li[data-activity-id]:not(.root)').evaluateAll((lis) => lis.map((li) => li.dataset.activityId)), ['review']);
      assert.match(await page.textContent('[data-testid=batch-split]'), /1 execution job\(s\) in 1 seed job run\(s\)/);
      assert.deepEqual(await activityIds(id), ['review'], 'a simulation changes nothing');
      await screenshot(page, '1-simulated');

      await page.click('[data-testid=apply-sync]');
      await page.locator('[data-testid=outcome-match]').waitFor();
      assert.equal(await page.textContent('[data-testid=outcome-match]'), 'as simulated');
      assert.deepEqual(await activityIds(id), ['approve', 'ship']);
      assert.equal(await page.isDisabled('[data-testid=apply-sync]'), true, 'applied: a new plan needs a new simulation');
      await screenshot(page, '2-applied');
      check();
    } finally {
      await close();
    }
  });

  it('simulates a JSON plan on a set of instances, shows a refusal, and applies it as a batch with progress', async () => {
    const ids = [await startOrder('B-1'), await startOrder('B-2')];
    const { page, check, close } = await openWithInstances(ids, { query: { businessKeyLike: 'B-%' } });
    try {
      assert.equal(await page.locator('[data-testid=instance-checkbox]').count(), 2, 'the query lists only B-*');
      assert.deepEqual(await badge(page, 'review'), { text: '2', cls: 'count' });

      await page.fill('[data-testid=plan-json]', JSON.stringify([{ type: 'startBeforeActivity', activityId: 'nope' }]));
      await page.click('[data-testid=simulate]');
      await page.locator('[data-testid=summary]').filter({ hasText: '0 would succeed, 2 would fail' }).waitFor();
      assert.match(await page.textContent('[data-testid=errors]'), /InvalidRequestException: Cannot perform instruction: Start before activity 'nope'; Element 'nope' does not exist in process/);
      assert.match(await page.textContent('[data-testid=errors]'), /2 instances/);

      await page.fill('[data-testid=plan-json]', 'not json');
      assert.match(await page.textContent('[data-testid=plan-json-error]'), /Not JSON/);
      assert.equal(await page.isDisabled('[data-testid=simulate]'), true);

      const plan = [
        { type: 'cancel', activityId: 'review' },
        { type: 'startBeforeActivity', activityId: 'ship', variables: { expedite: { value: true, type: 'Boolean' } } },
      ];
      await page.fill('[data-testid=plan-json]', JSON.stringify(plan));
      assert.equal(await page.locator('[data-testid=instruction]').count(), 2);
      await page.click('[data-testid=simulate]');
      await page.locator('[data-testid=summary]').filter({ hasText: '2 would succeed, 0 would fail' }).waitFor();
      assert.deepEqual(await badge(page, 'review'), { text: '2→0', cls: 'count removed' });
      assert.deepEqual(await badge(page, 'ship'), { text: '0→2', cls: 'count added' });
      assert.match(await page.textContent('[data-testid=variables]'), /expedite.*Boolean.*true/);
      assert.match(await page.textContent('[data-testid=batch-split]'), /2 execution job\(s\) in 1 seed job run\(s\)/);
      await screenshot(page, '3-batch-simulated');

      await page.click('[data-testid=apply-async]');
      await page.locator('[data-testid=progress-text]').filter({ hasText: 'completed' }).waitFor({ timeout: 30000 });
      await page.locator('[data-testid=outcome-entry]').nth(1).waitFor();
      assert.deepEqual(await page.locator('[data-testid=outcome-match]').allTextContents(), ['as simulated', 'as simulated']);
      for (const id of ids) {
        assert.deepEqual(await activityIds(id), ['ship']);
        const v = await api.get(`/process-instance/${id}/variables/expedite`);
        assert.equal(v.body.value, true);
      }
      await screenshot(page, '4-batch-applied');
      check();
    } finally {
      await close();
    }
  });

  it('shows an async apply that fails on an instance changed since the simulation, and stops watching its stuck batch', async () => {
    const ids = [await startOrder('E-1'), await startOrder('E-2')];
    const { page, check, close } = await openWithInstances(ids, { query: { businessKeyLike: 'E-%' } });
    try {
      await page.fill('[data-testid=plan-json]', JSON.stringify([{ type: 'startBeforeActivity', activityId: 'approve' }]));
      await page.click('[data-testid=simulate]');
      await page.locator('[data-testid=summary]').filter({ hasText: '2 would succeed' }).waitFor();
      const suspended = await api.put(`/process-instance/${ids[1]}/suspended`, { suspended: true });
      assert.equal(suspended.status, 204, suspended.text);

      await page.click('[data-testid=apply-async]');
      await page.locator('[data-testid=batch-stuck]').waitFor({ timeout: 30000 });
      await page.locator('[data-testid=outcome-entry]').nth(1).waitFor();
      const entries = await page.locator('[data-testid=outcome-entry]').allTextContents();
      const [first, second] = ids.map((id) => entries.find((e) => e.startsWith(id)));
      assert.match(first, /as simulated/);
      assert.match(second, /differs from the simulation failed in the batch: .*suspended/);
      assert.deepEqual(await activityIds(ids[0]), ['approve', 'review']);
      assert.deepEqual(await activityIds(ids[1]), ['review']);
      await screenshot(page, '5-batch-stuck');
      check();
    } finally {
      await close();
    }
  });

  it('restarts a historic instance: start instructions only, simulated then applied', async () => {
    const id = await startOrder('C-1');
    assert.equal((await api.delete(`/process-instance/${id}`)).status, 204);
    const { page, check, close } = await openWithInstances([id], { mode: 'restart' });
    try {
      await page.click('[data-element-id=approve]');
      const menu = page.locator('[data-testid=element-menu]');
      await menu.waitFor();
      assert.equal(await menu.locator('[data-testid=menu-cancel]').count(), 0, 'nothing to cancel in a restart');
      await menu.locator('[data-testid=menu-start-before]').click();
      await page.check('[data-testid=withoutBusinessKey]');
      await page.click('[data-testid=simulate]');
      await page.locator('[data-testid=summary]').filter({ hasText: '1 would succeed' }).waitFor();
      assert.deepEqual(await badge(page, 'approve'), { text: '0→1', cls: 'count added' });
      await page.locator('[data-testid=tree-after] [data-activity-id=approve]').waitFor();
      await screenshot(page, '6-restart-simulated');

      await page.click('[data-testid=apply-sync]');
      await page.locator('[data-testid=outcome-match]').waitFor();
      assert.equal(await page.textContent('[data-testid=outcome-match]'), 'as simulated');
      const restarted = (await api.get(`/history/process-instance?processDefinitionId=${definition.id}`)).body.filter((r) => r.restartedProcessInstanceId === id);
      assert.equal(restarted.length, 1);
      assert.equal(restarted[0].businessKey, null);
      assert.deepEqual(await activityIds(restarted[0].id), ['approve']);
      await screenshot(page, '7-restart-applied');
      check();
    } finally {
      await close();
    }
  });

  it('lists the elements of a model without diagram information, clickable as the diagram', async () => {
    const deployed = await api.deploy(readFileSync(join(ROOT, 'tests/fixtures/bpmn/five-activities.bpmn'), 'utf8'), { name: 'five', resourceName: 'five.bpmn' });
    assert.equal(deployed.status, 200, deployed.text);
    const five = Object.values(deployed.body.deployedProcessDefinitions)[0];
    const started = await api.post(`/process-definition/${five.id}/start`, {});
    const { page, check, close } = await openWithInstances([started.body.id], { definitionId: five.id });
    try {
      await page.locator('[data-testid=element-list]').waitFor();
      assert.deepEqual(await badge(page, 'review'), { text: '1', cls: 'count' });
      await page.click('[data-testid=element-list] [data-element-id=review]');
      await page.click('[data-testid=element-menu] [data-testid=menu-cancel]');
      await page.click('[data-testid=element-list] [data-element-id=f3]'); // review → t2 → end
      await page.click('[data-testid=simulate]');
      await page.locator('[data-testid=summary]').filter({ hasText: '1 would succeed' }).waitFor();
      assert.match(await page.textContent('[data-testid=simulation]'), /The instance would end \(COMPLETED\)/);
      assert.deepEqual(await badge(page, 'review'), { text: '1→0', cls: 'count removed' });
      await screenshot(page, '8-no-diagram');
      check();
    } finally {
      await close();
    }
  });

  it('works from a plain static server with a BPMN file and a saved state document', async () => {
    const id = await startOrder('D-1');
    const exported = await api.get(`/detour/process-instance/${id}/state`);
    assert.equal(exported.status, 200, exported.text);
    const statePath = join(dir, `${id}.state.json`);
    writeFileSync(statePath, JSON.stringify(exported.body));
    await service.close(); // nothing of the service is needed now
    service = null;

    const site = await staticServer(join(ROOT, 'web'));
    const { page, check, close } = await openPage(browser, site.url);
    try {
      await page.goto(`${site.url}/`);
      await page.locator('[data-testid=status]').filter({ hasText: 'No service here' }).waitFor();
      assert.equal(await page.isVisible('[data-testid=file-bpmn]'), true, 'no service: the Files tab');
      await page.setInputFiles('[data-testid=file-bpmn]', join(ROOT, 'tests/browser/fixtures/order.bpmn'));
      await page.setInputFiles('[data-testid=file-state]', statePath);
      await page.locator('[data-testid="count-review"]').waitFor();
      assert.deepEqual(await badge(page, 'review'), { text: '1', cls: 'count' });

      await page.click('[data-element-id=ship]');
      await page.click('[data-testid=element-menu] [data-testid=menu-start-before]');
      await page.click('[data-element-id=review]');
      await page.click('[data-testid=element-menu] [data-testid=menu-cancel]');
      await page.click('[data-testid=simulate]');
      await page.locator('[data-testid=summary]').filter({ hasText: '1 would succeed' }).waitFor();
      assert.deepEqual(await badge(page, 'review'), { text: '1→0', cls: 'count removed' });
      assert.deepEqual(await badge(page, 'ship'), { text: '0→1', cls: 'count added' });
      assert.deepEqual(await page.locator('[data-testid=tree-after] li[data-activity-id]:not(.root)').evaluateAll((lis) => lis.map((li) => li.dataset.activityId)), ['ship']);
      assert.equal(await page.isDisabled('[data-testid=apply-sync]'), true, 'no service to apply to');
      await screenshot(page, '9-static-files');
      check();
    } finally {
      await close();
      await site.close();
    }
  });
});
