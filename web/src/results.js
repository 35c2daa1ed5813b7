// results.js — what the page shows about instances and plans: activity instance trees, a
// simulation (summary, errors, before and after trees, variables, the batch split), an apply's
// progress and its recorded outcome. Pure rendering: every function takes data and returns or
// fills DOM; nothing here calls the core or the service.

import { el } from './dom.js';

/**
 * An activity instance tree (ActivityInstanceDto) as nested lists. `onCancel(instruction)`, when
 * given, adds a "cancel" button per activity and transition instance (cancel by instance id).
 */
export function treeView(tree, { testid, onCancel } = {}) {
  if (!tree) return el('p', { class: 'hint', 'data-testid': testid }, 'No activity instances: the process instance has ended.');
  const node = (a, isRoot) => {
    const label = isRoot ? `process instance ${a.id}` : `${a.activityName ?? a.activityId}`;
    const li = el('li', { 'data-activity-id': a.activityId, class: isRoot ? 'root' : null }, el('span', { class: 'activity' }, label), isRoot ? null : el('small', {}, ` ${a.activityType ?? ''} · ${a.id}`));
    if (onCancel && !isRoot) li.append(cancelButton(() => onCancel({ type: 'cancel', activityInstanceId: a.id })));
    const children = [
      ...(a.childActivityInstances ?? []).map((c) => node(c, false)),
      ...(a.childTransitionInstances ?? []).map((t) => {
        const tli = el('li', { 'data-activity-id': t.activityId, class: 'transition' }, el('span', { class: 'activity' }, `⇢ ${t.activityName ?? t.activityId}`), el('small', {}, ` transition · ${t.id}`));
        if (onCancel) tli.append(cancelButton(() => onCancel({ type: 'cancel', transitionInstanceId: t.id })));
        return tli;
      }),
    ];
    if (children.length) li.append(el('ul', {}, children));
    return li;
  };
  return el('ul', { class: 'tree', 'data-testid': testid }, node(tree, true));
}

function cancelButton(fn) {
  const b = el('button', { type: 'button', class: 'link', 'data-testid': 'tree-cancel', title: 'add: cancel this instance' }, 'cancel');
  b.addEventListener('click', fn);
  return b;
}

/**
 * Fills `root` with a simulation (simulate.js). `picked`: the instance whose trees and variables
 * are shown; onPick(id) when another one is chosen.
 */
export function showSimulation(root, sim, { picked, onPick }) {
  const { summary } = sim;
  const words = sim.use === 'restart' ? 'restart' : 'modification';
  root.replaceChildren(
    el('h3', {}, 'Simulation'),
    el('p', { 'data-testid': 'summary', class: summary.failed ? 'bad' : 'good' }, `${summary.total} instance(s): ${summary.succeeded} would succeed, ${summary.failed} would fail (${words}, simulated in the page by the core).`),
  );
  const errors = errorGroups(sim);
  if (errors.length) {
    root.append(
      el('ul', { class: 'errors', 'data-testid': 'errors' }, errors.map((g) => el('li', { 'data-testid': 'error' }, el('b', {}, `${g.type}: `), g.message, g.ids.length > 1 ? el('small', {}, ` — ${g.ids.length} instances`) : el('small', {}, ` — ${g.ids[0]}`)))),
    );
  }
  const instance = sim.instances.find((i) => i.processInstanceId === picked) ?? sim.instances[0];
  if (!instance) return;
  if (sim.instances.length > 1) {
    const select = el('select', { 'data-testid': 'sim-instance' }, sim.instances.map((i) => el('option', { value: i.processInstanceId, selected: i === instance }, `${i.processInstanceId}${i.ok ? '' : ' (fails)'}`)));
    select.addEventListener('change', () => onPick(select.value));
    root.append(el('label', { class: 'row' }, 'Instance ', select));
  }
  const after = instance.ok
    ? [instance.after.ended ? el('p', { class: 'hint' }, `The instance would end (${instance.after.endState ?? 'ended'}).`) : null, treeView(instance.after.tree, { testid: 'tree-after' })]
    : [el('p', { class: 'bad', 'data-testid': 'tree-after' }, 'The plan fails on this instance: nothing would change.')];
  root.append(
    el('div', { class: 'trees' },
      el('div', {}, el('h4', {}, 'Before'), instance.before ? treeView(instance.before.tree, { testid: 'tree-before' }) : el('p', { class: 'hint', 'data-testid': 'tree-before' }, sim.use === 'restart' ? 'A restart starts a new instance.' : '—')),
      el('div', {}, el('h4', {}, 'After'), ...after),
    ),
  );
  if (instance.ok) {
    root.append(el('h4', {}, 'Variables that would be set'), variablesView(instance.variables));
    root.append(el('p', { class: 'hint' }, `Afterwards: ${instance.tasks.length} task(s), ${instance.jobs.length} job(s)${instance.after.businessKey ? `, business key ${instance.after.businessKey}` : ''}.`));
  }
  root.append(el('h4', {}, 'As a batch'), batchView(sim.batch));
}

