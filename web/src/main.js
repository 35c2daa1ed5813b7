// main.js — the dry-run page (docs/dry-run.md): pick instances (from a service, or from a BPMN
// file and exported state documents), build a modification or restart plan on the diagram,
// simulate it with the core in the page, and apply it through the service.
//
// One state object (`app`) and the handlers that change it; rendering is diagram.js, plan.js and
// results.js, the core work simulate.js and model.js, the requests service.js. The invariant the
// buttons keep: Apply sends exactly the plan and the instances of the last simulation, and only
// while neither has changed since.

import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import './style.css';

import { loadCore } from '../../js/core.js';
import { compareCounts } from '../../js/dry-run.js';
import { Diagram } from './diagram.js';
import { el } from './dom.js';
import { compileModel, treeOf } from './model.js';
import { PlanEditor } from './plan.js';
import { showError, showOutcome, showProgress, showSimulation, treeView } from './results.js';
import { Service, ServiceError } from './service.js';
import { countsOf, simulatePlan, sumCounts } from './simulate.js';

const $ = (id) => document.getElementById(id);

const POLL_MS = 400; // batch statistics while an async apply runs

const app = {
  core: null,
  service: null, // a connected Service
  source: 'service', // where instances come from: 'service' | 'files'
  mode: 'modification', // 'modification' (running instances) | 'restart' (historic ones)
  definitions: [],
  definition: null, // {id, key, name, version, tenantId} of the shown model
  xml: null,
  model: null, // model.js compileModel
  rows: [], // the instances listed: [{id, businessKey, note}]
  selected: [], // their selected ids, in list order
  documents: new Map(), // processInstanceId → export document
  files: { xml: null, documents: [] },
  simulation: null, // {signature, result, picked}
  busy: false,
};

const diagram = new Diagram($('diagram'), { actionsFor, onAction: (i) => plan.add(i) });
const plan = new PlanEditor({ list: $('instructions'), json: $('plan-json'), error: $('plan-json-error') }, planChanged);

// --- start ---------------------------------------------------------------------------------------

// the core is compiled while the page wires itself; whatever needs it waits for it
const coreReady = loadCore(new URL('./detour-core.wasm', import.meta.url)).then((core) => (app.core = core));

wire();
start();

async function start() {
  try {
    await coreReady;
  } catch (e) {
    return status(`The core could not be loaded: ${e.message}`, 'bad');
  }
  status('Core loaded. Connect to a service or load files.');
  // config.json: the service answers with its REST base; the static copy says there is none
  const config = await fetch(new URL('config.json', document.baseURI)).then((r) => (r.ok ? r.json() : {})).catch(() => ({}));
  if (config.engineRest) {
    $('service-url').value = new URL(config.engineRest, document.baseURI).href;
    await guarded(() => connect($('service-url').value));
  } else {
    showTab('files');
    status('No service here: load a BPMN file and saved state documents.');
  }
}

function wire() {
  for (const tab of document.querySelectorAll('[data-tab]')) tab.addEventListener('click', () => guarded(() => switchSource(tab.dataset.tab)));
  $('connect-form').addEventListener('submit', (e) => {
    e.preventDefault();
    guarded(() => connect($('service-url').value));
  });
  $('definition').addEventListener('change', () => guarded(() => pickDefinition($('definition').value)));
  $('query-form').addEventListener('submit', (e) => {
    e.preventDefault();
    guarded(() => listInstances());
  });
  for (const radio of document.querySelectorAll('input[name=mode]')) radio.addEventListener('change', () => guarded(() => switchMode(radio.value)));
  $('file-bpmn').addEventListener('change', () => guarded(readBpmnFile));
  $('file-state').addEventListener('change', () => guarded(readStateFiles));
  $('save-state').addEventListener('click', saveState);
  $('save-bpmn').addEventListener('click', () => download(`${app.definition?.key ?? 'process'}.bpmn`, app.xml, 'application/xml'));
  $('clear').addEventListener('click', () => plan.clear());
  $('simulate').addEventListener('click', () => guarded(simulate));
  $('apply-sync').addEventListener('click', () => guarded(() => apply(false)));
  $('apply-async').addEventListener('click', () => guarded(() => apply(true)));
  for (const id of ['skipCustomListeners', 'skipIoMappings', 'initialVariables', 'withoutBusinessKey']) $(id).addEventListener('change', planChanged);
  document.body.dataset.mode = app.mode;
}

