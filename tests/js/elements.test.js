// elements.test.js — every BPMN fixture of tests/fixtures/bpmn/ (see its README) driven through the
// public Engine API to its end: the activity instance tree and the tasks, jobs, external tasks and
// message subscriptions at each waiting point, the variables that result, and the history left
// behind. The unsupported-* / invalid-* fixtures are refused at deploy time and store nothing.
//
// Expectations follow Camunda 7 (../shared/spec/semantics.md), with Detour's documented deviations
// (docs/compatibility.md, docs/bpmn-coverage.md) where they apply.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { BpmnError, CoreError, createEngine, loadCore } from '../../js/index.js';
import { coreModule, fixture, root, T0 } from './support.js';



const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// Typed values, as the REST API takes them.
const int = (value) => ({ value, type: 'Integer' });
const bool = (value) => ({ value, type: 'Boolean' });
const str = (value) => ({ value, type: 'String' });
const json = (value) => ({ value, type: 'Json' });
const date = (value) => ({ value, type: 'Date' });

// --- the engine under test --------------------------------------------------------------------------

/** A fresh engine over a memory store, with a clock that only moves when told and counted ids. */
async function newEngine() {
  let now = T0;
  let n = 0;
  const clock = () => now;
  clock.advance = (ms) => {
    now += ms;
  };
  const engine = await createEngine({
    core: await loadCore(coreModule),
    clock,
    ids: () => (++n).toString(16).padStart(32, '0'),
  });
  return { engine, clock };
}

/** An engine with the given fixtures deployed. */
async function engineWith(...fixtures) {
  const env = await newEngine();
  for (const name of fixtures) await env.engine.deploy(fixture(name));
  return env;
}

/** A fixture with some of its text replaced; each `from` must occur, so a changed fixture fails loudly. */
function fixtureWith(name, replacements) {
  let xml = fixture(name);
  for (const [from, to] of replacements) {
    assert.ok(xml.includes(from), `${name} no longer contains ${from}`);
    xml = xml.replace(from, to);
  }
  return xml;
}

// --- reading the state at a waiting point -------------------------------------------------------------

/**
 * The activity instance tree as a string: the root (the process instance) is `proc`, each node is
 * its activityId followed by its children in parentheses, sorted by name; transition instances
 * (tokens parked at an async continuation) are marked `~activityId`.
 * Example: proc(sub(subTask),taskB).
 */
function shape(node, isRoot = true) {
  const children = [
    ...node.childActivityInstances.map((child) => shape(child, false)),
    ...node.childTransitionInstances.map((t) => `~${t.activityId}`),
  ].sort();
  const name = isRoot ? 'proc' : node.activityId;
  return children.length ? `${name}(${children.join(',')})` : name;
}

/** A due date to the minute, in UTC: 2026-01-01T10:00. */
const dueAt = (ms) => new Date(ms).toISOString().slice(0, 16);

/**
 * Everything an instance waits on: {tree, tasks, jobs, externalTasks, subscriptions}, each list
 * sorted. Kinds with nothing in them are left out, so an expectation that does not mention jobs
 * (say) asserts that there are none. Tasks are task definition keys; jobs `<jobType> <activityId>`
 * plus the due date when there is one; external tasks `<topic>:<activityId>`; message
 * subscriptions `<messageName>@<activityId>`.
 */
async function at(engine, pi) {
  const out = { tree: shape(await engine.activityInstances(pi)) };
  const tasks = (await engine.tasks({ processInstanceId: pi })).map((t) => t.taskDefinitionKey);
  const jobs = (await engine.jobs({ processInstanceId: pi })).map(
    (j) => `${j.jobType} ${j.activityId}${j.dueDate == null ? '' : ` ${dueAt(j.dueDate)}`}`,
  );
  const externalTasks = (await engine.externalTasks({ processInstanceId: pi })).map((t) => `${t.topicName}:${t.activityId}`);
  // The engine has no query for event subscriptions: read the store's index rows.
  const subscriptions = (await engine.store.rows('subscriptions', { processInstanceId: pi })).map((s) => `${s.eventName}@${s.activityId}`);
  for (const [kind, list] of Object.entries({ tasks, jobs, externalTasks, subscriptions })) {
    if (list.length) out[kind] = list.sort();
  }
  return out;
}

/** Plain {name: value} of a typed variable map. */
const values = (typed) => Object.fromEntries(Object.entries(typed).map(([name, v]) => [name, v.value]));

/** The variables visible from an instance or execution, as plain values. */
async function vars(engine, executionId, options) {
  return values(await engine.variables(executionId, options));
}

/** The one task of `pi` with definition key `key`. */
async function task(engine, pi, key) {
  const tasks = await engine.tasks({ processInstanceId: pi, taskDefinitionKey: key });
  assert.equal(tasks.length, 1, `expected one '${key}' task, found ${tasks.length}`);
  return tasks[0];
}

/** Completes the one task of `pi` with definition key `key`. */
async function complete(engine, pi, key, variables) {
  await engine.completeTask((await task(engine, pi, key)).id, variables);
}

/** The one job of `pi`. */
async function onlyJob(engine, pi) {
  const jobs = await engine.jobs({ processInstanceId: pi });
  assert.equal(jobs.length, 1, `expected one job, found ${jobs.length}`);
  return jobs[0];
}

/** Historic activity instances of `pi` (optionally of one activity). */
const history = (engine, pi, activityId) => engine.historicActivityInstances({ processInstanceId: pi, activityId });

/** The activity ids of the historic activity instances of `pi` that were canceled, sorted. */
async function canceled(engine, pi) {
  return (await history(engine, pi)).filter((a) => a.canceled).map((a) => a.activityId).sort();
}

/** The activity ids of the historic activity instances of `pi` still running, sorted. */
async function running(engine, pi) {
  return (await history(engine, pi)).filter((a) => a.endTime == null).map((a) => a.activityId).sort();
}

/**
 * Asserts that `pi` left the runtime with nothing behind, and that its historic process instance
 * ended in `state` (and at `endActivityId`, when given). → the historic process instance.
 */
async function assertEnded(engine, pi, state, { endActivityId } = {}) {
  assert.deepEqual(await engine.processInstances({ processInstanceId: pi }), [], 'the instance left the runtime');
  await assert.rejects(engine.activityInstances(pi), (e) => e instanceof CoreError && e.type === 'NotFoundException');
  assert.deepEqual(await engine.tasks({ processInstanceId: pi }), []);
  assert.deepEqual(await engine.jobs({ processInstanceId: pi }), []);
  assert.deepEqual(await engine.externalTasks({ processInstanceId: pi }), []);
  assert.deepEqual(await engine.store.rows('subscriptions', { processInstanceId: pi }), []);
  assert.deepEqual(await engine.incidents({ processInstanceId: pi }), []);
  const [hpi] = await engine.historicProcessInstances({ processInstanceId: pi });
  assert.equal(hpi.state, state);
  assert.notEqual(hpi.endTime, null);
  if (endActivityId !== undefined) assert.equal(hpi.endActivityId, endActivityId);
  assert.deepEqual(await running(engine, pi), [], 'no historic activity instance is left open');
  return hpi;
}

/** The final values of the historic variables of `pi`'s own scope (not of inner executions), by name. */
async function historicValues(engine, pi) {
  const rows = await engine.historicVariableInstances({ processInstanceId: pi, executionId: pi });
  return Object.fromEntries(rows.map((v) => [v.name, v.value]).sort(([a], [b]) => a.localeCompare(b)));
}

/** Everything the store holds, to compare before and after a failing call. */
async function snapshot(store) {
  const rows = {};
  for (const kind of ['tasks', 'externalTasks', 'jobs', 'subscriptions', 'incidents']) rows[kind] = await store.rows(kind);
  const hist = {};
  for (const kind of ['processInstance', 'activityInstance', 'variableInstance', 'detail', 'taskInstance', 'incident']) {
    hist[kind] = await store.history(kind);
  }
  return JSON.stringify({ instances: await store.instances(), definitions: await store.definitions(), rows, hist });
}

// =====================================================================================================
// Tasks and pass-through activities
// =====================================================================================================

test('a user task waits for its assignee, and completing it completes the process', async () => {
  const { engine, clock } = await engineWith('user-task.bpmn');
  const pi = (await engine.startProcessInstanceByKey('userTaskProcess', { businessKey: 'order-1' })).id;

  assert.deepEqual(await at(engine, pi), { tree: 'proc(task)', tasks: ['task'] });
  const doIt = await task(engine, pi, 'task');
  assert.equal(doIt.assignee, 'demo');
  assert.equal(doIt.name, 'Do it');

  clock.advance(5 * MINUTE);
  await engine.completeTask(doIt.id, { approved: bool(true) });

  const hpi = await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'end' });
  assert.equal(hpi.businessKey, 'order-1');
  assert.equal(hpi.durationInMillis, 5 * MINUTE);
  assert.deepEqual(await historicValues(engine, pi), { approved: true });
  const [htask] = await engine.historicTaskInstances({ processInstanceId: pi });
  assert.equal(htask.taskState, 'Completed');
  assert.equal(htask.assignee, 'demo');
});

test('two user tasks in a row wait one after the other', async () => {
  const { engine } = await engineWith('two-tasks.bpmn');
  const pi = (await engine.startProcessInstanceByKey('twoTasks')).id;

  assert.deepEqual(await at(engine, pi), { tree: 'proc(a)', tasks: ['a'] });
  await complete(engine, pi, 'a');
  assert.deepEqual(await at(engine, pi), { tree: 'proc(b)', tasks: ['b'] });
  await complete(engine, pi, 'b');

  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'end' });
});

