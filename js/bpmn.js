/*
 * bpmn.js — BPMN 2.0 XML → model documents (the process part; format in docs/model-format.md).
 *
 * One export: bpmnToModels(xml) reads the XML with bpmn-moddle and Camunda's moddle extension and
 * returns one entry per <process>. It translates and does not judge: every flow node is passed on
 * with its BPMN type, supported or not, and the core's compile (src/model.c) decides. Only what is
 * not a flow node (data objects, lanes, annotations, diagram) is left out.
 *
 * Invariants: the output is plain JSON (no moddle objects, no undefined values); references are
 * ids; a reference moddle could not resolve keeps its raw id so the compile can name it.
 * Browser-safe: no Node-only imports.
 */
import { BpmnModdle } from 'bpmn-moddle';
import camundaSchema from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };

const PARSE_ERROR = 'ENGINE-09005 Could not parse BPMN process. Errors: ';

// Flow elements that are not flow nodes: they never hold a token.
const NOT_FLOW_NODES = new Set(['dataObject', 'dataObjectReference', 'dataStoreReference']);

/**
 * Reads BPMN XML (a string, or UTF-8 bytes) and returns, for each process,
 * `{ key, name, isExecutable, versionTag, historyTimeToLive, startableInTasklist, process }`.
 * Throws an Error starting with "ENGINE-09005 Could not parse BPMN process. Errors: " if the
 * XML cannot be read as BPMN.
 */
export async function bpmnToModels(xml) {
  const text = typeof xml === 'string' ? xml : new TextDecoder().decode(xml);
  let parsed;
  try {
    parsed = await new BpmnModdle({ camunda: camundaSchema }).fromXML(text);
  } catch (e) {
    throw new Error(PARSE_ERROR + (e && e.message ? e.message : String(e)));
  }
  // moddle skips unknown BPMN tags with a mere warning; Camunda's schema validation refuses them.
  const unknown = parsed.warnings.find((w) => /unknown type <bpmn:/.test(w.message));
  if (unknown) throw new Error(PARSE_ERROR + unknown.message);

  const ctx = { unresolved: unresolvedReferences(parsed.warnings) };
  const definitions = parsed.rootElement;
  return (definitions.rootElements || [])
    .filter((el) => el.$type === 'bpmn:Process')
    .map((p) => ({
      key: p.id,
      name: p.name ?? null,
      isExecutable: p.isExecutable !== false, // Camunda: a missing attribute means executable
      versionTag: p.get('camunda:versionTag') ?? null,
      historyTimeToLive: historyTimeToLive(p.get('camunda:historyTimeToLive')),
      startableInTasklist: p.get('camunda:isStartableInTasklist') !== false,
      process: processDocument(p, ctx),
    }));
}

function processDocument(p, ctx) {
  const doc = { id: p.id };
  if (p.name != null) doc.name = p.name;
  doc.isExecutable = p.isExecutable !== false;
  const listeners = executionListeners(p);
  if (listeners.length) doc.listeners = listeners;
  Object.assign(doc, scopeContent(p, ctx));
  return doc;
}

/* The `elements` and `flows` of a process or subprocess, in document order. */
function scopeContent(container, ctx) {
  const elements = [];
  const flows = [];
  for (const el of container.flowElements || []) {
    const type = bpmnType(el);
    if (type === 'sequenceFlow') flows.push(flowDocument(el, ctx));
    else if (!NOT_FLOW_NODES.has(type)) elements.push(elementDocument(el, type, ctx));
  }
  return { elements, flows };
}