// Runs an action after the ones before it (a user's clicks apply in order, a slow answer never
// overtakes a newer one), with the buttons locked; a refusal (service, files, model) becomes the
// status line. An action must not wait for another guarded one: it would wait for itself.
let queue = Promise.resolve();
function guarded(fn) {
  const run = queue.then(() => runGuarded(fn));
  queue = run.catch(() => {});
  return run;
}

async function runGuarded(fn) {
  app.busy = true;
  refreshButtons();
  try {
    await fn();
  } catch (e) {
    if (e instanceof ServiceError || e?.type || e?.expected) status(`${e.type ? `${e.type}: ` : ''}${e.message}`, 'bad');
    else {
      status(`Unexpected: ${e?.message ?? e}`, 'bad');
      throw e;
    }
  } finally {
    app.busy = false;
    refreshButtons();
  }
}

// --- sources: the service ------------------------------------------------------------------------

async function connect(url) {
  if (!url) throw expected('Enter the REST base URL of a Detour service, e.g. http://localhost:8080/engine-rest.');
  const service = new Service(url);
  await service.engines();
  app.service = service;
  app.definitions = await service.definitions();
  const select = $('definition');
  select.replaceChildren(...app.definitions.map((d) => el('option', { value: d.id }, `${d.name ?? d.key} · v${d.version} · ${d.id}`)));
  select.disabled = !app.definitions.length;
  showTab('service');
  app.source = 'service';
  status(`Connected to ${service.base}: ${app.definitions.length} definition(s).`, 'good');
  if (app.definitions.length) await pickDefinition(select.value);
  else resetModel();
}

async function pickDefinition(id) {
  const definition = app.definitions.find((d) => d.id === id);
  const xml = await app.service.xml(id);
  await useModel(xml, definition);
  await listInstances();
}

async function listInstances() {
  if (app.source !== 'service' || !app.service || !app.definition) return;
  const text = $('query').value.trim();
  let query = null;
  if (text) {
    try {
      query = JSON.parse(text);
    } catch (e) {
      throw expected(`The query is not JSON: ${e.message}`);
    }
  }
  const rows = app.mode === 'restart' ? await app.service.historicInstances(app.definition.id, query) : await app.service.instances(app.definition.id, query);
  const keep = new Set(app.selected);
  app.rows = rows.map((r) => ({
    id: r.id,
    businessKey: r.businessKey ?? null,
    note: app.mode === 'restart' ? `${r.state ?? 'ended'}${r.endTime ? ` ${r.endTime}` : ''}` : r.suspended ? 'suspended' : '',
  }));
  renderInstances(app.rows.filter((r) => keep.has(r.id)).map((r) => r.id));
  await selectionChanged();
}

// --- sources: files ------------------------------------------------------------------------------

async function readBpmnFile() {
  const file = $('file-bpmn').files[0];
  app.files.xml = file ? await file.text() : null;
  await useFiles();
}

async function readStateFiles() {
  const documents = [];
  for (const file of $('file-state').files) {
    let doc;
    try {
      doc = JSON.parse(await file.text());
    } catch (e) {
      throw expected(`${file.name} is not JSON: ${e.message}`);
    }
    for (const d of Array.isArray(doc) ? doc : [doc]) {
      if (d?.format !== 'detour-state/1') throw expected(`${file.name} is not a Detour state document (format detour-state/1).`);
      documents.push(d);
    }
  }
  app.files.documents = documents;
  await useFiles();
}