test('manual tasks and plain tasks pass straight through; only the user task waits', async () => {
  const { engine } = await engineWith('five-activities.bpmn');
  const pi = (await engine.startProcessInstanceByKey('fiveActivities')).id;

  assert.deepEqual(await at(engine, pi), { tree: 'proc(review)', tasks: ['review'] });
  assert.deepEqual(await running(engine, pi), ['review'], 'start and the manual task t1 are already done');

  await complete(engine, pi, 'review');

  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'end' });
  const acts = await history(engine, pi);
  assert.deepEqual(
    acts.map((a) => [a.activityId, a.activityType]),
    [['start', 'startEvent'], ['t1', 'manualTask'], ['review', 'userTask'], ['t2', 'task'], ['end', 'noneEndEvent']],
  );
});

test('a none intermediate throw event is passed on the way to the next wait state', async () => {
  const { engine } = await engineWith('intermediate-none-throw.bpmn');
  const pi = (await engine.startProcessInstanceByKey('intermediateNoneThrowProcess')).id;

  assert.deepEqual(await at(engine, pi), { tree: 'proc(after)', tasks: ['after'] });
  const [milestone] = await history(engine, pi, 'milestone');
  assert.equal(milestone.activityType, 'intermediateNoneThrowEvent');
  assert.equal(milestone.endTime, T0);

  await complete(engine, pi, 'after');
  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'end' });
});

// =====================================================================================================
// Gateways
// =====================================================================================================

test('an exclusive gateway takes the first flow whose condition holds, else its default flow', async () => {
  const { engine } = await engineWith('exclusive-gateway.bpmn');

  // A large amount needs approval.
  const large = (await engine.startProcessInstanceByKey('exclusiveGatewayProcess', { variables: { amount: int(500) } })).id;
  assert.deepEqual(await at(engine, large), { tree: 'proc(approve)', tasks: ['approve'] });

  // A small amount is approved automatically: the instance runs to its end at once.
  const small = (await engine.startProcessInstanceByKey('exclusiveGatewayProcess', { variables: { amount: int(5) } })).id;
  await assertEnded(engine, small, 'COMPLETED', { endActivityId: 'end' });
  assert.deepEqual((await history(engine, small)).map((a) => a.activityId), ['start', 'gateway', 'autoApprove', 'end']);

  // Anything in between takes the default flow to a review.
  const medium = (await engine.startProcessInstanceByKey('exclusiveGatewayProcess', { variables: { amount: int(50) } })).id;
  assert.deepEqual(await at(engine, medium), { tree: 'proc(review)', tasks: ['review'] });

  await complete(engine, large, 'approve');
  await complete(engine, medium, 'review');
  await assertEnded(engine, large, 'COMPLETED');
  await assertEnded(engine, medium, 'COMPLETED');
});

test('an exclusive gateway whose condition cannot be evaluated fails the start and stores nothing', async () => {
  const { engine } = await engineWith('exclusive-gateway.bpmn');
  const before = await snapshot(engine.store);
  await assert.rejects(
    engine.startProcessInstanceByKey('exclusiveGatewayProcess'),
    (e) => e instanceof CoreError && e.type === 'ProcessEngineException' && /amount/.test(e.message) && /toApprove/.test(e.message),
  );
  assert.equal(await snapshot(engine.store), before);
});

test('a parallel gateway forks a token per flow, and the join continues once both have arrived', async () => {
  const { engine, clock } = await engineWith('parallel-fork-join.bpmn');
  const pi = (await engine.startProcessInstanceByKey('parallelProcess')).id;

  assert.deepEqual(await at(engine, pi), { tree: 'proc(taskA,taskB)', tasks: ['taskA', 'taskB'] });

  await complete(engine, pi, 'taskB');
  assert.deepEqual((await engine.tasks({ processInstanceId: pi })).map((t) => t.taskDefinitionKey), ['taskA']);

  clock.advance(MINUTE);
  await complete(engine, pi, 'taskA');
  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'end' });
  const joins = await history(engine, pi, 'join');
  assert.equal(joins.length, 2, 'one join activity instance per arriving token');
  assert.equal((await history(engine, pi, 'end')).length, 1, 'one token leaves the join');
});

// Camunda keeps a token that waits at a join as an (inactive) execution with an activity instance
// of the gateway: GetActivityInstanceCmd shows it (Camunda's own upgrade tests expect
// `.activity("task1").activity("join")`), and its historic activity instance ends only when the
// join fires.
test('a token that reaches the parallel join first waits there as an activity instance of the join', async () => {
  const { engine, clock } = await engineWith('parallel-fork-join.bpmn');
  const pi = (await engine.startProcessInstanceByKey('parallelProcess')).id;

  await complete(engine, pi, 'taskB');
  assert.deepEqual(await at(engine, pi), { tree: 'proc(join,taskA)', tasks: ['taskA'] });
  assert.deepEqual(await running(engine, pi), ['join', 'taskA'], 'the waiting join activity instance is not finished');

  clock.advance(MINUTE);
  await complete(engine, pi, 'taskA');
  const joins = await history(engine, pi, 'join');
  assert.deepEqual(joins.map((j) => [j.endTime, j.canceled]), [[T0 + MINUTE, false], [T0 + MINUTE, false]], 'both join instances end when the join fires');
});

test('an inclusive gateway activates every flow whose condition holds, else the default, and joins only those', async () => {
  const { engine } = await engineWith('inclusive-gateway.bpmn');

  // a and b: two tokens, and the join waits for both.
  const both = (await engine.startProcessInstanceByKey('inclusiveProcess', { variables: { a: bool(true), b: bool(true) } })).id;
  assert.deepEqual(await at(engine, both), { tree: 'proc(taskA,taskB)', tasks: ['taskA', 'taskB'] });
  await complete(engine, both, 'taskA');
  assert.deepEqual((await engine.tasks({ processInstanceId: both })).map((t) => t.taskDefinitionKey), ['taskB']);
  await complete(engine, both, 'taskB');
  await assertEnded(engine, both, 'COMPLETED', { endActivityId: 'end' });
  assert.equal((await history(engine, both, 'end')).length, 1);

  // Only b: one token, which the join lets through at once.
  const onlyB = (await engine.startProcessInstanceByKey('inclusiveProcess', { variables: { a: bool(false), b: bool(true) } })).id;
  assert.deepEqual(await at(engine, onlyB), { tree: 'proc(taskB)', tasks: ['taskB'] });
  await complete(engine, onlyB, 'taskB');
  await assertEnded(engine, onlyB, 'COMPLETED');

  // Neither: the default flow to taskC.
  const neither = (await engine.startProcessInstanceByKey('inclusiveProcess', { variables: { a: bool(false), b: bool(false) } })).id;
  assert.deepEqual(await at(engine, neither), { tree: 'proc(taskC)', tasks: ['taskC'] });
  await complete(engine, neither, 'taskC');
  await assertEnded(engine, neither, 'COMPLETED');
  assert.deepEqual(
    (await history(engine, neither)).map((a) => a.activityId),
    ['start', 'fork', 'taskC', 'join', 'end'],
  );
});

test('a token that reaches the inclusive join while another can still arrive waits there as an activity instance', async () => {
  const { engine, clock } = await engineWith('inclusive-gateway.bpmn');
  const pi = (await engine.startProcessInstanceByKey('inclusiveProcess', { variables: { a: bool(true), b: bool(true) } })).id;

  await complete(engine, pi, 'taskA');
  assert.deepEqual(await at(engine, pi), { tree: 'proc(join,taskB)', tasks: ['taskB'] });
  assert.deepEqual(await running(engine, pi), ['join', 'taskB']);

  clock.advance(MINUTE);
  await complete(engine, pi, 'taskB');
  const joins = await history(engine, pi, 'join');
  assert.deepEqual(joins.map((j) => j.endTime), [T0 + MINUTE, T0 + MINUTE]);
});

// =====================================================================================================
// Scopes: embedded subprocesses, input/output mappings
// =====================================================================================================

test('an embedded subprocess is a scope of its own: its task runs inside it, and its local variables end with it', async () => {
  const { engine } = await engineWith('embedded-subprocess.bpmn');
  const pi = (await engine.startProcessInstanceByKey('subProcessProcess', { variables: { order: str('o-1') } })).id;

  assert.deepEqual(await at(engine, pi), { tree: 'proc(sub(subTask))', tasks: ['subTask'] });
  const tree = await engine.activityInstances(pi);
  const [sub] = tree.childActivityInstances;
  assert.equal(sub.activityType, 'subProcess');
  assert.equal(sub.parentActivityInstanceId, pi);
  assert.equal(sub.childActivityInstances[0].parentActivityInstanceId, sub.id);

  // The task's execution is the subprocess scope: a local variable there is not the instance's.
  const inside = await task(engine, pi, 'subTask');
  assert.notEqual(inside.executionId, pi);
  await engine.setVariables(inside.executionId, { note: str('scoped') }, { local: true });
  assert.deepEqual(await vars(engine, inside.executionId), { order: 'o-1', note: 'scoped' });
  assert.deepEqual(await vars(engine, pi), { order: 'o-1' });

  await engine.completeTask(inside.id, { handled: bool(true) });
  assert.deepEqual(await at(engine, pi), { tree: 'proc(afterSub)', tasks: ['afterSub'] });
  assert.deepEqual(await vars(engine, pi), { order: 'o-1', handled: true }, 'the completion variable went to the instance; note ended with sub');

  await complete(engine, pi, 'afterSub');
  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'end' });
  const [subRow] = await history(engine, pi, 'sub');
  const [subTaskRow] = await history(engine, pi, 'subTask');
  assert.equal(subTaskRow.parentActivityInstanceId, subRow.id);
  assert.equal(subRow.canceled, false);
});