function elementDocument(el, type, ctx) {
  const doc = { type, id: el.id };
  if (el.name != null) doc.name = el.name;
  if (isAsyncCapable(el)) {
    if (el.get('camunda:asyncBefore') || el.get('camunda:async')) doc.asyncBefore = true;
    if (el.get('camunda:asyncAfter')) doc.asyncAfter = true;
  }
  if (el.default) doc.default = el.default.id;
  else if (ctx.unresolved.has(el, 'bpmn:default')) doc.default = ctx.unresolved.get(el, 'bpmn:default');

  const listeners = executionListeners(el);
  if (listeners.length) doc.listeners = listeners;
  const io = inputOutput(el);
  if (io) doc.inputOutput = io;
  if (el.eventDefinitions && el.eventDefinitions.length) {
    doc.eventDefinitions = el.eventDefinitions.map((d) => eventDefinition(d, ctx));
  }
  if (el.loopCharacteristics) doc.loopCharacteristics = loopCharacteristics(el.loopCharacteristics);
  if (el.isForCompensation) doc.isForCompensation = true;

  switch (type) {
    case 'startEvent':
      doc.isInterrupting = el.isInterrupting !== false;
      if (el.get('camunda:initiator')) doc.initiator = el.get('camunda:initiator');
      break;
    case 'boundaryEvent':
      doc.attachedTo = el.attachedToRef ? el.attachedToRef.id : ctx.unresolved.get(el, 'bpmn:attachedToRef') ?? null;
      doc.cancelActivity = el.cancelActivity !== false;
      break;
    case 'subProcess':
      doc.triggeredByEvent = el.triggeredByEvent === true;
      Object.assign(doc, scopeContent(el, ctx));
      break;
    case 'userTask':
      copyCamunda(el, doc, ['assignee', 'priority', 'candidateUsers', 'candidateGroups', 'dueDate', 'followUpDate', 'formKey']);
      {
        const taskListeners = extensions(el, 'camunda:TaskListener').map(listener);
        if (taskListeners.length) doc.taskListeners = taskListeners;
      }
      break;
    case 'receiveTask':
      Object.assign(doc, messageReference(el, ctx));
      break;
    case 'serviceTask':
    case 'sendTask':
    case 'businessRuleTask':
      serviceImplementation(el, doc);
      break;
    default:
      break;
  }
  return doc;
}

function flowDocument(flow, ctx) {
  const doc = {
    id: flow.id,
    sourceRef: flow.sourceRef ? flow.sourceRef.id : ctx.unresolved.get(flow, 'bpmn:sourceRef') ?? null,
    targetRef: flow.targetRef ? flow.targetRef.id : ctx.unresolved.get(flow, 'bpmn:targetRef') ?? null,
  };
  if (flow.name != null) doc.name = flow.name;
  const c = flow.conditionExpression;
  if (c) {
    doc.condition = c.body ?? '';
    // A script condition (language other than JUEL, or a camunda:resource) is not run by Detour.
    if (c.language && c.language.toLowerCase() !== 'juel') doc.conditionLanguage = c.language;
    else if (c.get('camunda:resource')) doc.conditionLanguage = 'resource';
  }
  const listeners = executionListeners(flow);
  if (listeners.length) doc.listeners = listeners;
  return doc;
}

function eventDefinition(d, ctx) {
  const type = bpmnType(d);
  const doc = { type };
  switch (type) {
    case 'timerEventDefinition':
      for (const k of ['timeDate', 'timeDuration', 'timeCycle']) {
        if (d[k]) doc[k] = d[k].body ?? '';
      }
      break;
    case 'messageEventDefinition':
      Object.assign(doc, messageReference(d, ctx));
      break;
    case 'errorEventDefinition': {
      if (d.errorRef) {
        doc.errorRef = d.errorRef.id;
        doc.errorCode = d.errorRef.errorCode ?? null;
        const message = d.errorRef.get('camunda:errorMessage');
        if (message != null) doc.errorMessage = message;
      } else if (ctx.unresolved.has(d, 'bpmn:errorRef')) {
        // Camunda's fallback: an errorRef naming no <error> is taken as the error code itself.
        doc.errorRef = ctx.unresolved.get(d, 'bpmn:errorRef');
        doc.errorCode = doc.errorRef;
      } else {
        doc.errorCode = null;
      }
      copyCamunda(d, doc, ['errorCodeVariable', 'errorMessageVariable']);
      break;
    }
    default:
      break;
  }
  return doc;
}

function messageReference(el, ctx) {
  if (el.messageRef) return { messageRef: el.messageRef.id, messageName: el.messageRef.name ?? null };
  if (ctx.unresolved.has(el, 'bpmn:messageRef')) {
    return { messageRef: ctx.unresolved.get(el, 'bpmn:messageRef'), messageName: null };
  }
  return {};
}

