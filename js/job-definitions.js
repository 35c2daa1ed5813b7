// job-definitions.js — Camunda's job definitions of a process definition, computed at deploy from
// the model document (docs/model-format.md), and the link from a job to its definition.
//
// Camunda creates one job definition per job declaration the BPMN parse finds (BpmnDeployer):
//  - async continuations: jobType `async-continuation`, jobConfiguration `async-before` /
//    `async-after`, on the activity — for a multi-instance activity on its body
//    `<id>#multiInstanceBody`, which carries the activity's own async flags;
//  - timers: jobType by where the timer sits — intermediate catch `timer-intermediate-transition`,
//    boundary `timer-transition`, event subprocess start `timer-start-event-subprocess` — and
//    jobConfiguration `<DATE|CYCLE|DURATION>: <expression text>` (BpmnParse.parseTimer, which
//    tries timeDate, then timeCycle, then timeDuration).
// Detour's core writes the same job type (`handlerType`) and async configuration on its job rows,
// so a job finds its definition by activity, type and (for async jobs) configuration.

const MI_BODY_SUFFIX = '#multiInstanceBody';

/**
 * The job definitions of one process definition, in document order (for one element: async
 * before, timer, async after). `context`: {processDefinitionId, processDefinitionKey, tenantId,
 * deploymentId, uuid: () → id}. → JobDefinitionDto-shaped rows.
 */
export function jobDefinitionsOf(process, context) {
  const out = [];
  const add = (activityId, jobType, jobConfiguration) =>
    out.push({
      id: context.uuid(),
      processDefinitionId: context.processDefinitionId,
      processDefinitionKey: context.processDefinitionKey,
      jobType,
      jobConfiguration,
      activityId,
      suspended: false,
      overridingJobPriority: null,
      tenantId: context.tenantId ?? null,
      deploymentId: context.deploymentId ?? null,
    });
  walk(process, false, (element, inEventSubprocess) => {
    const asyncId = isMultiInstance(element) ? element.id + MI_BODY_SUFFIX : element.id;
    if (element.asyncBefore) add(asyncId, 'async-continuation', 'async-before');
    const timer = timerOf(element);
    const jobType = timer && timerJobType(element, inEventSubprocess);
    if (jobType) add(element.id, jobType, timerConfiguration(timer));
    if (element.asyncAfter) add(asyncId, 'async-continuation', 'async-after');
  });
  return out;
}

/**
 * The id of the job definition a job index row belongs to ({activityId, handlerType,
 * jobConfiguration}), or null.
 */
export function jobDefinitionIdFor(jobDefinitions, job) {
  const type = job.handlerType ?? job.jobType;
  const found = (jobDefinitions ?? []).find(
    (d) =>
      d.activityId === job.activityId &&
      d.jobType === type &&
      (type !== 'async-continuation' || d.jobConfiguration === job.jobConfiguration),
  );
  return found ? found.id : null;
}

// Pre-order over a scope's elements and the elements of nested subprocesses.
function walk(scope, inEventSubprocess, visit) {
  for (const element of scope.elements ?? []) {
    visit(element, inEventSubprocess);
    if (element.type === 'subProcess') walk(element, !!element.triggeredByEvent, visit);
  }
}

function isMultiInstance(element) {
  return element.loopCharacteristics?.type === 'multiInstanceLoopCharacteristics';
}

function timerOf(element) {
  return (element.eventDefinitions ?? []).find((d) => d.type === 'timerEventDefinition') ?? null;
}

function timerJobType(element, inEventSubprocess) {
  if (element.type === 'intermediateCatchEvent') return 'timer-intermediate-transition';
  if (element.type === 'boundaryEvent') return 'timer-transition';
  if (element.type === 'startEvent') return inEventSubprocess ? 'timer-start-event-subprocess' : 'timer-start-event';
  return null;
}

function timerConfiguration(timer) {
  for (const [field, type] of [['timeDate', 'DATE'], ['timeCycle', 'CYCLE'], ['timeDuration', 'DURATION']]) {
    if (typeof timer[field] === 'string') return `${type}: ${timer[field].trim()}`;
  }
  return null;
}