test('deleting an instance inside a subprocess cancels every open activity instance and keeps the history', async () => {
  const { engine, clock } = await engineWith('embedded-subprocess.bpmn');
  const pi = (await engine.startProcessInstanceByKey('subProcessProcess')).id;
  assert.deepEqual(await at(engine, pi), { tree: 'proc(sub(subTask))', tasks: ['subTask'] });

  clock.advance(MINUTE);
  await engine.deleteProcessInstance(pi, { reason: 'customer withdrew' });

  const hpi = await assertEnded(engine, pi, 'EXTERNALLY_TERMINATED');
  assert.equal(hpi.deleteReason, 'customer withdrew');
  assert.equal(hpi.endTime, T0 + MINUTE);
  assert.deepEqual(await canceled(engine, pi), ['sub', 'subTask']);
  const [htask] = await engine.historicTaskInstances({ processInstanceId: pi });
  assert.equal(htask.taskState, 'Deleted');
  await assert.rejects(engine.deleteProcessInstance(pi), (e) => e.type === 'NotFoundException');
});

test('input mappings create local variables of the activity, output mappings write to the enclosing scope', async () => {
  const { engine } = await engineWith('input-output.bpmn');
  const pi = (await engine.startProcessInstanceByKey('inputOutputProcess', { variables: { amount: int(7) } })).id;

  // The mapped user task: its inputs are local to its own execution, not visible from the instance.
  assert.deepEqual(await at(engine, pi), { tree: 'proc(task)', tasks: ['task'] });
  const mapped = await task(engine, pi, 'task');
  assert.notEqual(mapped.executionId, pi, 'a task with input mappings runs in its own scope');
  const local = await engine.variables(mapped.executionId, { local: true });
  assert.deepEqual(
    Object.fromEntries(Object.entries(local).map(([name, v]) => [name, [v.type, v.value]])),
    {
      literal: ['String', 'hello'],
      doubled: ['Long', 14],
      nothing: ['Null', null],
      items: ['Json', '["a",7,["nested"]]'],
      config: ['Json', '{"mode":"fast","limit":8,"tags":["x"]}'],
    },
  );
  assert.deepEqual(await vars(engine, pi), { amount: 7 });

  // Completing it runs the outputs into the instance; the inputs end with the task.
  await engine.completeTask(mapped.id);
  assert.deepEqual(await at(engine, pi), { tree: 'proc(sub(subTask))', tasks: ['subTask'] });
  assert.deepEqual(await vars(engine, pi), { amount: 7, result: 14, fixed: 'done' });

  // The subprocess maps `local` in; a change to it inside shows in the output `fromSub`.
  const inside = await task(engine, pi, 'subTask');
  assert.deepEqual(await vars(engine, inside.executionId, { local: true }), { local: 7 });
  await engine.setVariables(inside.executionId, { local: int(99) }, { local: true });
  await engine.completeTask(inside.id);

  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'end' });
  const hvars = await engine.historicVariableInstances({ processInstanceId: pi });
  const where = Object.fromEntries(hvars.map((v) => [v.name, v.executionId === pi ? 'instance' : 'activity']));
  assert.deepEqual(where, {
    amount: 'instance',
    literal: 'activity',
    doubled: 'activity',
    nothing: 'activity',
    items: 'activity',
    config: 'activity',
    result: 'instance',
    fixed: 'instance',
    local: 'activity',
    fromSub: 'instance',
  });
  assert.equal(hvars.find((v) => v.name === 'fromSub').value, 99);
});

// =====================================================================================================
// Multi-instance
// =====================================================================================================

test('a parallel multi-instance user task creates all its instances at once under one body, and its boundary timer cancels the body', async () => {
  const { engine, clock } = await engineWith('mi-parallel-task-cardinality.bpmn');
  const pi = (await engine.startProcessInstanceByKey('miParallelTask')).id;

  assert.deepEqual(await at(engine, pi), {
    tree: 'proc(review#multiInstanceBody(review,review,review))',
    tasks: ['review', 'review', 'review'],
    jobs: ['timer reviewTimeout 2026-01-02T09:00'],
  });
  const [body] = (await engine.activityInstances(pi)).childActivityInstances;
  assert.equal(body.activityType, 'multiInstanceBody');
  const bodyExecution = body.executionIds[0];
  assert.deepEqual(await vars(engine, bodyExecution, { local: true }), { nrOfInstances: 3, nrOfActiveInstances: 3, nrOfCompletedInstances: 0 });
  const reviews = await engine.tasks({ processInstanceId: pi, taskDefinitionKey: 'review' });
  const counters = [];
  for (const r of reviews) counters.push((await vars(engine, r.executionId, { local: true })).loopCounter);
  assert.deepEqual(counters.sort(), [0, 1, 2]);

  // One reviewer is done in time ...
  await engine.completeTask(reviews[1].id, { verdict: str('ok') });
  assert.deepEqual(await at(engine, pi), {
    tree: 'proc(review#multiInstanceBody(review,review))',
    tasks: ['review', 'review'],
    jobs: ['timer reviewTimeout 2026-01-02T09:00'],
  });
  assert.deepEqual(await vars(engine, bodyExecution, { local: true }), { nrOfInstances: 3, nrOfActiveInstances: 2, nrOfCompletedInstances: 1 });

  // ... the others are not: after a day the timer interrupts the whole body.
  clock.advance(DAY - MINUTE);
  assert.deepEqual(await engine.runDueJobs(), { executed: 0, failed: 0 });
  clock.advance(MINUTE);
  assert.deepEqual(await engine.runDueJobs(), { executed: 1, failed: 0 });

  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'timedOut' });
  assert.deepEqual(await canceled(engine, pi), ['review', 'review', 'review#multiInstanceBody']);
  const taskStates = (await engine.historicTaskInstances({ processInstanceId: pi })).map((t) => t.taskState).sort();
  assert.deepEqual(taskStates, ['Completed', 'Deleted', 'Deleted']);
  assert.deepEqual(await historicValues(engine, pi), { verdict: 'ok' }, 'the multi-instance bookkeeping variables are not the instance\'s');
});

test('a parallel multi-instance user task completed in time removes its boundary timer', async () => {
  const { engine } = await engineWith('mi-parallel-task-cardinality.bpmn');
  const pi = (await engine.startProcessInstanceByKey('miParallelTask')).id;
  for (const review of await engine.tasks({ processInstanceId: pi })) await engine.completeTask(review.id);
  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'end' });
  assert.deepEqual(await canceled(engine, pi), []);
  assert.equal((await history(engine, pi, 'reviewTimeout')).length, 0, 'the timer never fired');
});

test('a sequential multi-instance user task runs one instance per collection element until its completion condition holds', async () => {
  const { engine } = await engineWith('mi-sequential-task-collection.bpmn');
  const pi = (await engine.startProcessInstanceByKey('miSequentialTask', { variables: { approvers: json(['ann', 'bob', 'cid']) } })).id;

  // One at a time, each assigned to its element.
  assert.deepEqual(await at(engine, pi), { tree: 'proc(approve#multiInstanceBody(approve))', tasks: ['approve'] });
  let current = await task(engine, pi, 'approve');
  assert.equal(current.assignee, 'ann');
  assert.deepEqual(await vars(engine, current.executionId, { local: true }), { loopCounter: 0, approver: 'ann' });
  const bodyExecution = (await engine.activityInstances(pi)).childActivityInstances[0].executionIds[0];
  assert.deepEqual(await vars(engine, bodyExecution, { local: true }), { nrOfInstances: 3, nrOfActiveInstances: 1, nrOfCompletedInstances: 0 });

  await engine.completeTask(current.id);
  assert.deepEqual(await at(engine, pi), { tree: 'proc(approve#multiInstanceBody(approve))', tasks: ['approve'] });
  current = await task(engine, pi, 'approve');
  assert.equal(current.assignee, 'bob');
  assert.deepEqual(await vars(engine, current.executionId, { local: true }), { loopCounter: 1, approver: 'bob' });

  // Two approvals are enough: cid is never asked.
  await engine.completeTask(current.id);
  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'end' });
  const approvals = await engine.historicTaskInstances({ processInstanceId: pi });
  assert.deepEqual(approvals.map((t) => [t.assignee, t.taskState]), [['ann', 'Completed'], ['bob', 'Completed']]);
});

test('a parallel multi-instance subprocess runs a scope per item, each with its own element variable', async () => {
  const { engine } = await engineWith('mi-parallel-subprocess-collection.bpmn');
  const pi = (await engine.startProcessInstanceByKey('miParallelSubProcess', { variables: { items: json(['apple', 'pear']) } })).id;

  assert.deepEqual(await at(engine, pi), {
    tree: 'proc(perItem#multiInstanceBody(perItem(handleItem),perItem(handleItem)))',
    tasks: ['handleItem', 'handleItem'],
  });
  const [body] = (await engine.activityInstances(pi)).childActivityInstances;
  for (const inner of body.childActivityInstances) {
    assert.equal(inner.activityType, 'subProcess');
    assert.equal(inner.parentActivityInstanceId, body.id);
    assert.equal(inner.childActivityInstances[0].parentActivityInstanceId, inner.id);
  }

  // Each task sees its own item (and the body's counters) through its scopes.
  const handled = {};
  for (const t of await engine.tasks({ processInstanceId: pi })) {
    const seen = values(await engine.taskVariables(t.id));
    assert.equal(seen.nrOfInstances, 2);
    handled[seen.item] = t;
  }
  assert.deepEqual(Object.keys(handled).sort(), ['apple', 'pear']);

  await engine.completeTask(handled.apple.id, { lastHandled: str('apple') });
  assert.deepEqual(await at(engine, pi), { tree: 'proc(perItem#multiInstanceBody(perItem(handleItem)))', tasks: ['handleItem'] });
  assert.deepEqual(await vars(engine, pi), { items: '["apple","pear"]', lastHandled: 'apple' }, 'item and loopCounter stay in their scopes');

  await engine.completeTask(handled.pear.id);
  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'end' });
  assert.equal((await history(engine, pi, 'perItem')).length, 2);
  assert.equal((await history(engine, pi, 'handleItem')).length, 2);
});