async function useFiles() {
  app.source = 'files';
  const { xml, documents } = app.files;
  app.documents = new Map(documents.map((d) => [d.processInstanceId, d]));
  app.rows = documents.map((d) => ({ id: d.processInstanceId, businessKey: d.state?.businessKey ?? d.history?.processInstance?.businessKey ?? null, note: d.state ? 'running' : (d.history?.processInstance?.state ?? 'ended') }));
  if (!xml) {
    resetModel();
    renderInstances(app.rows.map((r) => r.id));
    return status(documents.length ? 'Now load the BPMN the instances run on.' : 'Load a BPMN file and state documents.');
  }
  const first = documents[0];
  const definition = first
    ? { id: first.processDefinitionId, key: first.processDefinitionKey, version: first.processDefinitionVersion, tenantId: first.tenantId }
    : { id: null, key: null };
  await useModel(xml, definition);
  if (documents.length) setMode(documents.some((d) => d.state) ? 'modification' : 'restart');
  renderInstances(app.rows.map((r) => r.id));
  await selectionChanged();
  status(`Loaded ${app.definition.key} and ${documents.length} state document(s) from files.`, 'good');
}

// --- model, instances, selection -------------------------------------------------------------------

async function useModel(xml, definition) {
  await coreReady;
  try {
    app.model = await compileModel(app.core, xml, definition, app.model);
  } catch (e) {
    app.model = null;
    throw expected(`The BPMN cannot be used: ${e.message}`);
  }
  app.xml = xml;
  app.definition = app.model.definition;
  app.simulation = null;
  $('simulation').replaceChildren();
  $('apply').replaceChildren();
  const drawn = await diagram.show(xml, app.model);
  if (!drawn) status('The BPMN has no diagram information: its elements are listed instead.');
}

function resetModel() {
  if (app.model) app.core.release(app.model.handle);
  Object.assign(app, { model: null, definition: null, xml: null, simulation: null, rows: [], selected: [] });
  $('diagram').replaceChildren(el('p', { class: 'hint' }, 'No model loaded.'));
  for (const id of ['current', 'simulation', 'apply']) $(id).replaceChildren();
  renderInstances([]);
}

function renderInstances(checked) {
  const box = $('instances');
  const wanted = new Set(checked);
  const boxes = app.rows.map((r) => {
    const input = el('input', { type: 'checkbox', value: r.id, 'data-testid': 'instance-checkbox', checked: wanted.has(r.id) });
    input.addEventListener('change', () => guarded(selectionChanged));
    return el('label', { class: 'instance' }, input, ` ${r.id}`, r.businessKey ? el('small', {}, ` · ${r.businessKey}`) : null, r.note ? el('small', {}, ` · ${r.note}`) : null);
  });
  const what = app.mode === 'restart' ? 'historic (finished) instance(s)' : 'running instance(s)';
  if (!app.rows.length) {
    box.replaceChildren(el('p', { class: 'hint' }, app.model ? `No ${what}.` : ''));
  } else {
    const all = el('input', { type: 'checkbox', 'data-testid': 'select-all', checked: wanted.size === app.rows.length });
    all.addEventListener('change', () => {
      for (const b of box.querySelectorAll('[data-testid=instance-checkbox]')) b.checked = all.checked;
      guarded(selectionChanged);
    });
    box.replaceChildren(el('label', { class: 'instance all' }, all, ` all ${app.rows.length} ${what}`), ...boxes);
  }
  app.selected = app.rows.filter((r) => wanted.has(r.id)).map((r) => r.id);
}

