// Process instance modification scenarios, each run twice: through the synchronous
// POST /process-instance/{id}/modification and through POST /process-instance/{id}/modification-async
// followed by the batch's seed, execution and monitor jobs (GET /job?jobDefinitionId= +
// POST /job/{id}/execute, as batch.test.js drives them). Two fresh instances of the same definition,
// started alike and brought to the same state, must end with the same activity instance tree
// (normalised: activity ids, nesting, transition instances), the same historic process instance
// state, the same multiset of historic activity instances, the same historic variables and variable
// updates, the same jobs, event subscriptions, user tasks and external tasks — and that must be what
// the scenario expects (issue 4: "a test runs every scenario through sync and async and requires
// the same resulting activity tree and history"). The scenarios whose plan names no activity or
// transition instance run once more through POST /modification/execute and /modification/executeAsync
// (one instance each) and must give the same again. Then the validation errors of semantics.md
// §1.10 that reach the REST layer (and failing delegates and expressions): the same status and
// message on both paths where both report them; an error found only while the batch's execution
// job runs shows up as the instance's failure in GET /detour/batch/{id}/instances and as the job's
// exception message, with the synchronous call's message; neither instance changes.
//
// Before each real call, a dry run of the same plan (POST /detour/modification/dry-run,
// docs/dry-run.md) must predict what that call then does: the same tree or end state, variable
// updates, jobs and user tasks, or the same refusal — except that a plan which would run a
// JavaScript delegate is refused by the dry run, which calls none (the scenario's `delegate`).
//
// Event subscriptions have no REST resource in Detour yet: they are read from the store
// (store.rows('subscriptions')); everything else goes over REST, checked against the OpenAPI
// document (Detour's own /detour/batch paths are not in it).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, it } from 'node:test';

import { root } from '../support.js';
import { checkJavaOnly, checkResponse } from './openapi.js';
import { describeRest, fixture } from './support.js';

const spec = JSON.parse(readFileSync(join(root, 'docs', 'camunda-openapi.json'), 'utf8'));

// --- inline models -------------------------------------------------------------------------------------