test('a sequential multi-instance subprocess repeats its scope up to its cardinality and stops when its completion condition holds', async () => {
  const { engine } = await engineWith('mi-sequential-subprocess-cardinality.bpmn');
  const pi = (await engine.startProcessInstanceByKey('miSequentialSubProcess', { variables: { count: int(3), done: bool(false) } })).id;

  assert.deepEqual(await at(engine, pi), { tree: 'proc(rounds#multiInstanceBody(rounds(play)))', tasks: ['play'] });
  let round = values(await engine.taskVariables((await task(engine, pi, 'play')).id));
  assert.equal(round.loopCounter, 0);
  assert.equal(round.nrOfInstances, 3);

  await complete(engine, pi, 'play');
  assert.deepEqual(await at(engine, pi), { tree: 'proc(rounds#multiInstanceBody(rounds(play)))', tasks: ['play'] });
  round = values(await engine.taskVariables((await task(engine, pi, 'play')).id));
  assert.equal(round.loopCounter, 1);
  assert.equal(round.nrOfCompletedInstances, 1);

  // The second round declares the game over: no third round.
  await complete(engine, pi, 'play', { done: bool(true) });
  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'end' });
  assert.equal((await history(engine, pi, 'rounds')).length, 2);
  assert.deepEqual(await historicValues(engine, pi), { count: 3, done: true });
});

// =====================================================================================================
// Async continuations
// =====================================================================================================

// docs/compatibility.md: async flags on multiInstanceLoopCharacteristics (per inner instance) are
// not built yet and are rejected at deploy time.
test('async flags on multi-instance loop characteristics are refused at deploy', async () => {
  const { engine } = await newEngine();
  await assert.rejects(
    engine.deploy(
      fixtureWith('async-continuations.bpmn', [
        ['<bpmn:multiInstanceLoopCharacteristics>', '<bpmn:multiInstanceLoopCharacteristics camunda:asyncBefore="true" camunda:asyncAfter="true">'],
      ]),
    ),
    (e) =>
      e instanceof CoreError &&
      e.type === 'ParseException' &&
      e.message === "Unsupported BPMN element 'task' with id 'miTask': asyncBefore/asyncAfter on multiInstanceLoopCharacteristics is not supported",
  );
  assert.deepEqual(await engine.store.definitions(), []);
  assert.deepEqual(await engine.store.deployments(), []);
});

test('async continuations park the token as a transition instance until its job is executed', async () => {
  const { engine } = await newEngine();
  await engine.deploy(fixture('async-continuations.bpmn'));
  const pi = (await engine.startProcessInstanceByKey('asyncProcess')).id;
  const runTheJob = async () => engine.executeJob((await onlyJob(engine, pi)).id);

  // After the start event (asyncAfter).
  assert.deepEqual(await at(engine, pi), { tree: 'proc(~start)', jobs: ['async-continuation start'] });
  const [transition] = (await engine.activityInstances(pi)).childTransitionInstances;
  assert.equal(transition.parentActivityInstanceId, pi);
  assert.deepEqual(await running(engine, pi), [], 'the start event is done; the token waits between activities');

  await runTheJob();
  // Before the service task (asyncBefore): it has not run yet.
  assert.deepEqual(await at(engine, pi), { tree: 'proc(~beforeTask)', jobs: ['async-continuation beforeTask'] });
  assert.equal((await history(engine, pi, 'beforeTask')).length, 0);

  await runTheJob();
  // After afterTask (asyncAfter): the task itself is finished.
  assert.deepEqual(await at(engine, pi), { tree: 'proc(~afterTask)', jobs: ['async-continuation afterTask'] });
  assert.deepEqual((await history(engine, pi, 'afterTask')).map((a) => a.endTime != null), [true]);

  await runTheJob();
  // Before the user task (legacy camunda:async = asyncBefore): no task yet.
  assert.deepEqual(await at(engine, pi), { tree: 'proc(~legacyTask)', jobs: ['async-continuation legacyTask'] });

  await runTheJob();
  assert.deepEqual(await at(engine, pi), { tree: 'proc(legacyTask)', tasks: ['legacyTask'] });
  await complete(engine, pi, 'legacyTask');

  // The activity's own asyncBefore wraps the whole multi-instance body.
  assert.deepEqual(await at(engine, pi), {
    tree: 'proc(~miTask#multiInstanceBody)',
    jobs: ['async-continuation miTask#multiInstanceBody'],
  });

  await runTheJob();
  // Both instances of miTask ran; the end event is asyncBefore.
  assert.deepEqual(await at(engine, pi), { tree: 'proc(~end)', jobs: ['async-continuation end'] });
  assert.equal((await history(engine, pi, 'miTask')).length, 2);

  assert.deepEqual(await engine.runDueJobs(), { executed: 1, failed: 0 });
  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'end' });
});

test('an asyncBefore service task after a user task runs when its job runs, then waits for a message', async () => {
  const { engine } = await engineWith('user-task-job-message.bpmn');
  const pi = (await engine.startProcessInstanceByKey('userTaskJobMessageProcess', {
    businessKey: 'order-9',
    variables: { owner: str('mary'), amount: int(21) },
  })).id;

  assert.deepEqual(await at(engine, pi), { tree: 'proc(review)', tasks: ['review'] });
  assert.equal((await task(engine, pi, 'review')).assignee, 'mary');

  await complete(engine, pi, 'review');
  assert.deepEqual(await at(engine, pi), { tree: 'proc(~compute)', jobs: ['async-continuation compute'] });
  assert.equal((await vars(engine, pi)).doubled, undefined, 'the expression has not run yet');

  await engine.executeJob((await onlyJob(engine, pi)).id);
  assert.deepEqual(await at(engine, pi), { tree: 'proc(wait)', subscriptions: ['goAhead@wait'] });
  const doubled = (await engine.variables(pi)).doubled;
  assert.deepEqual([doubled.type, doubled.value], ['Long', 42]);

  await engine.correlateMessage('goAhead', { businessKey: 'order-9' });
  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'end' });
});

// =====================================================================================================
// Timers
// =====================================================================================================

test('intermediate timers wait for a duration and then for a date from a variable', async () => {
  const { engine, clock } = await engineWith('intermediate-timer.bpmn');
  const pi = (await engine.startProcessInstanceByKey('intermediateTimerProcess', {
    variables: { dueDate: date('2026-01-01T12:00:00.000+0000') },
  })).id;

  assert.deepEqual(await at(engine, pi), { tree: 'proc(wait)', jobs: ['timer wait 2026-01-01T09:05'] });
  clock.advance(4 * MINUTE);
  assert.deepEqual(await engine.runDueJobs(), { executed: 0, failed: 0 });
  clock.advance(MINUTE);
  assert.deepEqual(await engine.runDueJobs(), { executed: 1, failed: 0 });

  assert.deepEqual(await at(engine, pi), { tree: 'proc(waitUntil)', jobs: ['timer waitUntil 2026-01-01T12:00'] });
  clock.advance(3 * HOUR);
  assert.deepEqual(await engine.runDueJobs(), { executed: 1, failed: 0 });

  assert.deepEqual(await at(engine, pi), { tree: 'proc(after)', tasks: ['after'] });
  const [waitRow] = await history(engine, pi, 'wait');
  assert.deepEqual([waitRow.activityType, waitRow.durationInMillis], ['intermediateTimer', 5 * MINUTE]);

  await complete(engine, pi, 'after');
  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'end' });
});

test('an interrupting boundary timer cancels its task when the clock reaches it', async () => {
  const { engine, clock } = await engineWith('boundary-timer.bpmn');
  const pi = (await engine.startProcessInstanceByKey('boundaryTimerProcess')).id;

  assert.deepEqual(await at(engine, pi), { tree: 'proc(task)', tasks: ['task'], jobs: ['timer timer 2026-01-01T10:00'] });
  clock.advance(HOUR);
  assert.deepEqual(await engine.runDueJobs(), { executed: 1, failed: 0 });

  assert.deepEqual(await at(engine, pi), { tree: 'proc(escalated)', tasks: ['escalated'] });
  assert.deepEqual(await canceled(engine, pi), ['task']);
  const [work] = await engine.historicTaskInstances({ processInstanceId: pi, taskDefinitionKey: 'task' });
  assert.equal(work.taskState, 'Deleted');

  await complete(engine, pi, 'escalated');
  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'escalatedEnd' });
});

test('a boundary timer goes away with its task when the task is completed in time', async () => {
  const { engine, clock } = await engineWith('boundary-timer.bpmn');
  const pi = (await engine.startProcessInstanceByKey('boundaryTimerProcess')).id;
  clock.advance(59 * MINUTE);
  await complete(engine, pi, 'task');
  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'end' });
  clock.advance(HOUR);
  assert.deepEqual(await engine.runDueJobs(), { executed: 0, failed: 0 });
});

test('a non-interrupting boundary timer starts a reminder path beside its task, once', async () => {
  const { engine, clock } = await engineWith('boundary-timer-non-interrupting.bpmn');
  const pi = (await engine.startProcessInstanceByKey('boundaryTimerNonInterruptingProcess')).id;

  assert.deepEqual(await at(engine, pi), { tree: 'proc(task)', tasks: ['task'], jobs: ['timer timer 2026-01-01T09:30'] });
  clock.advance(30 * MINUTE);
  assert.deepEqual(await engine.runDueJobs(), { executed: 1, failed: 0 });

  assert.deepEqual(await at(engine, pi), { tree: 'proc(remind,task)', tasks: ['remind', 'task'] });
  clock.advance(HOUR);
  assert.deepEqual(await engine.runDueJobs(), { executed: 0, failed: 0 }, 'a duration fires once');

  await complete(engine, pi, 'task');
  assert.deepEqual(await at(engine, pi), { tree: 'proc(remind)', tasks: ['remind'] });
  await complete(engine, pi, 'remind');
  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'remindEnd' });
  assert.deepEqual(await canceled(engine, pi), []);
});