async function selectionChanged() {
  const ids = [...$('instances').querySelectorAll('[data-testid=instance-checkbox]:checked')].map((b) => b.value);
  const missing = ids.filter((id) => !app.documents.has(id));
  if (missing.length && app.source === 'service') {
    status(`Loading ${missing.length} state document(s)…`);
    const docs = await app.service.exportStates(missing);
    docs.forEach((d) => app.documents.set(d.processInstanceId, d));
  }
  app.selected = ids;
  const all = $('instances').querySelector('[data-testid=select-all]');
  if (all) all.checked = ids.length === app.rows.length;
  showCurrent();
  planChanged();
  if (ids.length) status(`${ids.length} instance(s) selected.`);
}

function selectedDocuments() {
  return app.selected.map((id) => app.documents.get(id)).filter(Boolean);
}

// The selected instances as they are: counts on the diagram, the tree of the first.
function showCurrent() {
  const root = $('current');
  const docs = selectedDocuments();
  if (!app.model || !docs.length) {
    root.replaceChildren();
    if (app.model) diagram.showCounts({});
    return;
  }
  diagram.showCounts(currentCounts());
  const doc = docs[0];
  const title = docs.length > 1 ? `Current state (${docs.length} instances; the first shown)` : 'Current state';
  if (app.mode === 'restart') {
    const h = doc.history?.processInstance;
    root.replaceChildren(el('h3', {}, title), el('p', {}, h ? `Historic instance ${h.id}: ${h.state ?? ''}, ended ${time(h.endTime)}${h.businessKey ? `, business key ${h.businessKey}` : ''}.` : `No history of ${doc.processInstanceId}.`));
    return;
  }
  // cancel by activity instance id: only in a single-instance modification
  const onCancel = docs.length === 1 ? (i) => plan.add(i) : null;
  root.replaceChildren(el('h3', {}, title), treeView(treeOf(app.core, app.model, doc.state), { testid: 'tree-current', onCancel }));
}

function currentCounts() {
  if (app.mode === 'restart') return {};
  return sumCounts(selectedDocuments().map((d) => countsOf(app.core, app.model, d)));
}

// --- mode and source -------------------------------------------------------------------------------

async function switchMode(mode) {
  setMode(mode);
  if (app.source === 'service') await listInstances();
  else {
    showCurrent();
    planChanged();
  }
}

function setMode(mode) {
  app.mode = mode;
  document.body.dataset.mode = mode;
  for (const radio of document.querySelectorAll('input[name=mode]')) radio.checked = radio.value === mode;
}

async function switchSource(source) {
  showTab(source);
  if (source === app.source) return;
  app.documents = new Map();
  if (source === 'files') return useFiles();
  app.source = 'service';
  if (app.service && $('definition').value) await pickDefinition($('definition').value);
  else resetModel();
}

function showTab(source) {
  for (const tab of document.querySelectorAll('[data-tab]')) tab.setAttribute('aria-selected', String(tab.dataset.tab === source));
  for (const panel of document.querySelectorAll('[data-panel]')) panel.hidden = panel.dataset.panel !== source;
}

// --- the plan ----------------------------------------------------------------------------------------

function actionsFor(kind, id) {
  if (kind === 'flow') return [{ label: 'start transition', testid: 'menu-start-transition', instruction: { type: 'startTransition', transitionId: id } }];
  const actions = [
    { label: 'start before', testid: 'menu-start-before', instruction: { type: 'startBeforeActivity', activityId: id } },
    { label: 'start after', testid: 'menu-start-after', instruction: { type: 'startAfterActivity', activityId: id } },
  ];
  if (app.mode === 'modification') actions.push({ label: 'cancel', testid: 'menu-cancel', instruction: { type: 'cancel', activityId: id } });
  return actions;
}

function currentPlan() {
  const flag = (id) => $(id).checked;
  const restart = app.mode === 'restart';
  return {
    instructions: plan.instructions,
    skipCustomListeners: flag('skipCustomListeners'),
    skipIoMappings: flag('skipIoMappings'),
    initialVariables: restart && flag('initialVariables'),
    withoutBusinessKey: restart && flag('withoutBusinessKey'),
  };
}