function serviceImplementation(el, doc) {
  const type = el.get('camunda:type');
  if (type != null) doc.camundaType = type;
  copyCamunda(el, doc, ['topic', 'taskPriority', 'class', 'delegateExpression', 'expression', 'resultVariable']);
  if (bpmnType(el) === 'businessRuleTask' && el.get('camunda:decisionRef') != null) {
    doc.decisionRef = el.get('camunda:decisionRef');
  }
  const connector = extensions(el, 'camunda:Connector')[0];
  if (connector) doc.connectorId = connector.connectorId ?? '';
}

function loopCharacteristics(lc) {
  const type = bpmnType(lc);
  const doc = { type };
  if (type !== 'multiInstanceLoopCharacteristics') return doc;
  doc.isSequential = lc.isSequential === true;
  if (lc.loopCardinality) doc.loopCardinality = lc.loopCardinality.body ?? '';
  copyCamunda(lc, doc, ['collection', 'elementVariable']);
  if (lc.completionCondition) doc.completionCondition = lc.completionCondition.body ?? '';
  if (lc.get('camunda:asyncBefore') || lc.get('camunda:async')) doc.asyncBefore = true;
  if (lc.get('camunda:asyncAfter')) doc.asyncAfter = true;
  return doc;
}

function executionListeners(el) {
  return extensions(el, 'camunda:ExecutionListener').map(listener);
}

function listener(l) {
  const doc = { event: l.event ?? null };
  if (l.expression != null) doc.expression = l.expression;
  else if (l.class != null) doc.class = l.class;
  else if (l.delegateExpression != null) doc.delegateExpression = l.delegateExpression;
  else if (l.script) doc.script = { scriptFormat: l.script.scriptFormat ?? null };
  return doc;
}

function inputOutput(el) {
  const io = extensions(el, 'camunda:InputOutput')[0];
  if (!io) return null;
  const doc = {};
  const inputs = (io.inputParameters || []).map(parameter);
  const outputs = (io.outputParameters || []).map(parameter);
  if (inputs.length) doc.inputParameters = inputs;
  if (outputs.length) doc.outputParameters = outputs;
  return inputs.length || outputs.length ? doc : null;
}

function parameter(p) {
  return { name: p.name ?? null, ...ioValue(p) };
}

/* The value of a parameter or map entry: its nested definition (list, map, script) or its text. */
function ioValue(holder) {
  if (holder.definition) return ioDefinition(holder.definition);
  return holder.value == null ? {} : { value: holder.value };
}

function ioDefinition(def) {
  switch (def.$type) {
    case 'camunda:List':
      return { list: (def.items || []).map(ioDefinition) };
    case 'camunda:Map':
      return { map: (def.entries || []).map((e) => ({ key: e.key ?? null, ...ioValue(e) })) };
    case 'camunda:Script':
      return { script: { scriptFormat: def.scriptFormat ?? null } };
    default: // camunda:Value, a list item
      return def.value == null ? {} : { value: def.value };
  }
}

function extensions(el, type) {
  const values = el.extensionElements && el.extensionElements.values;
  return values ? values.filter((v) => v.$type === type) : [];
}

function copyCamunda(el, doc, names) {
  for (const name of names) {
    const v = el.get('camunda:' + name);
    if (v != null) doc[name] = v;
  }
}

function isAsyncCapable(el) {
  return el.$instanceOf('bpmn:Activity') || el.$instanceOf('bpmn:Gateway') || el.$instanceOf('bpmn:Event');
}

/* "bpmn:UserTask" → "userTask": the XML tag name. */
function bpmnType(el) {
  const local = el.$type.slice(el.$type.indexOf(':') + 1);
  return local.charAt(0).toLowerCase() + local.slice(1);
}

function historyTimeToLive(v) {
  if (v == null || v === '') return null;
  return /^\d+$/.test(String(v)) ? Number(v) : String(v);
}

/* Raw ids of references moddle could not resolve, by (element, property), from its warnings. */
function unresolvedReferences(warnings) {
  const byElement = new Map();
  for (const w of warnings) {
    if (!w.element || !w.property || !/^unresolved reference/.test(w.message)) continue;
    if (!byElement.has(w.element)) byElement.set(w.element, new Map());
    byElement.get(w.element).set(w.property, w.value);
  }
  return {
    has: (el, prop) => byElement.has(el) && byElement.get(el).has(prop),
    get: (el, prop) => (byElement.has(el) ? byElement.get(el).get(prop) : undefined),
  };
}