test('an interrupting timer event subprocess replaces the running work when it fires', async () => {
  const { engine, clock } = await engineWith('event-subprocess-timer.bpmn');
  const pi = (await engine.startProcessInstanceByKey('eventSubProcessTimer')).id;

  assert.deepEqual(await at(engine, pi), { tree: 'proc(task)', tasks: ['task'], jobs: ['timer timerStart 2026-01-01T10:00'] });
  clock.advance(HOUR - MINUTE);
  assert.deepEqual(await engine.runDueJobs(), { executed: 0, failed: 0 });
  clock.advance(MINUTE);
  assert.deepEqual(await engine.runDueJobs(), { executed: 1, failed: 0 });

  assert.deepEqual(await at(engine, pi), { tree: 'proc(eventSub(escalate))', tasks: ['escalate'] });
  assert.deepEqual(await canceled(engine, pi), ['task']);
  const [timerStart] = await history(engine, pi, 'timerStart');
  assert.equal(timerStart.activityType, 'startTimerEvent');

  await complete(engine, pi, 'escalate');
  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'eventSubEnd' });
});

test('a non-interrupting timer cycle event subprocess fires once per period, three times, beside the work', async () => {
  const { engine, clock } = await engineWith('event-subprocess-timer-non-interrupting.bpmn');
  const pi = (await engine.startProcessInstanceByKey('eventSubProcessTimerNonInterrupting')).id;
  assert.deepEqual(await at(engine, pi), { tree: 'proc(task)', tasks: ['task'], jobs: ['timer timerStart 2026-01-01T09:10'] });

  // The job executor runs each timer a minute late; the cycle keeps its own grid (R3/PT10M from 09:00).
  clock.advance(11 * MINUTE);
  assert.deepEqual(await engine.runDueJobs(), { executed: 1, failed: 0 });
  assert.deepEqual(await at(engine, pi), {
    tree: 'proc(eventSub(remind),task)',
    tasks: ['remind', 'task'],
    jobs: ['timer timerStart 2026-01-01T09:20'],
  });

  clock.advance(10 * MINUTE);
  assert.deepEqual(await engine.runDueJobs(), { executed: 1, failed: 0 });
  assert.deepEqual(await at(engine, pi), {
    tree: 'proc(eventSub(remind),eventSub(remind),task)',
    tasks: ['remind', 'remind', 'task'],
    jobs: ['timer timerStart 2026-01-01T09:30'],
  });

  clock.advance(10 * MINUTE);
  assert.deepEqual(await engine.runDueJobs(), { executed: 1, failed: 0 });
  assert.deepEqual(
    await at(engine, pi),
    { tree: 'proc(eventSub(remind),eventSub(remind),eventSub(remind),task)', tasks: ['remind', 'remind', 'remind', 'task'] },
    'R3: no fourth timer',
  );
  clock.advance(HOUR);
  assert.deepEqual(await engine.runDueJobs(), { executed: 0, failed: 0 });

  // The work ends, but the instance waits for its running reminders.
  await complete(engine, pi, 'task');
  assert.deepEqual(await at(engine, pi), { tree: 'proc(eventSub(remind),eventSub(remind),eventSub(remind))', tasks: ['remind', 'remind', 'remind'] });
  for (const reminder of await engine.tasks({ processInstanceId: pi })) await engine.completeTask(reminder.id);
  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'eventSubEnd' });
  assert.deepEqual(await canceled(engine, pi), []);
});

// =====================================================================================================
// Messages
// =====================================================================================================

test('an intermediate message catch event waits for its message, correlated by business key', async () => {
  const { engine } = await engineWith('intermediate-message.bpmn');
  const first = (await engine.startProcessInstanceByKey('intermediateMessageProcess', { businessKey: 'a' })).id;
  const second = (await engine.startProcessInstanceByKey('intermediateMessageProcess', { businessKey: 'b' })).id;
  assert.deepEqual(await at(engine, second), { tree: 'proc(waitForPayment)', subscriptions: ['payment@waitForPayment'] });

  const [result] = await engine.correlateMessage('payment', { businessKey: 'b', processVariables: { paid: int(30) } });
  assert.equal(result.execution.processInstanceId, second);
  assert.deepEqual(await at(engine, second), { tree: 'proc(after)', tasks: ['after'] });
  assert.deepEqual(await vars(engine, second), { paid: 30 });
  assert.deepEqual(await at(engine, first), { tree: 'proc(waitForPayment)', subscriptions: ['payment@waitForPayment'] }, 'the other instance still waits');

  await complete(engine, second, 'after');
  await assertEnded(engine, second, 'COMPLETED', { endActivityId: 'end' });
  const [catchRow] = await history(engine, second, 'waitForPayment');
  assert.equal(catchRow.activityType, 'intermediateMessageCatch');
});

test('a receive task waits for its message and continues with the message variables', async () => {
  const { engine } = await engineWith('receive-task.bpmn');
  const pi = (await engine.startProcessInstanceByKey('receiveTaskProcess')).id;
  assert.deepEqual(await at(engine, pi), { tree: 'proc(waitForOrder)', subscriptions: ['order@waitForOrder'] });

  await engine.correlateMessage('order', { processVariables: { orderId: str('o-42') } });

  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'end' });
  assert.deepEqual(await historicValues(engine, pi), { orderId: 'o-42' });
  const [receive] = await history(engine, pi, 'waitForOrder');
  assert.equal(receive.activityType, 'receiveTask');
});

test('an interrupting message boundary event cancels its task and takes its own path', async () => {
  const { engine } = await engineWith('boundary-message.bpmn');
  const pi = (await engine.startProcessInstanceByKey('boundaryMessageProcess')).id;
  assert.deepEqual(await at(engine, pi), { tree: 'proc(task)', tasks: ['task'], subscriptions: ['cancel@cancel'] });

  await engine.correlateMessage('cancel', { processInstanceId: pi });

  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'cancelled' });
  assert.deepEqual(await canceled(engine, pi), ['task']);
  const [boundary] = await history(engine, pi, 'cancel');
  assert.equal(boundary.activityType, 'boundaryMessage');
});

test('a non-interrupting message boundary event starts a path per message while its task lasts', async () => {
  const { engine } = await engineWith('boundary-message-non-interrupting.bpmn');
  const pi = (await engine.startProcessInstanceByKey('boundaryMessageNonInterruptingProcess')).id;
  assert.deepEqual(await at(engine, pi), { tree: 'proc(task)', tasks: ['task'], subscriptions: ['info@info'] });

  await engine.correlateMessage('info', { processInstanceId: pi, processVariables: { note: str('fyi') } });
  assert.deepEqual(await at(engine, pi), { tree: 'proc(handleInfo,task)', tasks: ['handleInfo', 'task'], subscriptions: ['info@info'] });
  await engine.correlateMessage('info', { processInstanceId: pi });
  assert.deepEqual(await at(engine, pi), {
    tree: 'proc(handleInfo,handleInfo,task)',
    tasks: ['handleInfo', 'handleInfo', 'task'],
    subscriptions: ['info@info'],
  });

  // With the task done, the boundary event is gone: nobody takes the message any more.
  await complete(engine, pi, 'task');
  assert.deepEqual(await at(engine, pi), { tree: 'proc(handleInfo,handleInfo)', tasks: ['handleInfo', 'handleInfo'] });
  await assert.rejects(engine.correlateMessage('info', { processInstanceId: pi }), (e) => e.type === 'MismatchingMessageCorrelationException');

  for (const t of await engine.tasks({ processInstanceId: pi })) await engine.completeTask(t.id);
  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'infoEnd' });
  assert.deepEqual(await canceled(engine, pi), []);
  assert.deepEqual(await historicValues(engine, pi), { note: 'fyi' });
});

test('an interrupting message event subprocess cancels the running work and runs its handler', async () => {
  const { engine } = await engineWith('event-subprocess-message.bpmn');
  const pi = (await engine.startProcessInstanceByKey('eventSubProcessMessage')).id;
  assert.deepEqual(await at(engine, pi), { tree: 'proc(task)', tasks: ['task'], subscriptions: ['cancel@messageStart'] });

  await engine.correlateMessage('cancel', { processInstanceId: pi, processVariables: { reason: str('duplicate') } });

  assert.deepEqual(await at(engine, pi), { tree: 'proc(eventSub(handleCancel))', tasks: ['handleCancel'] });
  assert.deepEqual(await canceled(engine, pi), ['task']);
  assert.deepEqual(await vars(engine, pi), { reason: 'duplicate' });

  await complete(engine, pi, 'handleCancel');
  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'eventSubEnd' });
});

test('a non-interrupting message event subprocess runs a handler per message beside the work', async () => {
  const { engine } = await engineWith('event-subprocess-message-non-interrupting.bpmn');
  const pi = (await engine.startProcessInstanceByKey('eventSubProcessMessageNonInterrupting')).id;
  assert.deepEqual(await at(engine, pi), { tree: 'proc(task)', tasks: ['task'], subscriptions: ['update@messageStart'] });

  await engine.correlateMessage('update', { processInstanceId: pi });
  await engine.correlateMessage('update', { processInstanceId: pi });
  assert.deepEqual(await at(engine, pi), {
    tree: 'proc(eventSub(handleUpdate),eventSub(handleUpdate),task)',
    tasks: ['handleUpdate', 'handleUpdate', 'task'],
    subscriptions: ['update@messageStart'],
  });

  const [firstUpdate] = await engine.tasks({ processInstanceId: pi, taskDefinitionKey: 'handleUpdate' });
  await engine.completeTask(firstUpdate.id);
  await complete(engine, pi, 'task');
  assert.deepEqual((await at(engine, pi)).tree, 'proc(eventSub(handleUpdate))', 'the instance waits for the running handler');

  await complete(engine, pi, 'handleUpdate');
  await assertEnded(engine, pi, 'COMPLETED');
  assert.deepEqual(await canceled(engine, pi), []);
  assert.equal((await history(engine, pi, 'eventSub')).length, 2);
});

