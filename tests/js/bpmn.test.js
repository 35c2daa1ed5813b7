// bpmn.test.js — BPMN XML → model documents (js/bpmn.js), on the fixtures in tests/fixtures/bpmn
// and a few inline documents: every supported element, and unsupported BPMN passed on unchanged
// so the core's compile can reject it by type and id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { bpmnToModels } from '../../js/bpmn.js';

const FIXTURES = new URL('../fixtures/bpmn/', import.meta.url);

async function fixture(name) {
  const models = await bpmnToModels(readFileSync(new URL(name, FIXTURES), 'utf8'));
  assert.equal(models.length, 1, `${name} holds one process`);
  return models[0];
}

async function processOf(name) {
  return (await fixture(name)).process;
}

// Finds an element by id anywhere in a process document (subprocesses included).
function find(scope, id) {
  for (const el of scope.elements || []) {
    if (el.id === id) return el;
    const inner = el.elements ? find(el, id) : null;
    if (inner) return inner;
  }
  return null;
}

function flow(scope, id) {
  return (scope.flows || []).find((f) => f.id === id);
}

const CAMUNDA = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const inline = (body) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${CAMUNDA} id="d" targetNamespace="http://detour.test">${body}</bpmn:definitions>`;

test('a user task process becomes its start event, user task and end event with their flows', async () => {
  const model = await fixture('user-task.bpmn');
  assert.deepEqual(model, {
    key: 'userTaskProcess',
    name: 'User task',
    isExecutable: true,
    versionTag: null,
    historyTimeToLive: 180,
    startableInTasklist: true,
    process: {
      id: 'userTaskProcess',
      name: 'User task',
      isExecutable: true,
      elements: [
        { type: 'startEvent', id: 'start', name: 'Start', isInterrupting: true },
        { type: 'userTask', id: 'task', name: 'Do it', assignee: 'demo' },
        { type: 'endEvent', id: 'end', name: 'End' },
      ],
      flows: [
        { id: 'f1', sourceRef: 'start', targetRef: 'task' },
        { id: 'f2', sourceRef: 'task', targetRef: 'end' },
      ],
    },
  });
});

test('the five-activities benchmark model has five flow nodes in a line, one of them a user task', async () => {
  const p = await processOf('five-activities.bpmn');
  assert.deepEqual(p.elements.map((e) => `${e.type}:${e.id}`), [
    'startEvent:start', 'manualTask:t1', 'userTask:review', 'task:t2', 'endEvent:end',
  ]);
  assert.deepEqual(p.flows.map((f) => `${f.sourceRef}->${f.targetRef}`), ['start->t1', 't1->review', 'review->t2', 't2->end']);
});

test('an exclusive gateway keeps its default flow and the conditions of the others', async () => {
  const p = await processOf('exclusive-gateway.bpmn');
  assert.deepEqual(find(p, 'gateway'), { type: 'exclusiveGateway', id: 'gateway', name: 'Amount?', default: 'toReview' });
  assert.deepEqual(flow(p, 'toApprove'), { id: 'toApprove', name: 'large', sourceRef: 'gateway', targetRef: 'approve', condition: '${amount > 100}' });
  assert.equal(flow(p, 'toAuto').condition, '${amount <= 10}');
  assert.equal('condition' in flow(p, 'toReview'), false);
});

test('parallel gateways fork into and join from two user tasks', async () => {
  const p = await processOf('parallel-fork-join.bpmn');
  assert.equal(find(p, 'fork').type, 'parallelGateway');
  assert.equal(find(p, 'join').type, 'parallelGateway');
  assert.deepEqual(p.flows.filter((f) => f.targetRef === 'join').map((f) => f.sourceRef), ['taskA', 'taskB']);
});

test('an inclusive gateway keeps conditions and its default flow, and its join is an inclusive gateway', async () => {
  const p = await processOf('inclusive-gateway.bpmn');
  assert.deepEqual(find(p, 'fork'), { type: 'inclusiveGateway', id: 'fork', default: 'toC' });
  assert.equal(flow(p, 'toA').condition, '${a}');
  assert.equal(flow(p, 'toB').condition, '${b}');
  assert.equal(find(p, 'join').type, 'inclusiveGateway');
});

test('an embedded subprocess holds its own elements and flows', async () => {
  const p = await processOf('embedded-subprocess.bpmn');
  const sub = find(p, 'sub');
  assert.equal(sub.type, 'subProcess');
  assert.equal(sub.triggeredByEvent, false);
  assert.deepEqual(sub.elements.map((e) => e.id), ['subStart', 'subTask', 'subEnd']);
  assert.deepEqual(sub.flows.map((f) => f.id), ['sf1', 'sf2']);
  assert.equal(flow(p, 'sf1'), undefined, 'nested flows stay in the subprocess');
});

test('event subprocesses carry triggeredByEvent and a start event with its trigger and interrupting flag', async () => {
  const cases = [
    ['event-subprocess-message.bpmn', 'messageStart', true, { type: 'messageEventDefinition', messageRef: 'Message_cancel', messageName: 'cancel' }],
    ['event-subprocess-message-non-interrupting.bpmn', 'messageStart', false, { type: 'messageEventDefinition', messageRef: 'Message_update', messageName: 'update' }],
    ['event-subprocess-timer.bpmn', 'timerStart', true, { type: 'timerEventDefinition', timeDuration: 'PT1H' }],
    ['event-subprocess-timer-non-interrupting.bpmn', 'timerStart', false, { type: 'timerEventDefinition', timeCycle: 'R3/PT10M' }],
    ['event-subprocess-error.bpmn', 'errorStart', true, { type: 'errorEventDefinition', errorRef: 'Error_failed', errorCode: 'FAILED' }],
  ];
  for (const [file, startId, interrupting, definition] of cases) {
    const p = await processOf(file);
    const sub = find(p, 'eventSub');
    assert.equal(sub.triggeredByEvent, true, file);
    const start = find(p, startId);
    assert.equal(start.isInterrupting, interrupting, file);
    assert.deepEqual(start.eventDefinitions, [definition], file);
    assert.equal(sub.elements[0].id, startId, file);
  }
});

test('boundary events carry attachedTo, cancelActivity and their timer, message or error definition', async () => {
  const timer = find(await processOf('boundary-timer.bpmn'), 'timer');
  assert.deepEqual(timer, {
    type: 'boundaryEvent', id: 'timer', name: '1 hour', attachedTo: 'task', cancelActivity: true,
    eventDefinitions: [{ type: 'timerEventDefinition', timeDuration: 'PT1H' }],
  });
  const nonInterruptingTimer = find(await processOf('boundary-timer-non-interrupting.bpmn'), 'timer');
  assert.equal(nonInterruptingTimer.cancelActivity, false);
  assert.equal(nonInterruptingTimer.eventDefinitions[0].timeDuration, 'PT30M');

  const message = find(await processOf('boundary-message.bpmn'), 'cancel');
  assert.equal(message.cancelActivity, true);
  assert.deepEqual(message.eventDefinitions, [{ type: 'messageEventDefinition', messageRef: 'Message_cancel', messageName: 'cancel' }]);
  assert.equal(find(await processOf('boundary-message-non-interrupting.bpmn'), 'info').cancelActivity, false);

  const p = await processOf('boundary-error.bpmn');
  assert.deepEqual(find(p, 'subError').eventDefinitions, [{ type: 'errorEventDefinition', errorRef: 'Error_subFailed', errorCode: 'SUB_FAILED' }]);
  assert.equal(find(p, 'subError').attachedTo, 'sub');
  assert.deepEqual(find(p, 'anyError').eventDefinitions, [{ type: 'errorEventDefinition', errorCode: null }], 'no errorRef catches all');
  assert.deepEqual(find(p, 'errorEnd').eventDefinitions, [{ type: 'errorEventDefinition', errorRef: 'Error_subFailed', errorCode: 'SUB_FAILED' }]);
});

test('intermediate timer and message catch events and a none throw event', async () => {
  const timers = await processOf('intermediate-timer.bpmn');
  assert.deepEqual(find(timers, 'wait').eventDefinitions, [{ type: 'timerEventDefinition', timeDuration: 'PT5M' }]);
  assert.deepEqual(find(timers, 'waitUntil').eventDefinitions, [{ type: 'timerEventDefinition', timeDate: '${dueDate}' }]);
  assert.equal(find(timers, 'wait').type, 'intermediateCatchEvent');
  const message = find(await processOf('intermediate-message.bpmn'), 'waitForPayment');
  assert.deepEqual(message.eventDefinitions, [{ type: 'messageEventDefinition', messageRef: 'Message_payment', messageName: 'payment' }]);
  assert.deepEqual(find(await processOf('intermediate-none-throw.bpmn'), 'milestone'), {
    type: 'intermediateThrowEvent', id: 'milestone', name: 'Milestone reached',
  });
});

test('a receive task resolves its messageRef to the message name', async () => {
  assert.deepEqual(find(await processOf('receive-task.bpmn'), 'waitForOrder'), {
    type: 'receiveTask', id: 'waitForOrder', name: 'Wait for order', messageRef: 'Message_order', messageName: 'order',
  });
});

test('multi-instance loop characteristics: cardinality, collection, element variable, completion condition', async () => {
  assert.deepEqual(find(await processOf('mi-parallel-task-cardinality.bpmn'), 'review').loopCharacteristics, {
    type: 'multiInstanceLoopCharacteristics', isSequential: false, loopCardinality: '3',
  });
  const approve = find(await processOf('mi-sequential-task-collection.bpmn'), 'approve');
  assert.deepEqual(approve.loopCharacteristics, {
    type: 'multiInstanceLoopCharacteristics', isSequential: true, collection: 'approvers', elementVariable: 'approver',
    completionCondition: '${nrOfCompletedInstances >= 2}',
  });
  assert.equal(approve.assignee, '${approver}');
  const perItem = find(await processOf('mi-parallel-subprocess-collection.bpmn'), 'perItem');
  assert.deepEqual(perItem.loopCharacteristics, {
    type: 'multiInstanceLoopCharacteristics', isSequential: false, collection: '${items}', elementVariable: 'item',
  });
  assert.deepEqual(perItem.elements.map((e) => e.id), ['itemStart', 'handleItem', 'itemEnd']);
  assert.deepEqual(find(await processOf('mi-sequential-subprocess-cardinality.bpmn'), 'rounds').loopCharacteristics, {
    type: 'multiInstanceLoopCharacteristics', isSequential: true, loopCardinality: '${count}', completionCondition: '${done}',
  });
  const p = await processOf('mi-parallel-task-cardinality.bpmn');
  assert.equal(find(p, 'reviewTimeout').attachedTo, 'review', 'boundary events name the activity, not its body');
});

test('async continuations: asyncBefore, asyncAfter, legacy camunda:async, and on the multi-instance loop', async () => {
  const p = await processOf('async-continuations.bpmn');
  assert.deepEqual(find(p, 'start'), { type: 'startEvent', id: 'start', asyncAfter: true, isInterrupting: true });
  assert.equal(find(p, 'beforeTask').asyncBefore, true);
  assert.equal('asyncAfter' in find(p, 'beforeTask'), false);
  assert.equal(find(p, 'afterTask').asyncAfter, true);
  assert.equal(find(p, 'legacyTask').asyncBefore, true, 'camunda:async means asyncBefore');
  const mi = find(p, 'miTask');
  assert.equal(mi.asyncBefore, true);
  assert.equal('asyncBefore' in mi.loopCharacteristics, false);
  assert.equal(find(p, 'end').asyncBefore, true);
  // async flags on the loop itself are carried, for the compile to reject them
  const xml = readFileSync(new URL('async-continuations.bpmn', FIXTURES), 'utf8').replace(
    '<bpmn:multiInstanceLoopCharacteristics>',
    '<bpmn:multiInstanceLoopCharacteristics camunda:asyncBefore="true" camunda:asyncAfter="true">',
  );
  const loop = find((await bpmnToModels(xml))[0].process, 'miTask').loopCharacteristics;
  assert.equal(loop.asyncBefore, true);
  assert.equal(loop.asyncAfter, true);
});

test('input/output mappings: text, expression, null, nested lists and maps, outputs', async () => {
  const p = await processOf('input-output.bpmn');
  assert.deepEqual(find(p, 'task').inputOutput, {
    inputParameters: [
      { name: 'literal', value: 'hello' },
      { name: 'doubled', value: '${amount * 2}' },
      { name: 'nothing' },
      { name: 'items', list: [{ value: 'a' }, { value: '${amount}' }, { list: [{ value: 'nested' }] }] },
      { name: 'config', map: [{ key: 'mode', value: 'fast' }, { key: 'limit', value: '${amount + 1}' }, { key: 'tags', list: [{ value: 'x' }] }] },
    ],
    outputParameters: [{ name: 'result', value: '${doubled}' }, { name: 'fixed', value: 'done' }],
  });
  assert.deepEqual(find(p, 'sub').inputOutput, {
    inputParameters: [{ name: 'local', value: '${amount}' }],
    outputParameters: [{ name: 'fromSub', value: '${local}' }],
  });
});

test('execution listeners on the process, events, tasks, gateways and sequence flows', async () => {
  const p = await processOf('execution-listeners.bpmn');
  assert.deepEqual(p.listeners, [
    { event: 'start', expression: "${execution.setVariable('processStarted', true)}" },
    { event: 'end', class: 'org.example.ProcessEndListener' },
  ]);
  assert.deepEqual(find(p, 'task').listeners, [
    { event: 'start', expression: "${execution.setVariable('taskStarted', true)}" },
    { event: 'end', delegateExpression: '${auditListener}' },
  ]);
  assert.deepEqual(find(p, 'gateway').listeners, [{ event: 'start', class: 'org.example.GatewayListener' }]);
  assert.equal(find(p, 'start').listeners[0].event, 'end');
  assert.equal(find(p, 'end').listeners[0].event, 'start');
  assert.deepEqual(flow(p, 'f1').listeners, [{ event: 'take', expression: "${execution.setVariable('taken', 'f1')}" }]);
});

test('service tasks: external task with topic and priority, class, delegateExpression, expression with result', async () => {
  assert.deepEqual(find(await processOf('external-task.bpmn'), 'charge'), {
    type: 'serviceTask', id: 'charge', name: 'Charge card', camundaType: 'external', topic: 'payment', taskPriority: '10',
  });
  const p = await processOf('service-task-delegates.bpmn');
  assert.equal(find(p, 'classTask').class, 'org.example.ChargeDelegate');
  assert.equal(find(p, 'delegateTask').delegateExpression, '${chargeDelegate}');
  assert.deepEqual(find(p, 'expressionTask'), {
    type: 'serviceTask', id: 'expressionTask', name: 'By expression', expression: '${amount * 2}', resultVariable: 'doubled',
  });
  assert.deepEqual(find(p, 'notify'), { type: 'sendTask', id: 'notify', name: 'Notify', class: 'org.example.NotifyDelegate' });
  assert.equal(find(p, 'rules').type, 'businessRuleTask');
  assert.equal(find(p, 'rules').expression, '${amount > 10}');
});

test('terminate and error end events carry their definitions, the error with its code and message', async () => {
  assert.deepEqual(find(await processOf('terminate-end-event.bpmn'), 'terminate').eventDefinitions, [{ type: 'terminateEventDefinition' }]);
  assert.deepEqual(find(await processOf('error-end-event.bpmn'), 'fail').eventDefinitions, [
    { type: 'errorEventDefinition', errorRef: 'Error_failed', errorCode: 'FAILED', errorMessage: 'It failed' },
  ]);
});

test('unsupported flow nodes are passed on with their BPMN type and id for the compile to reject', async () => {
  assert.deepEqual(find(await processOf('unsupported-call-activity.bpmn'), 'callSub'), { type: 'callActivity', id: 'callSub', name: 'Call sub' });
  assert.deepEqual(find(await processOf('unsupported-script-task.bpmn'), 'script'), { type: 'scriptTask', id: 'script', name: 'Script' });
  assert.deepEqual(find(await processOf('unsupported-signal-event.bpmn'), 'throwSignal').eventDefinitions, [{ type: 'signalEventDefinition' }]);
  assert.deepEqual(find(await processOf('unsupported-timer-start-event.bpmn'), 'timerStart').eventDefinitions, [
    { type: 'timerEventDefinition', timeCycle: 'R/PT1H' },
  ]);
  assert.equal(find(await processOf('unsupported-event-based-gateway.bpmn'), 'race').type, 'eventBasedGateway');
  assert.deepEqual(find(await processOf('unsupported-message-end-event.bpmn'), 'sendDone').eventDefinitions, [
    { type: 'messageEventDefinition', messageRef: 'Message_done', messageName: 'done' },
  ]);
});

test('other unsupported BPMN is passed on too: containers, loops, compensation, scripts, task listeners, connectors', async () => {
  const [model] = await bpmnToModels(inline(`
    <bpmn:error id="E" errorCode="X" />
    <bpmn:process id="p" isExecutable="true">
      <bpmn:startEvent id="s" />
      <bpmn:transaction id="tx"><bpmn:startEvent id="txStart" /></bpmn:transaction>
      <bpmn:adHocSubProcess id="adHoc" />
      <bpmn:complexGateway id="complex" />
      <bpmn:task id="loop"><bpmn:standardLoopCharacteristics /></bpmn:task>
      <bpmn:task id="undo" isForCompensation="true" />
      <bpmn:userTask id="listened">
        <bpmn:extensionElements>
          <camunda:taskListener event="create" class="org.example.OnCreate" />
          <camunda:executionListener event="start"><camunda:script scriptFormat="groovy">x</camunda:script></camunda:executionListener>
          <camunda:inputOutput><camunda:inputParameter name="s"><camunda:script scriptFormat="groovy">1</camunda:script></camunda:inputParameter></camunda:inputOutput>
        </bpmn:extensionElements>
      </bpmn:userTask>
      <bpmn:serviceTask id="connected">
        <bpmn:extensionElements><camunda:connector><camunda:connectorId>http-connector</camunda:connectorId></camunda:connector></bpmn:extensionElements>
      </bpmn:serviceTask>
      <bpmn:businessRuleTask id="dmn" camunda:decisionRef="approve" />
      <bpmn:serviceTask id="mailer" camunda:type="mail" />
      <bpmn:intermediateCatchEvent id="cond"><bpmn:conditionalEventDefinition><bpmn:condition xsi:type="bpmn:tFormalExpression">\${x}</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:boundaryEvent id="unknownError" attachedToRef="listened"><bpmn:errorEventDefinition errorRef="NoSuchError" /></bpmn:boundaryEvent>
      <bpmn:sequenceFlow id="scripted" sourceRef="s" targetRef="loop">
        <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="groovy">x &gt; 1</bpmn:conditionExpression>
      </bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="juel" sourceRef="s" targetRef="undo">
        <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="juel">\${ok}</bpmn:conditionExpression>
      </bpmn:sequenceFlow>
    </bpmn:process>`));
  const p = model.process;
  assert.deepEqual(find(p, 'tx'), { type: 'transaction', id: 'tx' }, 'unsupported containers are not entered');
  assert.equal(find(p, 'adHoc').type, 'adHocSubProcess');
  assert.equal(find(p, 'complex').type, 'complexGateway');
  assert.deepEqual(find(p, 'loop').loopCharacteristics, { type: 'standardLoopCharacteristics' });
  assert.equal(find(p, 'undo').isForCompensation, true);
  const listened = find(p, 'listened');
  assert.deepEqual(listened.taskListeners, [{ event: 'create', class: 'org.example.OnCreate' }]);
  assert.deepEqual(listened.listeners, [{ event: 'start', script: { scriptFormat: 'groovy' } }]);
  assert.deepEqual(listened.inputOutput, { inputParameters: [{ name: 's', script: { scriptFormat: 'groovy' } }] });
  assert.equal(find(p, 'connected').connectorId, 'http-connector');
  assert.equal(find(p, 'dmn').decisionRef, 'approve');
  assert.equal(find(p, 'mailer').camundaType, 'mail');
  assert.deepEqual(find(p, 'cond').eventDefinitions, [{ type: 'conditionalEventDefinition' }]);
  assert.deepEqual(find(p, 'unknownError').eventDefinitions, [{ type: 'errorEventDefinition', errorRef: 'NoSuchError', errorCode: 'NoSuchError' }],
    "Camunda's fallback: an errorRef naming no error is the error code");
  assert.equal(flow(p, 'scripted').conditionLanguage, 'groovy');
  assert.equal('conditionLanguage' in flow(p, 'juel'), false, 'JUEL is the expression language itself');
});

test('references that do not resolve keep their raw ids so the compile can name them', async () => {
  const p = await processOf('invalid-flow-target.bpmn');
  assert.deepEqual(flow(p, 'f1'), { id: 'f1', sourceRef: 'start', targetRef: 'missing' });
  const [model] = await bpmnToModels(inline(`
    <bpmn:process id="p" isExecutable="true">
      <bpmn:startEvent id="s" />
      <bpmn:exclusiveGateway id="gw" default="ghostFlow" />
      <bpmn:boundaryEvent id="b" attachedToRef="ghostTask"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:receiveTask id="r" messageRef="ghostMessage" />
    </bpmn:process>`));
  assert.equal(find(model.process, 'gw').default, 'ghostFlow');
  assert.equal(find(model.process, 'b').attachedTo, 'ghostTask');
  assert.deepEqual(find(model.process, 'r'), { type: 'receiveTask', id: 'r', messageRef: 'ghostMessage', messageName: null });
});

test('documents that are not readable BPMN fail with Camunda\'s ENGINE-09005 parse error', async () => {
  const prefix = /^ENGINE-09005 Could not parse BPMN process\. Errors: /;
  await assert.rejects(bpmnToModels(readFileSync(new URL('malformed.bpmn', FIXTURES), 'utf8')), (e) => {
    assert.match(e.message, prefix);
    assert.match(e.message, /closing tag mismatch/);
    return true;
  });
  await assert.rejects(bpmnToModels('<foo/>'), { message: /^ENGINE-09005 Could not parse BPMN process\. Errors: failed to parse document as <bpmn:Definitions>/ });
  await assert.rejects(bpmnToModels(''), { message: prefix });
  await assert.rejects(bpmnToModels('not xml at all'), { message: prefix });
  await assert.rejects(bpmnToModels(inline('<bpmn:process id="p"><bpmn:fooTask id="x" /></bpmn:process>')), {
    message: /^ENGINE-09005 Could not parse BPMN process\. Errors: unparsable content <bpmn:fooTask>/,
  });
});

test('every process of a file is returned, with its executable flag and Camunda attributes; lanes and data are left out', async () => {
  const models = await bpmnToModels(inline(`
    <bpmn:collaboration id="c"><bpmn:participant id="pa" processRef="first" /></bpmn:collaboration>
    <bpmn:process id="first" name="First" isExecutable="true" camunda:versionTag="v7" camunda:historyTimeToLive="30" camunda:isStartableInTasklist="false">
      <bpmn:laneSet id="ls"><bpmn:lane id="lane"><bpmn:flowNodeRef>s</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
      <bpmn:dataObject id="data" />
      <bpmn:dataObjectReference id="dataRef" dataObjectRef="data" />
      <bpmn:startEvent id="s" />
      <bpmn:textAnnotation id="note"><bpmn:text>hi</bpmn:text></bpmn:textAnnotation>
    </bpmn:process>
    <bpmn:process id="second" isExecutable="false" camunda:historyTimeToLive="P5D"><bpmn:startEvent id="s2" /></bpmn:process>
    <bpmn:process id="third"><bpmn:startEvent id="s3" /></bpmn:process>`));
  assert.deepEqual(models.map((m) => [m.key, m.name, m.isExecutable, m.versionTag, m.historyTimeToLive, m.startableInTasklist]), [
    ['first', 'First', true, 'v7', 30, false],
    ['second', null, false, null, 'P5D', true],
    ['third', null, true, null, null, true],
  ]);
  assert.deepEqual(models[0].process.elements, [{ type: 'startEvent', id: 's', isInterrupting: true }]);
  assert.equal(models[2].process.isExecutable, true, 'a missing isExecutable counts as executable, as in Camunda');
});

test('XML given as UTF-8 bytes reads the same as a string', async () => {
  const text = readFileSync(new URL('user-task.bpmn', FIXTURES), 'utf8');
  assert.deepEqual(await bpmnToModels(new TextEncoder().encode(text)), await bpmnToModels(text));
});

test('every fixture that parses yields plain JSON: no moddle objects, no undefined values', async () => {
  const names = readFileSync(new URL('README.md', FIXTURES), 'utf8').match(/[a-z0-9-]+\.bpmn/g);
  assert.ok(names.length >= 30, 'the README lists the fixtures');
  for (const name of new Set(names)) {
    if (name === 'malformed.bpmn') continue;
    const models = await bpmnToModels(readFileSync(new URL(name, FIXTURES), 'utf8'));
    assert.deepEqual(JSON.parse(JSON.stringify(models)), models, name);
  }
});