const inline = (id, body) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" targetNamespace="http://detour.test/bpmn" id="Definitions_${id}">
${body.replace('<bpmn:process ', `<bpmn:process id="${id}" isExecutable="true" camunda:historyTimeToLive="180" `)}
</bpmn:definitions>`;

// start → a → b → end, two user tasks in a row.
const TWO_TASKS = inline('scenarioTwoTasks', `
  <bpmn:process name="Two tasks">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="a" />
    <bpmn:userTask id="a" />
    <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="b" />
    <bpmn:userTask id="b" />
    <bpmn:sequenceFlow id="f3" sourceRef="b" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>`);

// start → a → b (asyncBefore) → end
const ASYNC_B = inline('scenarioAsyncB', `
  <bpmn:process name="Async b">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="a" />
    <bpmn:userTask id="a" />
    <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="b" />
    <bpmn:userTask id="b" camunda:asyncBefore="true" />
    <bpmn:sequenceFlow id="f3" sourceRef="b" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>`);

// start → sub (s1 → x → e1; message event subprocess esp: trigger `stop` → espEnd) → after → end:
// the event subprocess's subscription lives with the sub instance.
const SUB_WITH_EVENT_SUB = inline('scenarioSubWithEventSub', `
  <bpmn:message id="Message_stop" name="stop" />
  <bpmn:process name="Subprocess with an event subprocess">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="sub" />
    <bpmn:subProcess id="sub">
      <bpmn:startEvent id="s1" />
      <bpmn:sequenceFlow id="sf1" sourceRef="s1" targetRef="x" />
      <bpmn:userTask id="x" />
      <bpmn:sequenceFlow id="sf2" sourceRef="x" targetRef="e1" />
      <bpmn:endEvent id="e1" />
      <bpmn:subProcess id="esp" triggeredByEvent="true">
        <bpmn:startEvent id="trigger" isInterrupting="true">
          <bpmn:messageEventDefinition messageRef="Message_stop" />
        </bpmn:startEvent>
        <bpmn:sequenceFlow id="ef1" sourceRef="trigger" targetRef="espEnd" />
        <bpmn:endEvent id="espEnd" />
      </bpmn:subProcess>
    </bpmn:subProcess>
    <bpmn:sequenceFlow id="f2" sourceRef="sub" targetRef="after" />
    <bpmn:userTask id="after" />
    <bpmn:sequenceFlow id="f3" sourceRef="after" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>`);

// start → a → failing (class org.example.Failing, throws) → boom (expression on an unknown variable) → end
const FAILING = inline('scenarioFailing', `
  <bpmn:process name="Failing delegates">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="a" />
    <bpmn:userTask id="a" />
    <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="failing" />
    <bpmn:serviceTask id="failing" camunda:class="org.example.Failing" />
    <bpmn:sequenceFlow id="f3" sourceRef="failing" targetRef="boom" />
    <bpmn:serviceTask id="boom" camunda:expression="\${unknownVariable + 1}" />
    <bpmn:sequenceFlow id="f4" sourceRef="boom" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>`);

const MODELS = {
  scenarioFailing: FAILING,
  scenarioTwoTasks: TWO_TASKS,
  scenarioAsyncB: ASYNC_B,
  scenarioSubWithEventSub: SUB_WITH_EVENT_SUB,
  subProcessProcess: fixture('embedded-subprocess.bpmn'),
  parallelProcess: fixture('parallel-fork-join.bpmn'),
  listenersProcess: fixture('execution-listeners.bpmn'),
  inputOutputProcess: fixture('input-output.bpmn'),
  miParallelTask: fixture('mi-parallel-task-cardinality.bpmn'),
  miSequentialTask: fixture('mi-sequential-task-collection.bpmn'),
  miParallelSubProcess: fixture('mi-parallel-subprocess-collection.bpmn'),
  boundaryTimerProcess: fixture('boundary-timer.bpmn'),
  eventSubProcessMessage: fixture('event-subprocess-message.bpmn'),
  eventSubProcessMessageNonInterrupting: fixture('event-subprocess-message-non-interrupting.bpmn'),
  asyncProcess: fixture('async-continuations.bpmn'),
  terminateProcess: fixture('terminate-end-event.bpmn'),
  eventSubProcessTimer: fixture('event-subprocess-timer.bpmn'),
  boundaryTimerNonInterruptingProcess: fixture('boundary-timer-non-interrupting.bpmn'),
  intermediateMessageProcess: fixture('intermediate-message.bpmn'),
  intermediateTimerProcess: fixture('intermediate-timer.bpmn'),
  externalTaskProcess: fixture('external-task.bpmn'),
};

// --- the tree, found by activity id --------------------------------------------------------------------

/** Every activity instance (transitions: with {transitions: true}) of `activityId` in `tree`, depth first. */
function instancesOf(tree, activityId, { transitions = false } = {}) {
  const found = [];
  const walk = (node) => {
    if (node.activityId === activityId && node !== tree) found.push(node);
    if (transitions) for (const t of node.childTransitionInstances ?? []) if (t.activityId === activityId) found.push(t);
    for (const child of node.childActivityInstances ?? []) walk(child);
  };
  walk(tree);
  return found;
}
const idOf = (tree, activityId, n = 0) => {
  const node = instancesOf(tree, activityId)[n];
  assert.ok(node, `no instance ${n} of ${activityId} in ${normalTree(tree)}`);
  return node.id;
};
const transitionIdOf = (tree, activityId, n = 0) => {
  const node = instancesOf(tree, activityId, { transitions: true }).filter((t) => !t.childActivityInstances)[n];
  assert.ok(node, `no transition instance ${n} of ${activityId} in ${normalTree(tree)}`);
  return node.id;
};

/** The tree without ids: `proc(a,sub(x),~b)` — children sorted, `~` a transition instance. */
function normalTree(tree) {
  if (!tree) return 'ended';
  const node = (n, name) => {
    const children = [
      ...(n.childActivityInstances ?? []).map((c) => node(c, c.activityId)),
      ...(n.childTransitionInstances ?? []).map((t) => `~${t.activityId}`),
    ].sort();
    return children.length ? `${name}(${children.join(',')})` : name;
  };
  return node(tree, 'proc');
}

// --- the scenarios ------------------------------------------------------------------------------------
//
// {name, key (the process id, a model of MODELS), variables (start variables), startInstructions,
//  setup: async (h, id) → brings the instance to the state the plan expects (the same for both),
//  plan: (tree) → the ProcessInstanceModificationDto (or its instruction list),
//  expect: {tree, state, canceled: [activity ids of canceled historic activity instances],
//           variables: {name: value | {value, scope}} (historic; scope 'instance' or an activity id),
//           absent: [variable names never set], jobs: ['jobType@activityId'], subscriptions: ['eventName@activityId'],
//           tasks: [taskDefinitionKey of the user tasks], externalTasks: [activity ids of the external tasks]},
//  delegate: the JavaScript delegate the plan runs first (a dry run calls none: it refuses, naming it),
//  todo: what differs (a known difference, reported)}

const START_STEP = (...activityIds) => activityIds.map((activityId) => ({ type: 'startBeforeActivity', activityId }));

// listenersProcess (execution-listeners.bpmn): the task's end listener (auditListener, counting
// `audits`), the take listener of f1 (sets `taken` to 'f1'; the instruction sets it to 'before'
// first), the gateway's start listener (GatewayListener, counting `gatewayStarts`) and the end
// event's start listener (sets `endReached`). `taken` and `taskStarted` are already set by the start.
const LISTENED = [
  { type: 'cancel', activityId: 'task' },
  { type: 'startBeforeActivity', activityId: 'task' },
  { type: 'startTransition', transitionId: 'f1', variables: { taken: { value: 'before', type: 'String' } } },
  { type: 'startBeforeActivity', activityId: 'gateway' },
];

const SCENARIOS = [
  // --- each instruction type -----------------------------------------------------------------------
  {
    name: 'cancel by activityId + startBeforeActivity moves the token',
    key: 'scenarioTwoTasks',
    plan: () => [{ type: 'cancel', activityId: 'a' }, { type: 'startBeforeActivity', activityId: 'b' }],
    expect: { tree: 'proc(b)', state: 'ACTIVE', canceled: ['a'] },
  },
  {
    name: 'cancel by activityInstanceId + startBeforeActivity',
    key: 'scenarioTwoTasks',
    plan: (tree) => [{ type: 'cancel', activityInstanceId: idOf(tree, 'a') }, { type: 'startBeforeActivity', activityId: 'b' }],
    expect: { tree: 'proc(b)', state: 'ACTIVE', canceled: ['a'] },
  },
  {
    name: 'startAfterActivity takes the outgoing flow, the activity stays',
    key: 'scenarioTwoTasks',
    plan: () => [{ type: 'startAfterActivity', activityId: 'a' }],
    expect: { tree: 'proc(a,b)', state: 'ACTIVE', canceled: [] },
  },
  {
    name: 'startTransition takes the flow',
    key: 'scenarioTwoTasks',
    plan: () => [{ type: 'startTransition', transitionId: 'f2' }],
    expect: { tree: 'proc(a,b)', state: 'ACTIVE', canceled: [] },
  },
  {
    name: 'cancel by transitionInstanceId removes the transition instance and its job',
    key: 'scenarioAsyncB',
    startInstructions: START_STEP('a', 'b'),
    plan: (tree) => [{ type: 'cancel', transitionInstanceId: transitionIdOf(tree, 'b') }],
    expect: { tree: 'proc(a)', state: 'ACTIVE', canceled: [], jobs: [] },
  },
  {
    name: 'cancel by activityId includes transition instances',
    key: 'scenarioAsyncB',
    startInstructions: START_STEP('a', 'b'),
    plan: () => [{ type: 'cancel', activityId: 'b' }],
    expect: { tree: 'proc(a)', state: 'ACTIVE', canceled: [], jobs: [] },
  },
  {
    name: 'cancel the root activity instance cancels the instance (EXTERNALLY_TERMINATED)',
    key: 'scenarioTwoTasks',
    plan: (tree) => [{ type: 'cancel', activityInstanceId: tree.id }],
    expect: { tree: 'ended', state: 'EXTERNALLY_TERMINATED', canceled: ['a'] },
  },

  // --- ending the instance -------------------------------------------------------------------------
  {
    name: 'cancelling the last activity ends the instance EXTERNALLY_TERMINATED',
    key: 'scenarioTwoTasks',
    plan: () => [{ type: 'cancel', activityId: 'a' }],
    expect: { tree: 'ended', state: 'EXTERNALLY_TERMINATED', canceled: ['a'] },
  },
  {
    name: 'cancel + startTransition to the end completes the instance (COMPLETED)',
    key: 'scenarioTwoTasks',
    plan: () => [{ type: 'cancel', activityId: 'a' }, { type: 'startTransition', transitionId: 'f3' }],
    expect: { tree: 'ended', state: 'COMPLETED', canceled: ['a'] },
  },
  {
    name: 'cancel + startAfterActivity of the last task completes the instance (COMPLETED)',
    key: 'scenarioTwoTasks',
    plan: () => [{ type: 'cancel', activityId: 'a' }, { type: 'startAfterActivity', activityId: 'b' }],
    expect: { tree: 'ended', state: 'COMPLETED', canceled: ['a'] },
  },
  {
    name: 'startBeforeActivity a none end event beside another token: no effect',
    key: 'scenarioTwoTasks',
    plan: () => [{ type: 'startBeforeActivity', activityId: 'end' }],
    expect: { tree: 'proc(a)', state: 'ACTIVE', canceled: [] },
  },

  // --- scopes ---------------------------------------------------------------------------------------
  {
    name: 'scope creation: startBeforeActivity inside a subprocess without instance creates it',
    key: 'subProcessProcess',
    setup: (h, id) => h.completeTask(id, 'subTask'),
    plan: () => [{ type: 'startBeforeActivity', activityId: 'subTask' }],
    expect: { tree: 'proc(afterSub,sub(subTask))', state: 'ACTIVE', canceled: [] },
  },
  {
    name: 'scope reuse: startBeforeActivity inside the running subprocess instance',
    key: 'subProcessProcess',
    plan: () => [{ type: 'startBeforeActivity', activityId: 'subTask' }],
    expect: { tree: 'proc(sub(subTask,subTask))', state: 'ACTIVE', canceled: [] },
  },
  {
    name: 'ancestor selection: startBeforeActivity under one of two subprocess instances',
    key: 'subProcessProcess',
    startInstructions: START_STEP('sub', 'afterSub', 'sub'),
    plan: (tree) => [{ type: 'startBeforeActivity', activityId: 'subTask', ancestorActivityInstanceId: idOf(tree, 'sub', 1) }],
    expect: { tree: 'proc(afterSub,sub(subTask),sub(subTask,subTask))', state: 'ACTIVE', canceled: [] },
  },
  {
    name: 'ancestor selection: the root as ancestor creates a new subprocess instance',
    key: 'subProcessProcess',
    plan: (tree) => [{ type: 'startBeforeActivity', activityId: 'subTask', ancestorActivityInstanceId: tree.id }],
    expect: { tree: 'proc(sub(subTask),sub(subTask))', state: 'ACTIVE', canceled: [] },
  },
  {
    name: 'cancellation propagation: the last activity of a subprocess cancels the subprocess, nothing continues',
    key: 'subProcessProcess',
    startInstructions: START_STEP('sub', 'afterSub'),
    setup: (h, id) => h.completeTask(id, 'afterSub'), // afterSub ended: only sub(subTask) and a finished afterSub remain
    plan: (tree) => [{ type: 'startBeforeActivity', activityId: 'afterSub' }, { type: 'cancel', activityInstanceId: idOf(tree, 'subTask') }],
    expect: { tree: 'proc(afterSub)', state: 'ACTIVE', canceled: ['sub', 'subTask'] },
  },
  {
    name: 'cancellation propagation up to the instance: EXTERNALLY_TERMINATED, afterSub never starts',
    key: 'subProcessProcess',
    plan: (tree) => [{ type: 'cancel', activityInstanceId: idOf(tree, 'subTask') }],
    expect: { tree: 'ended', state: 'EXTERNALLY_TERMINATED', canceled: ['sub', 'subTask'] },
  },
  {
    name: 'cancelling one of two parallel tokens keeps the other',
    key: 'parallelProcess',
    plan: (tree) => [{ type: 'cancel', activityInstanceId: idOf(tree, 'taskA') }],
    expect: { tree: 'proc(taskB)', state: 'ACTIVE', canceled: ['taskA'] },
  },

  // --- variables -------------------------------------------------------------------------------------
  {
    name: 'variables: non-local on the instance, local on the new token',
    key: 'scenarioTwoTasks',
    plan: () => [
      { type: 'startBeforeActivity', activityId: 'b', variables: { shared: { value: 'up', type: 'String' }, mine: { value: 7, type: 'Integer', local: true } } },
    ],
    expect: { tree: 'proc(a,b)', state: 'ACTIVE', canceled: [], variables: { shared: { value: 'up', scope: 'instance' }, mine: 7 } },
  },
  {
    name: 'variables: local variables of a start in a new scope live on that scope',
    key: 'subProcessProcess',
    setup: (h, id) => h.completeTask(id, 'subTask'),
    plan: () => [{ type: 'startBeforeActivity', activityId: 'subTask', variables: { here: { value: true, type: 'Boolean', local: true }, there: { value: 1, type: 'Long' } } }],
    expect: { tree: 'proc(afterSub,sub(subTask))', state: 'ACTIVE', variables: { here: { value: true, scope: 'sub' }, there: { value: 1, scope: 'instance' } } },
  },
  {
    name: 'variables: an existing instance variable is updated, not shadowed',
    key: 'scenarioTwoTasks',
    variables: { amount: { value: 1, type: 'Integer' } },
    plan: () => [{ type: 'cancel', activityId: 'a' }, { type: 'startBeforeActivity', activityId: 'b', variables: { amount: { value: 2, type: 'Integer' } } }],
    expect: { tree: 'proc(b)', state: 'ACTIVE', canceled: ['a'], variables: { amount: { value: 2, scope: 'instance' } } },
  },

  {
    name: 'variables of every type survive the batch configuration',
    key: 'scenarioTwoTasks',
    plan: () => [
      {
        type: 'startBeforeActivity',
        activityId: 'b',
        variables: {
          aString: { value: 'text', type: 'String' },
          anInteger: { value: 42, type: 'Integer' },
          aLong: { value: 9007199254740991, type: 'Long' },
          aShort: { value: 7, type: 'Short' },
          aDouble: { value: 1.5, type: 'Double' },
          aBoolean: { value: false, type: 'Boolean' },
          aDate: { value: '2026-02-03T04:05:06.007+0000', type: 'Date' },
          aNull: { value: null, type: 'Null' },
          aJson: { value: '{"b":1,"a":[true,null]}', type: 'Json' },
          untyped: { value: 3 },
          localList: { value: '["x"]', type: 'Json', local: true },
        },
      },
    ],
    expect: {
      tree: 'proc(a,b)',
      state: 'ACTIVE',
      variables: { aString: 'text', anInteger: 42, aLong: 9007199254740991, aShort: 7, aDouble: 1.5, aBoolean: false, aDate: '2026-02-03T04:05:06.007+0000', aNull: null, untyped: 3 },
    },
  },

  // --- skip flags ------------------------------------------------------------------------------------
  {
    name: 'listeners: end, take and start listeners of cancelled and started elements fire',
    key: 'listenersProcess',
    plan: () => LISTENED,
    delegate: 'auditListener',
    expect: { tree: 'proc(task,task)', state: 'ACTIVE', canceled: ['task'], variables: { audits: 1, taken: 'f1', gatewayStarts: 1, endReached: true } },
  },
  {
    name: 'skipCustomListeners: no listener fires',
    key: 'listenersProcess',
    plan: () => ({ skipCustomListeners: true, instructions: LISTENED }),
    expect: { tree: 'proc(task,task)', state: 'ACTIVE', canceled: ['task'], variables: { taken: 'before' }, absent: ['audits', 'gatewayStarts', 'endReached'] },
  },
  {
    name: 'IO mappings: output of the cancelled task, input of the created subprocess',
    key: 'inputOutputProcess',
    variables: { amount: { value: 5, type: 'Integer' } },
    plan: () => [{ type: 'cancel', activityId: 'task' }, { type: 'startBeforeActivity', activityId: 'subTask' }],
    expect: { tree: 'proc(sub(subTask))', state: 'ACTIVE', canceled: ['task'], variables: { result: { value: 10, scope: 'instance' }, fixed: 'done', local: { value: 5, scope: 'sub' } } },
  },
  {
    name: 'skipIoMappings: neither the output nor the input mappings run',
    key: 'inputOutputProcess',
    variables: { amount: { value: 5, type: 'Integer' } },
    plan: () => ({ skipIoMappings: true, instructions: [{ type: 'cancel', activityId: 'task' }, { type: 'startBeforeActivity', activityId: 'subTask' }] }),
    expect: { tree: 'proc(sub(subTask))', state: 'ACTIVE', canceled: ['task'], absent: ['result', 'fixed', 'local'] },
  },

  // --- multi-instance ------------------------------------------------------------------------------
  {
    name: 'multi-instance: startBeforeActivity the body creates a whole new body (and its boundary timer)',
    key: 'miParallelTask',
    plan: () => [{ type: 'startBeforeActivity', activityId: 'review#multiInstanceBody' }],
    expect: {
      tree: 'proc(review#multiInstanceBody(review,review,review),review#multiInstanceBody(review,review,review))',
      state: 'ACTIVE',
      canceled: [],
      jobs: ['timer-transition@reviewTimeout', 'timer-transition@reviewTimeout'],
    },
  },
  {
    name: 'multi-instance: startBeforeActivity the inner activity adds an instance to the body',
    key: 'miParallelTask',
    plan: (tree) => [{ type: 'startBeforeActivity', activityId: 'review', ancestorActivityInstanceId: idOf(tree, 'review#multiInstanceBody') }],
    expect: { tree: 'proc(review#multiInstanceBody(review,review,review,review))', state: 'ACTIVE', canceled: [], variables: { nrOfInstances: 4 } },
  },
  {
    name: 'multi-instance: cancelling one inner instance keeps the body',
    key: 'miParallelTask',
    plan: (tree) => [{ type: 'cancel', activityInstanceId: idOf(tree, 'review', 0) }],
    expect: { tree: 'proc(review#multiInstanceBody(review,review))', state: 'ACTIVE', canceled: ['review'], jobs: ['timer-transition@reviewTimeout'] },
  },
  {
    name: 'multi-instance: cancelling the body removes it and its timer; the instance ends',
    key: 'miParallelTask',
    plan: () => [{ type: 'cancel', activityId: 'review#multiInstanceBody' }],
    expect: { tree: 'ended', state: 'EXTERNALLY_TERMINATED', canceled: ['review', 'review', 'review', 'review#multiInstanceBody'], jobs: [] },
  },
  {
    name: 'multi-instance: startBeforeActivity an inner activity without a body creates a body of one',
    key: 'miParallelSubProcess',
    variables: { items: { value: '["x","y"]', type: 'Json' } },
    plan: () => [{ type: 'cancel', activityId: 'perItem#multiInstanceBody' }, { type: 'startBeforeActivity', activityId: 'handleItem' }],
    expect: { tree: 'proc(perItem#multiInstanceBody(perItem(handleItem)))', state: 'ACTIVE', variables: { nrOfInstances: 1 } },
  },

  // --- boundary events -------------------------------------------------------------------------------
  {
    name: 'boundary timer: starting the activity creates its timer job',
    key: 'boundaryTimerProcess',
    plan: () => [{ type: 'startBeforeActivity', activityId: 'task' }],
    expect: { tree: 'proc(task,task)', state: 'ACTIVE', canceled: [], jobs: ['timer-transition@timer', 'timer-transition@timer'] },
  },
  {
    name: 'boundary timer: cancelling the activity removes its timer job',
    key: 'boundaryTimerProcess',
    plan: () => [{ type: 'cancel', activityId: 'task' }, { type: 'startBeforeActivity', activityId: 'escalated' }],
    expect: { tree: 'proc(escalated)', state: 'ACTIVE', canceled: ['task'], jobs: [] },
  },
  {
    name: 'boundary timer: startBeforeActivity the interrupting boundary event cancels its activity',
    key: 'boundaryTimerProcess',
    plan: () => [{ type: 'startBeforeActivity', activityId: 'timer' }],
    expect: { tree: 'proc(escalated)', state: 'ACTIVE', canceled: ['task'], jobs: [] },
  },

  // --- event subprocesses ----------------------------------------------------------------------------
  {
    name: 'event subprocess: a task inside starts the event subprocess concurrently, nothing is interrupted',
    key: 'eventSubProcessMessage',
    plan: () => [{ type: 'startBeforeActivity', activityId: 'handleCancel' }],
    expect: { tree: 'proc(eventSub(handleCancel),task)', state: 'ACTIVE', canceled: [], subscriptions: ['cancel@messageStart'] },
  },
  {
    name: 'event subprocess: the interrupting start event cancels the scope first',
    key: 'eventSubProcessMessage',
    plan: () => [{ type: 'startBeforeActivity', activityId: 'messageStart' }],
    expect: { tree: 'proc(eventSub(handleCancel))', state: 'ACTIVE', canceled: ['task'] },
  },
  {
    name: 'event subprocess: the non-interrupting start event keeps the scope',
    key: 'eventSubProcessMessageNonInterrupting',
    plan: () => [{ type: 'startBeforeActivity', activityId: 'messageStart' }],
    expect: { tree: 'proc(eventSub(handleUpdate),task)', state: 'ACTIVE', canceled: [], subscriptions: ['update@messageStart'] },
  },
  {
    name: 'event subprocess: its subscription comes with its scope',
    key: 'scenarioSubWithEventSub',
    startInstructions: START_STEP('after'),
    plan: () => [{ type: 'startBeforeActivity', activityId: 'x' }],
    expect: { tree: 'proc(after,sub(x))', state: 'ACTIVE', canceled: [], subscriptions: ['stop@trigger'] },
  },
  {
    name: 'event subprocess: its subscription goes with its scope',
    key: 'scenarioSubWithEventSub',
    startInstructions: START_STEP('after', 'x'),
    plan: () => [{ type: 'cancel', activityId: 'x' }],
    expect: { tree: 'proc(after)', state: 'ACTIVE', canceled: ['sub', 'x'], subscriptions: [] },
  },

  // --- async continuations ---------------------------------------------------------------------------
  {
    name: 'async: startBeforeActivity an asyncBefore activity gives a transition instance and a job',
    key: 'scenarioAsyncB',
    plan: () => [{ type: 'startBeforeActivity', activityId: 'b' }],
    expect: { tree: 'proc(a,~b)', state: 'ACTIVE', canceled: [], jobs: ['async-continuation@b'] },
  },
  {
    name: 'async: startAfterActivity into an asyncBefore activity honours it too',
    key: 'scenarioAsyncB',
    plan: () => [{ type: 'cancel', activityId: 'a' }, { type: 'startAfterActivity', activityId: 'a' }],
    expect: { tree: 'proc(~b)', state: 'ACTIVE', canceled: ['a'], jobs: ['async-continuation@b'] },
  },
  {
    name: 'async: startBeforeActivity the fixture\'s asyncBefore service task and legacy async user task',
    key: 'asyncProcess',
    plan: () => [{ type: 'startBeforeActivity', activityId: 'beforeTask' }, { type: 'startBeforeActivity', activityId: 'legacyTask' }],
    expect: { tree: 'proc(~beforeTask,~legacyTask,~start)', state: 'ACTIVE', canceled: [] },
  },

  // --- more: flags, suspension, end events, wait states ----------------------------------------------
  {
    name: 'cancelCurrentActiveActivityInstances spares the instance the plan started (Detour policy 2)',
    key: 'scenarioTwoTasks',
    plan: () => [{ type: 'startBeforeActivity', activityId: 'a' }, { type: 'cancel', activityId: 'a', cancelCurrentActiveActivityInstances: true }],
    expect: { tree: 'proc(a)', state: 'ACTIVE', canceled: ['a'], tasks: ['a'] },
  },
  {
    name: 'a suspended instance can still be cancelled',
    key: 'parallelProcess',
    setup: (h, id) => h.suspend(id),
    plan: () => [{ type: 'cancel', activityId: 'taskA' }],
    expect: { tree: 'proc(taskB)', state: 'SUSPENDED', canceled: ['taskA'], tasks: ['taskB'] },
  },
  {
    name: 'startBeforeActivity a terminate end event ends the instance (COMPLETED), the other tokens cancelled',
    key: 'terminateProcess',
    plan: () => [{ type: 'startBeforeActivity', activityId: 'terminate' }],
    expect: { tree: 'ended', state: 'COMPLETED', canceled: ['taskA', 'taskB'], tasks: [] },
  },
  {
    name: 'an event subprocess timer job survives the intermediate cancellation of cancel + start',
    key: 'eventSubProcessTimer',
    plan: () => [{ type: 'cancel', activityId: 'task' }, { type: 'startBeforeActivity', activityId: 'task' }],
    expect: { tree: 'proc(task)', state: 'ACTIVE', canceled: ['task'], jobs: ['timer-start-event-subprocess@timerStart'] },
  },
  {
    name: 'boundary timer: startBeforeActivity a non-interrupting boundary event keeps its activity',
    key: 'boundaryTimerNonInterruptingProcess',
    plan: () => [{ type: 'startBeforeActivity', activityId: 'timer' }],
    expect: { tree: 'proc(remind,task)', state: 'ACTIVE', canceled: [], tasks: ['remind', 'task'], jobs: ['timer-transition@timer'] },
  },
  {
    name: 'intermediate message catch: startBeforeActivity creates its subscription, cancel removes the old one',
    key: 'intermediateMessageProcess',
    plan: (tree) => [{ type: 'cancel', activityInstanceId: idOf(tree, 'waitForPayment') }, { type: 'startBeforeActivity', activityId: 'waitForPayment' }],
    expect: { tree: 'proc(waitForPayment)', state: 'ACTIVE', canceled: ['waitForPayment'], subscriptions: ['payment@waitForPayment'] },
  },
  {
    name: 'intermediate timer catch: startBeforeActivity creates its timer job',
    key: 'intermediateTimerProcess',
    variables: { dueDate: { value: '2026-02-01T00:00:00.000+0000', type: 'Date' } },
    plan: () => [{ type: 'startBeforeActivity', activityId: 'wait' }],
    expect: { tree: 'proc(wait,wait)', state: 'ACTIVE', canceled: [], jobs: ['timer-intermediate-transition@wait', 'timer-intermediate-transition@wait'] },
  },
  {
    name: 'external task: cancel removes it, startBeforeActivity creates a new one',
    key: 'externalTaskProcess',
    plan: () => [{ type: 'cancel', activityId: 'charge' }, { type: 'startBeforeActivity', activityId: 'charge' }, { type: 'startBeforeActivity', activityId: 'charge' }],
    expect: { tree: 'proc(charge,charge)', state: 'ACTIVE', canceled: ['charge'], externalTasks: ['charge', 'charge'] },
  },
  {
    name: 'sequential multi-instance: cancelling its only inner instance removes the body; the instance ends',
    key: 'miSequentialTask',
    variables: { approvers: { value: '["ann","bob","cid"]', type: 'Json' } },
    plan: (tree) => [{ type: 'cancel', activityInstanceId: idOf(tree, 'approve') }],
    expect: { tree: 'ended', state: 'EXTERNALLY_TERMINATED', canceled: ['approve', 'approve#multiInstanceBody'], tasks: [] },
  },
];

// --- validation errors (semantics.md §1.10) ----------------------------------------------------------
//
// {name, key, startInstructions, setup, plan, error: (tree) → {status, type, message | RegExp}, atCreation, delegate}
// atCreation: the async path refuses the request itself (same status and message); otherwise the
// batch is created and its execution job fails with the synchronous message.

const VALIDATION = [
  {
    name: 'a delegate of a started activity throws',
    key: 'scenarioFailing',
    delegate: 'org.example.Failing',
    plan: () => [{ type: 'cancel', activityId: 'a' }, { type: 'startBeforeActivity', activityId: 'failing' }],
    error: () => ({ status: 500, type: 'ProcessEngineException', message: 'card declined' }),
  },
  {
    name: 'an expression of a started activity fails',
    key: 'scenarioFailing',
    plan: () => [{ type: 'startBeforeActivity', activityId: 'boom' }],
    error: () => ({
      status: 500,
      type: 'ProcessEngineException',
      message: "Unknown property used in expression: ${unknownVariable + 1}. Cause: Cannot resolve identifier 'unknownVariable' (element 'boom')",
    }),
  },
  {
    name: 'an instruction the REST layer refuses (cancel without a target)',
    key: 'scenarioTwoTasks',
    plan: () => [{ type: 'cancel' }],
    atCreation: true,
    error: () => ({ status: 400, type: 'InvalidRequestException', message: "For instruction type 'cancel': exactly one, 'activityId', 'activityInstanceId', or 'transitionInstanceId', is required" }),
  },
  {
    name: 'an instruction the REST layer refuses (startTransition without transitionId)',
    key: 'scenarioTwoTasks',
    plan: () => [{ type: 'cancel', activityId: 'a' }, { type: 'startTransition' }],
    atCreation: true,
    error: () => ({ status: 400, type: 'InvalidRequestException', message: "For instruction type 'startTransition': 'transitionId' must be set" }),
  },
  {
    name: 'ENGINE-13036: the instance has ended',
    key: 'scenarioTwoTasks',
    setup: (h, id) => h.completeTask(id, 'a').then(() => h.completeTask(id, 'b')),
    plan: () => [{ type: 'startBeforeActivity', activityId: 'a' }],
    atCreation: true,
    error: (tree, id) => ({ status: 500, type: 'ProcessEngineException', message: `ENGINE-13036 Process instance '${id}' cannot be modified. The process instance does not exist` }),
  },
  {
    name: 'element missing (startBeforeActivity)',
    key: 'scenarioTwoTasks',
    plan: () => [{ type: 'cancel', activityId: 'a' }, { type: 'startBeforeActivity', activityId: 'nope' }],
    error: () => ({ status: 400, type: 'NotValidException', message: /^Cannot perform instruction: Start before activity 'nope'; Element 'nope' does not exist in process '.+': element is null$/ }),
  },
  {
    name: 'element missing (startTransition)',
    key: 'scenarioTwoTasks',
    plan: () => [{ type: 'startTransition', transitionId: 'nope' }],
    error: () => ({ status: 400, type: 'NotValidException', message: /^Cannot perform instruction: Start transition 'nope'; Element 'nope' does not exist in process '.+': element is null$/ }),
  },
  {
    name: 'startAfterActivity of a missing activity',
    key: 'scenarioTwoTasks',
    plan: () => [{ type: 'startAfterActivity', activityId: 'nope' }],
    error: () => ({ status: 400, type: 'NotValidException', message: "Cannot perform instruction: Start after activity 'nope'; Activity 'nope' does not exist: activity is null" }),
  },
  {
    name: 'startAfterActivity of an activity without outgoing flow',
    key: 'scenarioTwoTasks',
    plan: () => [{ type: 'startAfterActivity', activityId: 'end' }],
    error: () => ({ status: 500, type: 'ProcessEngineException', message: 'Cannot start after activity end; activity has no outgoing sequence flow to take' }),
  },
  {
    name: 'startAfterActivity of an activity with several outgoing flows',
    key: 'parallelProcess',
    plan: () => [{ type: 'startAfterActivity', activityId: 'fork' }],
    error: () => ({ status: 500, type: 'ProcessEngineException', message: 'Cannot start after activity fork; activity has more than one outgoing sequence flow' }),
  },
  {
    name: 'ancestor missing',
    key: 'scenarioTwoTasks',
    plan: () => [{ type: 'startBeforeActivity', activityId: 'b', ancestorActivityInstanceId: 'zzz' }],
    error: () => ({
      status: 400,
      type: 'NotValidException',
      message: "Cannot perform instruction: Start before activity 'b' with ancestor activity instance 'zzz'; Ancestor activity instance 'zzz' does not exist: ancestorInstance is null",
    }),
  },
  {
    name: 'ancestor not in the parent hierarchy',
    key: 'subProcessProcess',
    plan: (tree) => [{ type: 'startBeforeActivity', activityId: 'afterSub', ancestorActivityInstanceId: idOf(tree, 'sub') }],
    error: (tree) => ({
      status: 400,
      type: 'NotValidException',
      message: `Cannot perform instruction: Start before activity 'afterSub' with ancestor activity instance '${idOf(tree, 'sub')}'; Scope execution for '${idOf(tree, 'sub')}' cannot be found in parent hierarchy of flow element 'afterSub'`,
    }),
  },
  {
    name: 'ambiguous parent scope',
    key: 'subProcessProcess',
    startInstructions: START_STEP('sub', 'sub'),
    plan: () => [{ type: 'startBeforeActivity', activityId: 'subTask' }],
    error: () => ({ status: 500, type: 'ProcessEngineException', message: 'Ancestor activity execution is ambiguous for activity Activity(sub)' }),
  },
  {
    name: 'ambiguous attached activity of a boundary event',
    key: 'boundaryTimerProcess',
    startInstructions: START_STEP('task', 'task'),
    plan: () => [{ type: 'startBeforeActivity', activityId: 'timer' }],
    error: () => ({ status: 500, type: 'ProcessEngineException', message: 'Executions for activity Activity(task) ambiguous' }),
  },
  {
    name: 'a concurrent inner instance of a sequential multi-instance body',
    key: 'miSequentialTask',
    variables: { approvers: { value: '["ann","bob","cid"]', type: 'Json' } },
    plan: () => [{ type: 'startBeforeActivity', activityId: 'approve' }],
    error: () => ({ status: 500, type: 'ProcessEngineException', message: 'Concurrent instantiation not possible for activities in scope approve#multiInstanceBody' }),
  },
  {
    name: 'activity instance missing',
    key: 'scenarioTwoTasks',
    plan: () => [{ type: 'cancel', activityInstanceId: 'a:nope' }],
    error: () => ({
      status: 400,
      type: 'NotValidException',
      message: "Cannot perform instruction: Cancel activity instance 'a:nope'; Activity instance 'a:nope' does not exist: activityInstance is null",
    }),
  },
  {
    name: 'a transition instance is no activity instance',
    key: 'scenarioAsyncB',
    startInstructions: START_STEP('a', 'b'),
    plan: (tree) => [{ type: 'cancel', activityInstanceId: transitionIdOf(tree, 'b') }],
    error: (tree) => ({
      status: 400,
      type: 'NotValidException',
      message: `Cannot perform instruction: Cancel activity instance '${transitionIdOf(tree, 'b')}'; Activity instance '${transitionIdOf(tree, 'b')}' does not exist: activityInstance is null`,
    }),
  },
  {
    name: 'transition instance missing',
    key: 'scenarioTwoTasks',
    plan: () => [{ type: 'cancel', transitionInstanceId: 't:nope' }],
    error: () => ({
      status: 400,
      type: 'NotValidException',
      message: "Cannot perform instruction: Cancel transition instance 't:nope'; Transition instance 't:nope' does not exist: transitionInstance is null",
    }),
  },
  {
    name: 'a suspended instance refuses start instructions',
    key: 'scenarioTwoTasks',
    setup: (h, id) => h.suspend(id),
    plan: () => [{ type: 'startBeforeActivity', activityId: 'b' }],
    error: () => ({ status: 400, type: 'SuspendedEntityInteractionException', message: /^ENGINE-03043 Execution with id '.+' is suspended\.$/ }),
  },
];

describeRest('process instance modification scenarios: sync and async alike', (ctx) => {
  const definitions = new Map(); // process key → definition id

  /** A request checked against the OpenAPI document (statuses it does not list: Java-only; template null: Detour's own). */
  const call = async (method, template, path, body) => {
    const r = await ctx.api.call(method, path, body);
    if (!template) return r;
    const documented = spec.paths[template]?.[method.toLowerCase()]?.responses?.[String(r.status)];
    return documented ? checkResponse(method, template, r) : checkJavaOnly(method, template, r);
  };
  const ok = (r, status = 200) => {
    assert.equal(r.status, status, JSON.stringify(r.body));
    return r.body;
  };

  // --- setup helpers ---------------------------------------------------------------------------------
  const h = {
    async completeTask(id, taskDefinitionKey) {
      const tasks = ok(await call('GET', '/task', `/task?processInstanceId=${id}&taskDefinitionKey=${taskDefinitionKey}`));
      assert.equal(tasks.length, 1, `one task ${taskDefinitionKey}`);
      ok(await call('POST', '/task/{id}/complete', `/task/${tasks[0].id}/complete`, {}), 204);
    },
    async suspend(id) {
      ok(await call('PUT', '/process-instance/{id}/suspended', `/process-instance/${id}/suspended`, { suspended: true }), 204);
    },
  };

  const startInstance = async (s) => {
    const body = { variables: s.variables ?? {} };
    if (s.startInstructions) body.startInstructions = s.startInstructions;
    const id = ok(await call('POST', '/process-definition/{id}/start', `/process-definition/${definitions.get(s.key)}/start`, body)).id;
    if (s.setup) await s.setup(h, id);
    return id;
  };
  const tree = async (id) => {
    const r = await call('GET', '/process-instance/{id}/activity-instances', `/process-instance/${id}/activity-instances`);
    if (r.status === 404) return null;
    return ok(r);
  };
  const planBody = (plan, t) => {
    const p = plan(t);
    return Array.isArray(p) ? { instructions: p } : p;
  };
  const modifySync = (id, body) => call('POST', '/process-instance/{id}/modification', `/process-instance/${encodeURIComponent(id)}/modification`, body);
  const modifyAsync = (id, body) => call('POST', '/process-instance/{id}/modification-async', `/process-instance/${encodeURIComponent(id)}/modification-async`, body);
  const jobsOfDefinition = async (jobDefinitionId) => ok(await call('GET', '/job', `/job?jobDefinitionId=${jobDefinitionId}`));
  const execute = (jobId) => call('POST', '/job/{id}/execute', `/job/${jobId}/execute`);
  const getBatch = (id) => call('GET', '/batch/{id}', `/batch/${id}`);

  /** Runs the seed jobs until none is left → the execution jobs. */
  const seedAll = async (b) => {
    for (let i = 0; i < 100; i++) {
      const [seed] = await jobsOfDefinition(b.seedJobDefinitionId);
      if (!seed) return jobsOfDefinition(b.batchJobDefinitionId);
      ok(await execute(seed.id), 204);
    }
    throw new Error('the seed job never ended');
  };
  /** The whole batch: seeds, every execution job, the monitor; the batch is gone after. */
  const runBatch = async (b) => {
    const jobs = await seedAll(b);
    assert.equal(jobs.length, 1, 'modification-async: one execution job');
    for (const job of jobs) ok(await execute(job.id), 204);
    const [monitor] = await jobsOfDefinition(b.monitorJobDefinitionId);
    ok(await execute(monitor.id), 204);
    assert.equal((await getBatch(b.id)).status, 404, 'the monitor ended the batch');
    assert.ok(ok(await call('GET', '/history/batch/{id}', `/history/batch/${b.id}`)).endTime, 'the historic batch ended');
  };

  // --- what is compared ------------------------------------------------------------------------------
  const jobTypes = new Map(); // job definition id → 'jobType@activityId'
  const jobType = async (job) => {
    if (!jobTypes.has(job.jobDefinitionId)) {
      for (const d of ok(await call('GET', '/job-definition', `/job-definition?processDefinitionId=${job.processDefinitionId}`))) {
        jobTypes.set(d.id, `${d.jobType}@${d.activityId}`);
      }
    }
    return jobTypes.get(job.jobDefinitionId) ?? `?${job.jobDefinitionId}`;
  };

  /** The facts both paths must agree on, without ids. */
  const facts = async (id) => {
    const t = await tree(id);
    const hpi = ok(await call('GET', '/history/process-instance/{id}', `/history/process-instance/${id}`));
    const acts = ok(await call('GET', '/history/activity-instance', `/history/activity-instance?processInstanceId=${id}`));
    const scopeOf = new Map(acts.map((a) => [a.id, a.activityId]));
    const vars = ok(await call('GET', '/history/variable-instance', `/history/variable-instance?processInstanceId=${id}`));
    const jobs = ok(await call('GET', '/job', `/job?processInstanceId=${id}`));
    const subs = await ctx.store.rows('subscriptions', { processInstanceId: id });
    const tasks = ok(await call('GET', '/task', `/task?processInstanceId=${id}`));
    const details = ok(await call('GET', '/history/detail', `/history/detail?processInstanceId=${id}`));
    const externalTasks = ok(await call('GET', '/external-task', `/external-task?processInstanceId=${id}`));
    return {
      tree: normalTree(t),
      state: hpi.state,
      ended: hpi.endTime != null,
      deleteReason: hpi.deleteReason,
      endActivityId: hpi.endActivityId,
      activities: acts.map((a) => `${a.activityId}:${a.canceled ? 'canceled' : a.endTime != null ? 'ended' : 'running'}`).sort(),
      variables: vars
        .map((v) => ({ name: v.name, value: v.value, type: v.type, state: v.state, scope: v.activityInstanceId === id || v.activityInstanceId === t?.id ? 'instance' : scopeOf.get(v.activityInstanceId) ?? `?${v.activityInstanceId === null ? 'null' : 'other'}` }))
        .sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
      jobs: (await Promise.all(jobs.map(jobType))).sort(),
      subscriptions: subs.map((s) => `${s.eventName}@${s.activityId}`).sort(),
      tasks: tasks.map((t) => t.taskDefinitionKey).sort(),
      externalTasks: externalTasks.map((t) => t.activityId).sort(),
      // the variable updates (a multiset: the ids and times that order them differ)
      details: details.map((d) => `${d.type}:${d.variableName}=${JSON.stringify(d.value)}@${scopeOf.get(d.activityInstanceId) ?? (d.activityInstanceId === id ? 'instance' : d.activityInstanceId === null ? 'null' : '?')}`).sort(),
    };
  };

  const checkExpectation = (f, expect, what) => {
    assert.equal(f.tree, expect.tree, `${what}: tree`);
    assert.equal(f.state, expect.state, `${what}: historic state`);
    assert.equal(f.ended, !['ACTIVE', 'SUSPENDED'].includes(expect.state), `${what}: endTime`);
    if (expect.canceled) {
      assert.deepEqual(f.activities.filter((a) => a.endsWith(':canceled')).map((a) => a.split(':')[0]).sort(), [...expect.canceled].sort(), `${what}: canceled`);
    }
    for (const [name, want] of Object.entries(expect.variables ?? {})) {
      const { value, scope } = want !== null && typeof want === 'object' ? want : { value: want };
      const found = f.variables.filter((v) => v.name === name);
      assert.ok(found.some((v) => v.value === value && (scope === undefined || v.scope === scope)), `${what}: variable ${name} = ${value} (${scope ?? 'any scope'}); found ${JSON.stringify(found)}`);
    }
    for (const name of expect.absent ?? []) assert.deepEqual(f.variables.filter((v) => v.name === name), [], `${what}: no variable ${name}`);
    if (expect.jobs) assert.deepEqual(f.jobs, [...expect.jobs].sort(), `${what}: jobs`);
    if (expect.tasks) assert.deepEqual(f.tasks, [...expect.tasks].sort(), `${what}: user tasks`);
    if (expect.externalTasks) assert.deepEqual(f.externalTasks, [...expect.externalTasks].sort(), `${what}: external tasks`);
    if (expect.subscriptions) assert.deepEqual(f.subscriptions, [...expect.subscriptions].sort(), `${what}: subscriptions`);
  };

  // --- the dry run: asked first, it must predict what the real call then does ----------------------------
  /** Instance `id`'s variable updates (historic details) as a dry run lists them. */
  const variableUpdates = async (id) =>
    ok(await call('GET', '/history/detail', `/history/detail?processInstanceId=${id}`)).map((d) => ({
      id: d.id, name: d.variableName, type: d.variableType, value: d.value, local: d.executionId !== id,
    }));
  const multiset = (list) => list.map(({ name, type, value, local }) => JSON.stringify({ name, type, value, local })).sort();

  /**
   * Dry-runs `body` (the single-instance form on instance `id`, or a ModificationDto of it alone),
   * then runs `real()` and asserts that the dry run predicted its outcome → real()'s response. A
   * refused request: the same status and body; a refused instance: the same error type and
   * message; else the same normalised tree, end state, variable updates (name, type, value, local
   * or not), jobs and user tasks. A plan that runs a JavaScript `delegate` is refused by the dry
   * run, naming it (the listeners' counters show the real call ran it once, the dry run never).
   */
  const dryRunThen = async (id, body, real, { delegate } = {}) => {
    const known = new Set((await variableUpdates(id)).map((v) => v.id));
    const dry = await call('POST', null, '/detour/modification/dry-run', body);
    const r = await real();
    if (dry.status !== 200) {
      assert.deepEqual([dry.status, dry.body], [r.status, r.body], 'the dry run refuses the request as the real call does');
      return r;
    }
    const [predicted] = dry.body.instances;
    if (delegate) {
      assert.deepEqual(predicted.error, { type: 'ProcessEngineException', message: `Dry run: delegate '${delegate}' is not run in a simulation` });
      return r;
    }
    if (r.status >= 400) {
      assert.deepEqual(predicted.error, { type: r.body.type, message: r.body.message }, 'the dry run predicts the refusal');
      return r;
    }
    assert.equal(predicted.error, null, 'the dry run predicts success');
    const seen = await facts(id);
    assert.equal(normalTree(predicted.after.tree), seen.tree, 'the dry run predicts the tree');
    assert.equal(predicted.after.endState, seen.ended ? seen.state : null, 'the dry run predicts the end');
    const made = (await variableUpdates(id)).filter((v) => !known.has(v.id));
    assert.deepEqual(multiset(predicted.variables), multiset(made), 'the dry run predicts the variables set');
    assert.deepEqual(predicted.jobs.map((j) => `${j.handlerType}@${j.activityId}`).sort(), seen.jobs, 'the dry run predicts the jobs');
    assert.deepEqual(predicted.tasks.map((t) => t.taskDefinitionKey).sort(), seen.tasks, 'the dry run predicts the user tasks');
    return r;
  };

  before(async () => { // deploys the models, registers the listeners' delegates
    ctx.engine.registerDelegate('auditListener', (execution) => {
      execution.setVariable('audits', (execution.getVariable('audits') ?? 0) + 1);
    });
    ctx.engine.registerDelegate('org.example.GatewayListener', (execution) => {
      execution.setVariable('gatewayStarts', (execution.getVariable('gatewayStarts') ?? 0) + 1);
    });
    ctx.engine.registerDelegate('org.example.ProcessEndListener', () => {});
    ctx.engine.registerDelegate('org.example.Failing', () => {
      throw new Error('card declined');
    });
    for (const [key, xml] of Object.entries(MODELS)) {
      const body = ok(await ctx.api.deploy(xml, { name: key, resourceName: `${key}.bpmn` }));
      const d = Object.values(body.deployedProcessDefinitions).find((x) => x.key === key);
      assert.ok(d, `deployed ${key}`);
      definitions.set(key, d.id);
    }
  });

  for (const s of SCENARIOS) {
    it(`sync = async = expected: ${s.name}`, s.todo ? { todo: s.todo } : {}, async () => {
      const syncId = await startInstance(s);
      const asyncId = await startInstance(s);
      const before = [await facts(syncId), await facts(asyncId)];
      assert.deepEqual(before[1], before[0], 'the two instances start alike');

      const plan = planBody(s.plan, await tree(syncId));
      ok(await dryRunThen(syncId, { processInstanceId: syncId, ...plan }, () => modifySync(syncId, plan), s), 204);
      const b = ok(await modifyAsync(asyncId, planBody(s.plan, await tree(asyncId))));
      assert.deepEqual([b.type, b.totalJobs], ['instance-modification', 1]);
      await runBatch(b);

      const sync = await facts(syncId);
      const async = await facts(asyncId);
      assert.deepEqual(async, sync, 'the async path gives what the sync path gives');
      checkExpectation(sync, s.expect, 'sync');
    });
  }

  // The same scenarios through the modification of several instances (POST /modification/execute and
  // /modification/executeAsync, one instance each), where the plan names no instance of its own: the
  // same result as the single-instance call (Detour's policies 2 and 3: variables applied,
  // EXTERNALLY_TERMINATED).
  const perInstance = (instructions) => instructions.some((i) => i.activityInstanceId || i.transitionInstanceId || i.ancestorActivityInstanceId);
  for (const s of SCENARIOS.filter((x) => x.plan.length === 0)) { // plans that do not read the tree
    it(`execute = executeAsync = single sync: ${s.name}`, s.todo ? { todo: s.todo } : {}, async () => {
      const probe = await startInstance(s);
      const body = planBody(s.plan, await tree(probe));
      assert.ok(!perInstance(body.instructions), 'a plan for several instances names no instance');
      const multiId = await startInstance(s);
      const multiAsyncId = await startInstance(s);
      const request = (id) => ({ ...planBody(s.plan, null), processDefinitionId: definitions.get(s.key), processInstanceIds: [id] });
      ok(await modifySync(probe, body), 204);
      ok(await dryRunThen(multiId, request(multiId), () => call('POST', '/modification/execute', '/modification/execute', request(multiId)), s), 204);
      const b = ok(await call('POST', '/modification/executeAsync', '/modification/executeAsync', request(multiAsyncId)));
      assert.deepEqual([b.type, b.totalJobs], ['instance-modification', 1]);
      await runBatch(b);
      const single = await facts(probe);
      assert.deepEqual(await facts(multiId), single, '/modification/execute gives what the single-instance call gives');
      assert.deepEqual(await facts(multiAsyncId), single, '/modification/executeAsync gives what the single-instance call gives');
      checkExpectation(single, s.expect, 'single');
    });
  }

  it('no instructions: the sync call does nothing (204, not even for an unknown instance), the async call refuses (400), as in Camunda', async () => {
    const id = await startInstance({ key: 'scenarioTwoTasks' });
    const before = await facts(id);
    for (const target of [id, 'nope']) {
      for (const body of [{}, { instructions: [] }, { instructions: null, skipCustomListeners: true }]) {
        assert.equal((await modifySync(target, body)).status, 204, JSON.stringify(body));
        const dry = ok(await call('POST', null, '/detour/modification/dry-run', { processInstanceId: target, ...body }));
        assert.deepEqual([dry.instances, dry.summary], [[], { total: 0, succeeded: 0, failed: 0 }], 'the dry run: nothing would happen');
        const r = await modifyAsync(target, body);
        assert.deepEqual([r.status, r.body], [400, { type: 'InvalidRequestException', message: 'The provided instuctions are invalid.', code: null }], JSON.stringify(body));
      }
    }
    assert.deepEqual(await facts(id), before);
  });

  it('an unknown instance: the same 500 ENGINE-13036 on both paths', async () => {
    const plan = { instructions: [{ type: 'startBeforeActivity', activityId: 'b' }] };
    const message = "ENGINE-13036 Process instance 'nope' cannot be modified. The process instance does not exist";
    const sync = await dryRunThen('nope', { processInstanceId: 'nope', ...plan }, () => modifySync('nope', plan));
    for (const r of [sync, await modifyAsync('nope', plan)]) {
      assert.deepEqual([r.status, r.body?.type, r.body?.message], [500, 'ProcessEngineException', message]);
    }
  });

  for (const v of VALIDATION) {
    it(`sync and async report alike: ${v.name}`, v.todo ? { todo: v.todo } : {}, async () => {
      const syncId = await startInstance(v);
      const asyncId = await startInstance(v);
      const syncTree = await tree(syncId);
      const asyncTree = await tree(asyncId);
      const before = [await facts(syncId), await facts(asyncId)];

      const want = (t, id) => v.error(t, id);
      const matches = (r, w, what) => {
        assert.deepEqual([r.status, r.body?.type], [w.status, w.type], `${what}: ${JSON.stringify(r.body)}`);
        if (w.message instanceof RegExp) assert.match(r.body.message, w.message, what);
        else assert.equal(r.body.message, w.message, what);
      };

      const plan = planBody(v.plan, syncTree);
      const sync = await dryRunThen(syncId, { processInstanceId: syncId, ...plan }, () => modifySync(syncId, plan), v);
      matches(sync, want(syncTree, syncId), 'sync');

      const created = await modifyAsync(asyncId, planBody(v.plan, asyncTree));
      if (v.atCreation) {
        matches(created, want(asyncTree, asyncId), 'async, at creation');
        // the same words, the instance ids aside
        assert.equal(created.body.message.replaceAll(asyncId, '<id>'), sync.body.message.replaceAll(syncId, '<id>'));
      } else {
        const b = ok(created);
        const [job] = await seedAll(b);
        const failed = await execute(job.id);
        assert.equal(failed.status >= 400, true, JSON.stringify(failed.body));
        const instances = ok(await call('GET', null, `/detour/batch/${b.id}/instances`));
        assert.equal(instances.length, 1);
        assert.deepEqual([instances[0].processInstanceId, instances[0].state], [asyncId, 'failed']);
        const message = instances[0].errorMessage;
        const expected = want(asyncTree, asyncId);
        if (expected.message instanceof RegExp) assert.match(message, expected.message);
        else assert.equal(message, expected.message);
        const normalise = (m, t, id) => (t ? [t.id, ...allIds(t)] : []).reduce((acc, x) => acc.replaceAll(x, '<id>'), m.replaceAll(id, '<id>'));
        assert.equal(normalise(message, asyncTree, asyncId), normalise(sync.body.message, syncTree, syncId), 'the batch failure has the sync message');
        const [stillThere] = await jobsOfDefinition(b.batchJobDefinitionId);
        assert.deepEqual([stillThere.id, stillThere.retries, stillThere.exceptionMessage], [job.id, 2, message]);
        ok(await call('DELETE', '/batch/{id}', `/batch/${b.id}?cascade=true`), 204);
      }
      // neither instance changed
      const after = [await facts(syncId), await facts(asyncId)];
      assert.deepEqual(after[0], before[0], 'the sync path changed nothing');
      assert.deepEqual(after[1], before[1], 'the async path changed nothing');
    });
  }
});

/** The ids of every activity and transition instance below `tree`. */
function allIds(tree) {
  const ids = [];
  const walk = (n) => {
    for (const t of n.childTransitionInstances ?? []) ids.push(t.id);
    for (const c of n.childActivityInstances ?? []) {
      ids.push(c.id);
      walk(c);
    }
  };
  walk(tree);
  return ids;
}