// =====================================================================================================
// Errors and termination
// =====================================================================================================

test('an error end event inside a subprocess is caught by the error boundary on the subprocess', async () => {
  const { engine } = await engineWith('boundary-error.bpmn');
  const pi = (await engine.startProcessInstanceByKey('boundaryErrorProcess', { variables: { failed: bool(true) } })).id;
  assert.deepEqual(await at(engine, pi), { tree: 'proc(sub(subTask))', tasks: ['subTask'] });

  await complete(engine, pi, 'subTask');

  assert.deepEqual(await at(engine, pi), { tree: 'proc(handleError)', tasks: ['handleError'] });
  assert.deepEqual(await canceled(engine, pi), ['sub']);
  assert.equal((await history(engine, pi, 'subError'))[0].activityType, 'boundaryError');

  await complete(engine, pi, 'handleError');
  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'errorHandledEnd' });
  assert.equal((await history(engine, pi, 'charge')).length, 0, 'the normal path was never taken');
});

test('a BPMN error reported by an external task worker is caught by the catch-all error boundary', async () => {
  const { engine } = await engineWith('boundary-error.bpmn');
  const pi = (await engine.startProcessInstanceByKey('boundaryErrorProcess', { variables: { failed: bool(false) } })).id;
  await complete(engine, pi, 'subTask');
  assert.deepEqual(await at(engine, pi), { tree: 'proc(charge)', externalTasks: ['charge:charge'] });

  const [locked] = await engine.fetchAndLock({ workerId: 'worker', maxTasks: 1, topics: [{ topicName: 'charge', lockDuration: MINUTE }] });
  await engine.handleBpmnError(locked.id, { workerId: 'worker', errorCode: 'CARD_DECLINED', variables: { declineReason: str('expired') } });

  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'chargeFailedEnd' });
  assert.deepEqual(await canceled(engine, pi), ['charge']);
  assert.deepEqual(await historicValues(engine, pi), { declineReason: 'expired', failed: false });
});

test('an error end event is caught by an error event subprocess of the process', async () => {
  const { engine } = await engineWith('event-subprocess-error.bpmn');
  const pi = (await engine.startProcessInstanceByKey('eventSubProcessError', { variables: { failed: bool(true) } })).id;
  assert.deepEqual(await at(engine, pi), { tree: 'proc(task)', tasks: ['task'] });

  await complete(engine, pi, 'task');
  assert.deepEqual(await at(engine, pi), { tree: 'proc(eventSub(handleError))', tasks: ['handleError'] });
  const [errorStart] = await history(engine, pi, 'errorStart');
  assert.equal(errorStart.activityType, 'errorStartEvent');

  await complete(engine, pi, 'handleError');
  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'eventSubEnd' });
});

test('without an error, the error event subprocess never runs', async () => {
  const { engine } = await engineWith('event-subprocess-error.bpmn');
  const pi = (await engine.startProcessInstanceByKey('eventSubProcessError', { variables: { failed: bool(false) } })).id;
  await complete(engine, pi, 'task');
  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'end' });
  assert.deepEqual((await history(engine, pi)).map((a) => a.activityId), ['start', 'task', 'failed', 'end']);
});

test('an error end event nothing catches ends the path like a none end event', async () => {
  const { engine } = await engineWith('error-end-event.bpmn');
  const pi = (await engine.startProcessInstanceByKey('errorEndProcess')).id;
  assert.deepEqual(await at(engine, pi), { tree: 'proc(task)', tasks: ['task'] });

  await complete(engine, pi, 'task');

  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'fail' });
  const [fail] = await history(engine, pi, 'fail');
  assert.equal(fail.activityType, 'errorEndEvent');
});

test('a terminate end event ends the whole instance, canceling the parallel work', async () => {
  const { engine } = await engineWith('terminate-end-event.bpmn');
  const pi = (await engine.startProcessInstanceByKey('terminateProcess')).id;
  assert.deepEqual(await at(engine, pi), { tree: 'proc(taskA,taskB)', tasks: ['taskA', 'taskB'] });

  await complete(engine, pi, 'taskA');

  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'terminate' });
  assert.deepEqual(await canceled(engine, pi), ['taskB']);
  const [taskB] = await engine.historicTaskInstances({ processInstanceId: pi, taskDefinitionKey: 'taskB' });
  assert.equal(taskB.taskState, 'Deleted');
  assert.equal((await history(engine, pi, 'terminate'))[0].activityType, 'terminateEndEvent');
});

test('a terminate end event reached last ends the instance with nothing to cancel', async () => {
  const { engine } = await engineWith('terminate-end-event.bpmn');
  const pi = (await engine.startProcessInstanceByKey('terminateProcess')).id;

  await complete(engine, pi, 'taskB');
  assert.deepEqual(await at(engine, pi), { tree: 'proc(taskA)', tasks: ['taskA'] }, 'the none end event ends only its token');
  await complete(engine, pi, 'taskA');

  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'terminate' });
  assert.deepEqual(await canceled(engine, pi), []);
});

// =====================================================================================================
// Boundary events and event subprocesses together, multi-instance inside a subprocess
// =====================================================================================================

// A subprocess holding a parallel multi-instance task and an interrupting message event subprocess
// (`hold`), with an interrupting timer boundary (`deadline`, 1 h) and a non-interrupting message
// boundary (`note`) on the subprocess.
const interplayXml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" targetNamespace="http://detour.test/elements" id="Definitions_interplay">
  <bpmn:message id="Message_hold" name="hold" />
  <bpmn:message id="Message_note" name="note" />
  <bpmn:process id="interplay" isExecutable="true" camunda:historyTimeToLive="180">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="sub" />
    <bpmn:subProcess id="sub">
      <bpmn:startEvent id="subStart" />
      <bpmn:sequenceFlow id="sf1" sourceRef="subStart" targetRef="work" />
      <bpmn:userTask id="work">
        <bpmn:multiInstanceLoopCharacteristics>
          <bpmn:loopCardinality xsi:type="bpmn:tFormalExpression">2</bpmn:loopCardinality>
        </bpmn:multiInstanceLoopCharacteristics>
      </bpmn:userTask>
      <bpmn:sequenceFlow id="sf2" sourceRef="work" targetRef="subEnd" />
      <bpmn:endEvent id="subEnd" />
      <bpmn:subProcess id="onHoldSub" triggeredByEvent="true">
        <bpmn:startEvent id="holdStart" isInterrupting="true">
          <bpmn:messageEventDefinition messageRef="Message_hold" />
        </bpmn:startEvent>
        <bpmn:sequenceFlow id="hf1" sourceRef="holdStart" targetRef="onHold" />
        <bpmn:userTask id="onHold" />
        <bpmn:sequenceFlow id="hf2" sourceRef="onHold" targetRef="holdEnd" />
        <bpmn:endEvent id="holdEnd" />
      </bpmn:subProcess>
    </bpmn:subProcess>
    <bpmn:boundaryEvent id="deadline" attachedToRef="sub">
      <bpmn:timerEventDefinition>
        <bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT1H</bpmn:timeDuration>
      </bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="note" attachedToRef="sub" cancelActivity="false">
      <bpmn:messageEventDefinition messageRef="Message_note" />
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="sub" targetRef="afterSub" />
    <bpmn:userTask id="afterSub" />
    <bpmn:sequenceFlow id="f3" sourceRef="afterSub" targetRef="end" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f4" sourceRef="deadline" targetRef="late" />
    <bpmn:userTask id="late" />
    <bpmn:sequenceFlow id="f5" sourceRef="late" targetRef="lateEnd" />
    <bpmn:endEvent id="lateEnd" />
    <bpmn:sequenceFlow id="f6" sourceRef="note" targetRef="noted" />
    <bpmn:userTask id="noted" />
    <bpmn:sequenceFlow id="f7" sourceRef="noted" targetRef="notedEnd" />
    <bpmn:endEvent id="notedEnd" />
  </bpmn:process>