function batchSettings() {
  const n = (id) => Math.max(1, Number.parseInt($(id).value, 10) || 1);
  return { batchJobsPerSeed: n('batchJobsPerSeed'), invocationsPerBatchJob: n('invocationsPerBatchJob') };
}

// What a simulation was run for: the plan, the mode and the instances.
function signature() {
  return JSON.stringify({ mode: app.mode, ids: app.selected, definition: app.definition?.id, plan: currentPlan() });
}

function planChanged() {
  if (app.simulation && app.simulation.signature !== signature()) {
    app.simulation = null;
    $('simulation').classList.add('stale');
    if (app.model) diagram.showCounts(currentCounts());
  }
  refreshButtons();
}

function refreshButtons() {
  const ready = !app.busy && !!app.model && app.selected.length > 0;
  $('simulate').disabled = !ready || !plan.valid;
  const canApply = ready && app.source === 'service' && !!app.service && !!app.simulation;
  $('apply-sync').disabled = !canApply;
  $('apply-async').disabled = !canApply;
  $('save-state').disabled = app.busy || !selectedDocuments().length;
  $('save-bpmn').disabled = app.busy || !app.xml;
  $('apply-hint').textContent =
    app.source !== 'service' ? 'Apply needs a connected service (the Service tab).' : app.simulation ? 'Apply sends the simulated plan to the service.' : 'Simulate first: Apply sends the simulated plan.';
}

// --- simulate ------------------------------------------------------------------------------------------

function simulate() {
  const result = simulatePlan(app.core, app.model, { mode: app.mode, documents: selectedDocuments(), plan: currentPlan(), batch: batchSettings() });
  app.simulation = { signature: signature(), result, picked: result.instances[0]?.processInstanceId };
  renderSimulation();
  diagram.showChanges(result.changes);
  const { succeeded, failed } = result.summary;
  status(`Simulated: ${succeeded} would succeed, ${failed} would fail.`, failed ? 'bad' : 'good');
}

function renderSimulation() {
  const root = $('simulation');
  root.classList.remove('stale');
  showSimulation(root, app.simulation.result, {
    picked: app.simulation.picked,
    onPick: (id) => {
      app.simulation.picked = id;
      renderSimulation();
    },
  });
}

// --- apply ---------------------------------------------------------------------------------------------

async function apply(async) {
  const { result } = app.simulation;
  const ids = [...app.selected];
  const definitionId = app.definition.id;
  const root = $('apply');
  root.replaceChildren(el('h3', {}, 'Apply'), el('p', {}, async ? 'Creating the batch…' : 'Applying…'));
  // a restart's new instances are told apart from earlier restarts' by what existed before
  const earlier = result.use === 'restart' ? new Set((await app.service.restartedFrom(definitionId, ids)).map((r) => r.id)) : null;
  let batch;
  try {
    batch = await app.service.apply({ use: result.use, definitionId, ids, plan: currentPlan(), async });
  } catch (e) {
    if (!(e instanceof ServiceError)) throw e;
    showError(root, e);
    return status(`The service refused the plan: ${e.message}`, 'bad');
  }
  app.simulation = null; // the instances changed: a new plan needs a new simulation
  let failures = [];
  if (async) failures = await watchBatch(root, batch.id);
  else root.replaceChildren(el('h3', {}, 'Apply'), el('p', { 'data-testid': 'apply-done' }, `Applied to ${ids.length} instance(s).`));
  await showRecorded(root, result, ids, { earlier, failures });
}