// Errors grouped by message, the largest group first (as GET /detour/batch/{id}/failures).
function errorGroups(sim) {
  const groups = new Map();
  for (const i of sim.instances) {
    if (!i.error) continue;
    const key = `${i.error.type}\n${i.error.message}`;
    if (!groups.has(key)) groups.set(key, { ...i.error, ids: [] });
    groups.get(key).ids.push(i.processInstanceId);
  }
  return [...groups.values()].sort((a, b) => b.ids.length - a.ids.length);
}

function variablesView(variables) {
  if (!variables.length) return el('p', { class: 'hint', 'data-testid': 'variables' }, 'None.');
  return el('table', { 'data-testid': 'variables' },
    el('thead', {}, el('tr', {}, ['name', 'type', 'value', 'scope', 'event'].map((h) => el('th', {}, h)))),
    el('tbody', {}, variables.map((v) => el('tr', {}, el('td', {}, v.name), el('td', {}, v.type ?? ''), el('td', { class: 'value' }, short(JSON.stringify(v.value))), el('td', {}, v.local ? `local (${v.scope})` : 'process instance'), el('td', {}, v.event.replace('variable', '').toLowerCase())))),
  );
}

function batchView(batch) {
  const runs = batch.seedRuns ?? [];
  const out = el('div', { 'data-testid': 'batch-split' },
    el('p', {}, `${batch.totalJobs} execution job(s) in ${runs.length} seed job run(s) (up to ${batch.batchJobsPerSeed} jobs per run, ${batch.invocationsPerBatchJob} instance(s) per job).`),
  );
  const rows = [];
  runs.forEach((jobs, r) => jobs.forEach((ids, j) => rows.push(el('tr', {}, el('td', {}, String(r + 1)), el('td', {}, String(j + 1)), el('td', {}, short(ids.join(', '), 120))))));
  if (rows.length) {
    const shown = rows.slice(0, 50);
    out.append(el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'seed run'), el('th', {}, 'job'), el('th', {}, 'instances'))), el('tbody', {}, shown)));
    if (rows.length > shown.length) out.append(el('p', { class: 'hint' }, `… and ${rows.length - shown.length} more jobs.`));
  }
  return out;
}

/** An async apply's progress from GET /batch/statistics (null: the batch is gone). */
export function showProgress(root, { batchId, stats, done, failures }) {
  const total = stats?.totalJobs ?? 1;
  const completed = done ? total : stats?.completedJobs ?? 0;
  const bar = el('progress', { 'data-testid': 'progress', max: String(total), value: String(completed) });
  const text = done
    ? `Batch ${batchId} completed.`
    : `Batch ${batchId}: ${completed} of ${total} job(s) done, ${stats?.failedJobs ?? 0} failed, ${stats?.jobsCreated ?? 0} created.`;
  root.replaceChildren(el('h3', {}, 'Apply'), bar, el('p', { 'data-testid': 'progress-text' }, text));
  if (failures?.length) {
    root.append(el('ul', { class: 'errors' }, failures.map((f) => el('li', {}, `${f.processInstanceId}: ${f.errorMessage ?? 'failed'}`))));
  }
}

/**
 * The recorded outcome after an apply: per instance its tree as the service now has it and
 * whether its counts are the simulated ones. outcome: {title, entries: [{label, tree, matches, note}]}.
 */
export function showOutcome(root, { title, entries }) {
  const box = el('div', { class: 'outcome', 'data-testid': 'outcome' }, el('h3', {}, title));
  for (const e of entries) {
    box.append(
      el('div', { class: 'outcome-entry', 'data-testid': 'outcome-entry' },
        el('p', {}, el('b', {}, e.label), ' ', e.matches == null ? '' : el('span', { class: e.matches ? 'good' : 'bad', 'data-testid': 'outcome-match' }, e.matches ? 'as simulated' : 'differs from the simulation'), e.note ? el('small', {}, ` ${e.note}`) : null),
        treeView(e.tree, { testid: 'tree-outcome' }),
      ),
    );
  }
  if (!entries.length) box.append(el('p', { class: 'hint' }, 'No instance was changed.'));
  root.append(box);
}

/** A service or page error as one line. */
export function showError(root, error) {
  root.replaceChildren(el('p', { class: 'bad', 'data-testid': 'apply-error' }, el('b', {}, `${error.type ?? 'Error'}: `), error.message));
}

function short(text, max = 80) {
  text = String(text);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