</bpmn:definitions>`;

test('boundary events on a subprocess outlive an interrupting event subprocess inside it, and the timer then cancels it all', async () => {
  const { engine, clock } = await newEngine();
  await engine.deploy(interplayXml);
  const pi = (await engine.startProcessInstanceByKey('interplay')).id;

  assert.deepEqual(await at(engine, pi), {
    tree: 'proc(sub(work#multiInstanceBody(work,work)))',
    tasks: ['work', 'work'],
    jobs: ['timer deadline 2026-01-01T10:00'],
    subscriptions: ['hold@holdStart', 'note@note'],
  });

  // A note: the subprocess goes on, the note is handled beside it.
  await engine.correlateMessage('note', { processInstanceId: pi });
  assert.deepEqual(await at(engine, pi), {
    tree: 'proc(noted,sub(work#multiInstanceBody(work,work)))',
    tasks: ['noted', 'work', 'work'],
    jobs: ['timer deadline 2026-01-01T10:00'],
    subscriptions: ['hold@holdStart', 'note@note'],
  });

  // A hold: the event subprocess interrupts the multi-instance work inside `sub`, but `sub` itself
  // is still running, so its boundary timer and message boundary stay.
  clock.advance(10 * MINUTE);
  await engine.correlateMessage('hold', { processInstanceId: pi });
  assert.deepEqual(await at(engine, pi), {
    tree: 'proc(noted,sub(onHoldSub(onHold)))',
    tasks: ['noted', 'onHold'],
    jobs: ['timer deadline 2026-01-01T10:00'],
    subscriptions: ['note@note'],
  });
  assert.deepEqual(await canceled(engine, pi), ['work', 'work', 'work#multiInstanceBody']);

  // The deadline passes: the timer cancels `sub` with the running handler inside it.
  clock.advance(50 * MINUTE);
  assert.deepEqual(await engine.runDueJobs(), { executed: 1, failed: 0 });
  assert.deepEqual(await at(engine, pi), { tree: 'proc(late,noted)', tasks: ['late', 'noted'] });
  assert.deepEqual(await canceled(engine, pi), ['onHold', 'onHoldSub', 'sub', 'work', 'work', 'work#multiInstanceBody']);

  await complete(engine, pi, 'late');
  await complete(engine, pi, 'noted');
  await assertEnded(engine, pi, 'COMPLETED');
  assert.equal((await history(engine, pi, 'afterSub')).length, 0);
});

test('an interrupting event subprocess that completes completes its enclosing subprocess, which then leaves normally', async () => {
  const { engine, clock } = await newEngine();
  await engine.deploy(interplayXml);
  const pi = (await engine.startProcessInstanceByKey('interplay')).id;

  await engine.correlateMessage('hold', { processInstanceId: pi });
  assert.deepEqual(await at(engine, pi), {
    tree: 'proc(sub(onHoldSub(onHold)))',
    tasks: ['onHold'],
    jobs: ['timer deadline 2026-01-01T10:00'],
    subscriptions: ['note@note'],
  });

  await complete(engine, pi, 'onHold');
  assert.deepEqual(await at(engine, pi), { tree: 'proc(afterSub)', tasks: ['afterSub'] }, 'the boundary events went with sub');
  clock.advance(2 * HOUR);
  assert.deepEqual(await engine.runDueJobs(), { executed: 0, failed: 0 });

  await complete(engine, pi, 'afterSub');
  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'end' });
  assert.deepEqual(await canceled(engine, pi), ['work', 'work', 'work#multiInstanceBody']);
});

// =====================================================================================================
// Host delegates and execution listeners
// =====================================================================================================

/** Registers the delegates service-task-delegates.bpmn names; `calls` records what each one saw. */
function registerChargeDelegates(engine, calls) {
  engine.registerDelegate('org.example.ChargeDelegate', (execution) => {
    calls.push(`${execution.delegate} ${execution.event} ${execution.activityId} ${execution.businessKey}`);
    return { fee: 2 };
  });
  engine.registerDelegate('chargeDelegate', (execution) => {
    calls.push(`${execution.delegate} ${execution.event} ${execution.activityId} ${execution.businessKey}`);
    const amount = execution.getVariable('amount');
    if (amount > 100) throw new BpmnError('DECLINED', 'amount over the limit');
    execution.setVariable('charged', amount + execution.getVariable('fee'));
  });
  engine.registerDelegate('org.example.NotifyDelegate', (execution) => {
    calls.push(`${execution.delegate} ${execution.event} ${execution.activityId} ${execution.businessKey}`);
    return null;
  });
}

test('service, send and business rule tasks call their host delegates and expressions in order', async () => {
  const { engine } = await engineWith('service-task-delegates.bpmn');
  const calls = [];
  registerChargeDelegates(engine, calls);

  const pi = (await engine.startProcessInstanceByKey('delegatesProcess', { businessKey: 'order-7', variables: { amount: int(20) } })).id;

  assert.deepEqual(calls, [
    'org.example.ChargeDelegate execute classTask order-7',
    'chargeDelegate execute delegateTask order-7',
    'org.example.NotifyDelegate execute notify order-7',
  ]);
  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'end' });
  const hvars = await engine.historicVariableInstances({ processInstanceId: pi });
  assert.deepEqual(
    Object.fromEntries(hvars.map((v) => [v.name, [v.type, v.value]])),
    { amount: ['Integer', 20], fee: ['Integer', 2], charged: ['Integer', 22], doubled: ['Long', 40], large: ['Boolean', true] },
  );
  assert.deepEqual(
    (await history(engine, pi)).map((a) => `${a.activityId}:${a.activityType}`),
    [
      'start:startEvent',
      'classTask:serviceTask',
      'delegateTask:serviceTask',
      'expressionTask:serviceTask',
      'notify:sendTask',
      'rules:businessRuleTask',
      'end:noneEndEvent',
    ],
  );
});

/** service-task-delegates.bpmn with an error boundary `declined` (code DECLINED) on delegateTask → user task handleDecline. */
const declinableDelegatesXml = () =>
  fixtureWith('service-task-delegates.bpmn', [
    ['<bpmn:process ', '<bpmn:error id="Error_declined" errorCode="DECLINED" />\n  <bpmn:process '],
    [
      '</bpmn:process>',
      `  <bpmn:boundaryEvent id="declined" attachedToRef="delegateTask">
      <bpmn:errorEventDefinition errorRef="Error_declined" />
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f7" sourceRef="declined" targetRef="handleDecline" />
    <bpmn:userTask id="handleDecline" />
    <bpmn:sequenceFlow id="f8" sourceRef="handleDecline" targetRef="declinedEnd" />
    <bpmn:endEvent id="declinedEnd" />
  </bpmn:process>`,
    ],
  ]);

test('a BpmnError thrown by a host delegate is caught by the error boundary on its task', async () => {
  const { engine } = await newEngine();
  await engine.deploy(declinableDelegatesXml());
  const calls = [];
  registerChargeDelegates(engine, calls);

  const pi = (await engine.startProcessInstanceByKey('delegatesProcess', { businessKey: 'order-8', variables: { amount: int(500) } })).id;

  assert.deepEqual(await at(engine, pi), { tree: 'proc(handleDecline)', tasks: ['handleDecline'] });
  assert.deepEqual(calls, ['org.example.ChargeDelegate execute classTask order-8', 'chargeDelegate execute delegateTask order-8']);
  assert.deepEqual(await vars(engine, pi), { amount: 500, fee: 2 }, 'nothing was charged');
  assert.deepEqual(await canceled(engine, pi), ['delegateTask']);

  await complete(engine, pi, 'handleDecline');
  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'declinedEnd' });
  assert.equal((await history(engine, pi, 'expressionTask')).length, 0);
});

// In Camunda a delegate's execution.setVariable() acts on the execution at once; a BpmnError thrown
// afterwards is caught within the same transaction, so the variable stays (the usual way to pass
// error details to the handler path).
test('variables a host delegate sets before throwing a BpmnError are kept for the error path', async () => {
  const { engine } = await newEngine();
  await engine.deploy(declinableDelegatesXml());
  registerChargeDelegates(engine, []);
  engine.registerDelegate('chargeDelegate', (execution) => {
    execution.setVariable('declineReason', 'over the limit');
    throw new BpmnError('DECLINED', 'amount over the limit');
  });

  const pi = (await engine.startProcessInstanceByKey('delegatesProcess', { variables: { amount: int(500) } })).id;

  assert.deepEqual(await at(engine, pi), { tree: 'proc(handleDecline)', tasks: ['handleDecline'] });
  assert.deepEqual(await vars(engine, pi), { amount: 500, fee: 2, declineReason: 'over the limit' });
});

test('a host delegate that throws an Error fails the start, and nothing is stored', async () => {
  const { engine } = await engineWith('service-task-delegates.bpmn');
  registerChargeDelegates(engine, []);
  engine.registerDelegate('chargeDelegate', () => {
    throw new Error('payment gateway unreachable');
  });
  const before = await snapshot(engine.store);

  await assert.rejects(
    engine.startProcessInstanceByKey('delegatesProcess', { variables: { amount: int(20) } }),
    (e) => e instanceof CoreError && e.type === 'ProcessEngineException' && /payment gateway unreachable/.test(e.message),
  );

  assert.equal(await snapshot(engine.store), before);
  assert.deepEqual(await engine.historicProcessInstances(), []);
});

test('execution listeners run on process, event, flow, task and gateway, by expression and by host delegate', async () => {
  const { engine } = await engineWith('execution-listeners.bpmn');
  const calls = [];
  engine.registerDelegate('auditListener', (execution) => {
    calls.push(`auditListener ${execution.event} ${execution.activityId}`);
    execution.setVariable('audited', execution.getVariable('taskStarted'));
  });
  engine.registerDelegate('org.example.GatewayListener', (execution) => {
    calls.push(`GatewayListener ${execution.event} ${execution.activityId}`);
    return { routed: true };
  });
  engine.registerDelegate('org.example.ProcessEndListener', (execution) => {
    calls.push(`ProcessEndListener ${execution.event} endReached=${execution.getVariable('endReached')}`);
    return { closed: true };
  });

  const pi = (await engine.startProcessInstanceByKey('listenersProcess')).id;

  // The expression listeners ran on the way to the task: process start, start event end, take f1, task start.
  assert.deepEqual(await at(engine, pi), { tree: 'proc(task)', tasks: ['task'] });
  assert.deepEqual(await vars(engine, pi), { processStarted: true, startEnded: true, taken: 'f1', taskStarted: true });
  assert.deepEqual(calls, []);

  await complete(engine, pi, 'task');

  assert.deepEqual(calls, ['auditListener end task', 'GatewayListener start gateway', 'ProcessEndListener end endReached=true']);
  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'end' });
  assert.deepEqual(await historicValues(engine, pi), {
    audited: true,
    closed: true,
    endReached: true,
    processStarted: true,
    routed: true,
    startEnded: true,
    taken: 'f1',
    taskStarted: true,
  });
});

test('a listener delegate that throws fails the task completion, and the stored state is unchanged', async () => {
  const { engine } = await engineWith('execution-listeners.bpmn');
  engine.registerDelegate('org.example.GatewayListener', () => null);
  engine.registerDelegate('org.example.ProcessEndListener', () => null);
  engine.registerDelegate('auditListener', () => {
    throw new Error('audit log unavailable');
  });
  const pi = (await engine.startProcessInstanceByKey('listenersProcess')).id;
  const before = await snapshot(engine.store);

  await assert.rejects(
    complete(engine, pi, 'task'),
    (e) => e instanceof CoreError && e.type === 'ProcessEngineException' && /audit log unavailable/.test(e.message),
  );

  assert.equal(await snapshot(engine.store), before);
  assert.deepEqual(await at(engine, pi), { tree: 'proc(task)', tasks: ['task'] });

  // Once the audit log is back, the same completion goes through.
  engine.registerDelegate('auditListener', () => null);
  await complete(engine, pi, 'task');
  await assertEnded(engine, pi, 'COMPLETED');
});

test('deleting an instance runs its end listeners, unless custom listeners are skipped', async () => {
  const { engine } = await engineWith('execution-listeners.bpmn');
  const calls = [];
  engine.registerDelegate('auditListener', (execution) => {
    calls.push(`auditListener ${execution.event}`);
  });
  engine.registerDelegate('org.example.ProcessEndListener', (execution) => {
    calls.push(`ProcessEndListener ${execution.event}`);
  });
  engine.registerDelegate('org.example.GatewayListener', () => null);

  const listened = (await engine.startProcessInstanceByKey('listenersProcess')).id;
  await engine.deleteProcessInstance(listened, { reason: 'cleanup' });
  assert.deepEqual(calls, ['auditListener end', 'ProcessEndListener end']);
  await assertEnded(engine, listened, 'EXTERNALLY_TERMINATED');
  assert.deepEqual(await canceled(engine, listened), ['task']);

  calls.length = 0;
  const skipped = (await engine.startProcessInstanceByKey('listenersProcess')).id;
  await engine.deleteProcessInstance(skipped, { reason: 'cleanup', skipCustomListeners: true });
  assert.deepEqual(calls, []);
  await assertEnded(engine, skipped, 'EXTERNALLY_TERMINATED');
});

// =====================================================================================================
// External tasks
// =====================================================================================================

test('an external task is fetched, locked and completed by a worker', async () => {
  const { engine } = await engineWith('external-task.bpmn');
  const pi = (await engine.startProcessInstanceByKey('externalTaskProcess', { businessKey: 'inv-1', variables: { card: str('4242') } })).id;
  assert.deepEqual(await at(engine, pi), { tree: 'proc(charge)', externalTasks: ['payment:charge'] });
  const [open] = await engine.externalTasks({ processInstanceId: pi });
  assert.deepEqual([open.priority, open.retries, open.workerId, open.lockExpirationTime], [10, null, null, null]);

  const [locked] = await engine.fetchAndLock({ workerId: 'w1', maxTasks: 5, topics: [{ topicName: 'payment', lockDuration: MINUTE, variables: ['card'] }] });
  assert.deepEqual([locked.activityId, locked.businessKey, locked.workerId, locked.lockExpirationTime], ['charge', 'inv-1', 'w1', T0 + MINUTE]);
  assert.deepEqual(values(locked.variables), { card: '4242' });

  await engine.completeExternalTask(locked.id, { workerId: 'w1', variables: { receipt: str('r-77') } });
  await assertEnded(engine, pi, 'COMPLETED', { endActivityId: 'end' });
  assert.deepEqual(await historicValues(engine, pi), { card: '4242', receipt: 'r-77' });
});

test('an external task that keeps failing runs out of retries and raises an incident, until the instance is deleted', async () => {
  const { engine, clock } = await engineWith('external-task.bpmn');
  const pi = (await engine.startProcessInstanceByKey('externalTaskProcess')).id;
  const fetch = () => engine.fetchAndLock({ workerId: 'w1', maxTasks: 1, topics: [{ topicName: 'payment', lockDuration: MINUTE }] });

  // First failure: two retries left, not before a minute has passed.
  let [locked] = await fetch();
  await engine.handleFailure(locked.id, { workerId: 'w1', errorMessage: 'gateway timeout', retries: 2, retryTimeout: MINUTE });
  let [row] = await engine.externalTasks({ processInstanceId: pi });
  assert.deepEqual([row.retries, row.errorMessage, row.workerId], [2, 'gateway timeout', 'w1']);
  assert.deepEqual(await fetch(), []);
  assert.deepEqual(await engine.incidents({ processInstanceId: pi }), []);

  // Second failure with no retries left: an incident on the activity.
  clock.advance(MINUTE);
  [locked] = await fetch();
  assert.equal(locked.id, row.id);
  await engine.handleFailure(locked.id, { workerId: 'w1', errorMessage: 'card blocked', retries: 0 });
  [row] = await engine.externalTasks({ processInstanceId: pi });
  assert.equal(row.retries, 0);
  assert.deepEqual(await fetch(), [], 'a task without retries is not handed out');

  const [incident, ...others] = await engine.incidents({ processInstanceId: pi });
  assert.equal(others.length, 0);
  assert.deepEqual(
    [incident.incidentType, incident.activityId, incident.configuration, incident.incidentMessage, incident.incidentTimestamp],
    ['failedExternalTask', 'charge', row.id, 'card blocked', T0 + MINUTE],
  );
  assert.deepEqual((await engine.incidents({ incidentType: 'failedExternalTask' })).map((i) => i.id), [incident.id]);
  const [charge] = (await engine.activityInstances(pi)).childActivityInstances;
  assert.deepEqual(charge.incidentIds, [incident.id], 'the tree shows the incident on the failing activity');
  assert.deepEqual(await at(engine, pi), { tree: 'proc(charge)', externalTasks: ['payment:charge'] });
  const [open] = await engine.historicIncidents({ processInstanceId: pi });
  assert.deepEqual([open.id, open.open], [incident.id, true]);

  // Giving up: the instance is deleted, and the incident with it.
  clock.advance(MINUTE);
  await engine.deleteProcessInstance(pi, { reason: 'card blocked for good' });
  await assertEnded(engine, pi, 'EXTERNALLY_TERMINATED');
  assert.deepEqual(await canceled(engine, pi), ['charge']);
  const [closed] = await engine.historicIncidents({ processInstanceId: pi });
  assert.deepEqual([closed.open, closed.deleted, closed.resolved, closed.endTime], [false, true, false, T0 + 2 * MINUTE]);
});

// =====================================================================================================
// Models the engine refuses
// =====================================================================================================

// Each is refused with a ParseException naming the element id and its type (docs/bpmn-coverage.md).
const refused = [
  ['unsupported-call-activity.bpmn', "Unsupported BPMN element 'callActivity' with id 'callSub'"],
  ['unsupported-script-task.bpmn', "Unsupported BPMN element 'scriptTask' with id 'script'"],
  ['unsupported-signal-event.bpmn', "Unsupported BPMN element 'intermediateThrowEvent' with id 'throwSignal': signalEventDefinition is not supported"],
  [
    'unsupported-timer-start-event.bpmn',
    "Unsupported BPMN element 'startEvent' with id 'timerStart': only none start events are supported at the process level (found timerEventDefinition)",
  ],
  ['unsupported-event-based-gateway.bpmn', "Unsupported BPMN element 'eventBasedGateway' with id 'race'"],
  ['unsupported-message-end-event.bpmn', "Unsupported BPMN element 'endEvent' with id 'sendDone': endEvent with messageEventDefinition is not supported"],
  [
    'invalid-service-task-without-implementation.bpmn',
    "One of the attributes 'class', 'delegateExpression', 'type', or 'expression' is mandatory on serviceTask 'service'.",
  ],
  ['invalid-multi-instance-without-cardinality.bpmn', "Either loopCardinality or loopDataInputRef/camunda:collection must be set (activity 'review')"],
  ['invalid-flow-target.bpmn', "Invalid destination 'missing' of sequence flow 'f1'"],
];

for (const [name, message] of refused) {
  test(`deploying ${name} is refused with "${message}", and nothing is stored`, async () => {
    const { engine } = await newEngine();
    const key = /<bpmn:process id="([^"]+)"/.exec(fixture(name))[1];
    await assert.rejects(engine.deploy(fixture(name)), (e) => e instanceof CoreError && e.type === 'ParseException' && e.message === message);
    assert.deepEqual(await engine.store.deployments(), []);
    assert.deepEqual(await engine.store.definitions(), []);
    await assert.rejects(engine.startProcessInstanceByKey(key), (e) => e.type === 'NotFoundException');
  });
}

test('a fixture that is not well-formed XML is refused with ENGINE-09005, and nothing is stored', async () => {
  const { engine } = await newEngine();
  await assert.rejects(
    engine.deploy(fixture('malformed.bpmn')),
    (e) => e instanceof CoreError && e.type === 'ParseException' && e.message.startsWith('ENGINE-09005 Could not parse BPMN process.'),
  );
  assert.deepEqual(await engine.store.deployments(), []);
  assert.deepEqual(await engine.store.definitions(), []);
});

test('every fixture in tests/fixtures/bpmn/ is exercised by this file', () => {
  const self = readFileSync(fileURLToPath(import.meta.url), 'utf8');
  const fixtures = readdirSync(join(root, 'tests', 'fixtures', 'bpmn')).filter((name) => name.endsWith('.bpmn'));
  assert.ok(fixtures.length >= 40);
  assert.deepEqual(fixtures.filter((name) => !self.includes(`'${name}'`)), []);
});