// Polls the batch's statistics until it is gone (the monitor job ends it once every job ran) or
// stuck: every job left has failed with no retries, and waits for an operator (PUT
// /job/{id}/retries, DELETE /batch/{id}). → the failed instances [{processInstanceId, errorMessage}].
async function watchBatch(root, batchId) {
  let stats = null;
  for (;;) {
    const next = await app.service.batchStatistics(batchId);
    if (!next) break;
    stats = next;
    // a job at 0 retries keeps the batch (and so its instance rows) until an operator acts
    const failures = stats.failedJobs > 0 ? (await app.service.batchInstances(batchId)).filter((r) => r.state === 'failed') : [];
    showProgress(root, { batchId, stats, failures });
    if (stats.failedJobs > 0 && stats.remainingJobs === stats.failedJobs) {
      root.append(el('p', { class: 'bad', 'data-testid': 'batch-stuck' }, `${stats.failedJobs} job(s) failed with no retries left: the batch waits for an operator (PUT /job/{id}/retries, or DELETE /batch/${batchId}).`));
      return failures;
    }
    status(`Batch ${batchId}: ${stats.completedJobs} of ${stats.totalJobs} job(s) done.`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const historic = await app.service.historicBatch(batchId);
  showProgress(root, { batchId, stats: stats ?? { totalJobs: historic.totalJobs }, done: true });
  root.append(el('p', { class: 'hint' }, `Started ${historic.startTime}, ended ${historic.endTime ?? '—'}.`));
  return [];
}

// What the service recorded, per instance, next to what the simulation said.
async function showRecorded(root, sim, ids, { earlier, failures }) {
  const expected = new Map(sim.instances.map((i) => [i.processInstanceId, i]));
  const failed = new Map(failures.map((f) => [f.processInstanceId, f.errorMessage ?? 'failed']));
  const entries = [];
  let recorded;
  if (sim.use === 'restart') {
    const rows = (await app.service.restartedFrom(app.definition.id, ids)).filter((r) => !earlier.has(r.id));
    const docs = await app.service.exportStates(rows.map((r) => r.id));
    recorded = docs.map((doc, k) => ({ doc, source: rows[k].restartedProcessInstanceId, label: `${doc.processInstanceId} (restarted from ${rows[k].restartedProcessInstanceId})` }));
  } else {
    const docs = await app.service.exportStates(ids);
    docs.forEach((d) => app.documents.set(d.processInstanceId, d));
    recorded = docs.map((doc) => ({ doc, source: doc.processInstanceId, label: doc.processInstanceId }));
  }
  const counts = [];
  for (const { doc, source, label } of recorded) {
    const c = countsOf(app.core, app.model, doc);
    counts.push(c);
    const simulated = expected.get(source);
    const matches = simulated?.ok ? sameCounts(c, simulated.after.counts) : null;
    const note = failed.has(source) ? `failed in the batch: ${failed.get(source)}` : doc.state ? '' : 'ended';
    entries.push({ label, tree: treeOf(app.core, app.model, doc.state), matches, note });
  }
  showOutcome(root, { title: 'Recorded outcome', entries });
  if (sim.use !== 'restart') showCurrent();
  diagram.showChanges(compareCounts(sim.before, sumCounts(counts))); // what the apply did
  status(`Applied: ${entries.filter((e) => e.matches).length} of ${entries.length} instance(s) as simulated.`, 'good');
}

function sameCounts(a, b) {
  const diff = compareCounts(a, b);
  return Object.values(diff).every((d) => d.delta === 0);
}

// --- saving --------------------------------------------------------------------------------------------

function saveState() {
  const docs = selectedDocuments();
  const body = docs.length === 1 ? docs[0] : docs;
  download(docs.length === 1 ? `${docs[0].processInstanceId}.state.json` : `${app.definition?.key ?? 'instances'}.states.json`, JSON.stringify(body, null, 2), 'application/json');
}

function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// --- status ----------------------------------------------------------------------------------------------

function status(text, kind = '') {
  const node = $('status');
  node.textContent = text;
  node.className = kind;
}

// Epoch ms (the state documents' clock) or a REST date, as a date.
function time(value) {
  return typeof value === 'number' ? new Date(value).toISOString() : (value ?? '—');
}

function expected(message) {
  const e = new Error(message);
  e.expected = true;
  return e;
}
