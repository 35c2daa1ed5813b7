// Dry runs over HTTP (docs/dry-run.md): GET /detour/process-instance/{id}/state, the export
// document; POST /detour/modification/dry-run and /detour/restart/dry-run, what a plan would do —
// per instance, with the real command's refusals, a summary and the batch split — read and refused
// as the real endpoints read and refuse requests, storing nothing and calling no delegate. That
// each prediction equals what the real command then does is shown scenario by scenario in
// modification-scenarios.test.js and restart.test.js; the export document is checked here to be
// enough for js/dry-run.js alone (what the browser page runs) to predict the same.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { simulateModification, simulateRestart } from '../../../js/dry-run.js';
import { describeRest, twoTasksXml } from './support.js';

// start → a → b → end, two user tasks in a row (KEY replaced per deployment).
const TWO_TASKS = twoTasksXml('KEY');

// Version 2: start → a → c → end, and a service task `counted` (a JavaScript delegate) after c.
const VERSION_2 = TWO_TASKS.replace('<bpmn:userTask id="b" name="B" />', '<bpmn:userTask id="c" name="C" />')
  .replace('targetRef="b"', 'targetRef="c"')
  .replace('sourceRef="b" targetRef="end"', 'sourceRef="c" targetRef="counted" />\n    <bpmn:serviceTask id="counted" camunda:class="org.example.Counted" />\n    <bpmn:sequenceFlow id="f4" sourceRef="counted" targetRef="end"');

const START_B = [{ type: 'startBeforeActivity', activityId: 'b' }];
const MOVE_A_TO_B = [{ type: 'cancel', activityId: 'a' }, { type: 'startBeforeActivity', activityId: 'b' }];
const STARTED = { amount: { value: 1, type: 'Integer' }, customer: { value: 'Alice', type: 'String' } };

/** The tree without ids: `proc(a,sub(x),~b)`, children sorted; 'ended' for none. */
function normalTree(tree) {
  if (!tree) return 'ended';
  const node = (n, name) => {
    const children = [...n.childActivityInstances.map((c) => node(c, c.activityId)), ...n.childTransitionInstances.map((t) => `~${t.activityId}`)].sort();
    return children.length ? `${name}(${children.join(',')})` : name;
  };
  return node(tree, 'proc');
}

describeRest(
  'dry runs',
  (ctx) => {
    let def; // dryRunTwo v1 (TWO_TASKS)
    let v2; // dryRunTwo v2 (VERSION_2)
    let other; // dryRunOther (TWO_TASKS), another process
    let counted = 0; // calls of org.example.Counted

    const ok = (r, status = 200) => {
      assert.equal(r.status, status, JSON.stringify(r.body));
      return r.body;
    };
    const deploy = async (xml, key) => Object.values(ok(await ctx.api.deploy(xml.replaceAll('KEY', key))).deployedProcessDefinitions)[0];
    const start = async (d, body = {}) => ok(await ctx.api.post(`/process-definition/${d.id}/start`, body)).id;
    const ended = async (d, body) => {
      const id = await start(d, body);
      ok(await ctx.api.delete(`/process-instance/${id}`), 204);
      return id;
    };
    const tree = async (id) => ok(await ctx.api.get(`/process-instance/${id}/activity-instances`));
    const dryModify = (body) => ctx.api.post('/detour/modification/dry-run', body);
    const dryRestart = (body) => ctx.api.post('/detour/restart/dry-run', body);
    /** The variables an entry would set: 'name=value:type@instance|local', sorted. */
    const variablesOf = (entry) => entry.variables.map((v) => `${v.name}=${JSON.stringify(v.value)}:${v.type}@${v.local ? 'local' : 'instance'}`).sort();

    before(async () => {
      ctx.engine.registerDelegate('org.example.Counted', () => {
        counted++;
      });
      def = await deploy(TWO_TASKS, 'dryRunTwo');
      v2 = await deploy(VERSION_2, 'dryRunTwo');
      other = await deploy(TWO_TASKS, 'dryRunOther');
    });

    // --- the export document ---------------------------------------------------------------------------

    it('exports a running instance: its state document, its definition and its historic rows', async () => {
      const id = await start(def, { businessKey: 'exported', variables: STARTED });
      ok(await ctx.api.put(`/process-instance/${id}/variables/amount`, { value: 2, type: 'Integer' }), 204);
      const doc = ok(await ctx.api.get(`/detour/process-instance/${id}/state`));
      assert.deepEqual(
        [doc.format, doc.processInstanceId, doc.processDefinitionId, doc.processDefinitionKey, doc.processDefinitionVersion, doc.tenantId],
        ['detour-state/1', id, def.id, 'dryRunTwo', 1, null],
      );
      assert.deepEqual([doc.state.id, doc.state.businessKey, doc.state.ended], [id, 'exported', false]);
      assert.deepEqual([doc.history.processInstance.id, doc.history.processInstance.state], [id, 'ACTIVE']);
      assert.deepEqual(doc.history.variableInstances.map((v) => `${v.name}=${v.value}`).sort(), ['amount=2', 'customer=Alice']);
      assert.deepEqual(doc.history.details.map((d) => `${d.variableName}=${d.value}${d.initial ? ' initial' : ''}`).sort(), ['amount=1 initial', 'amount=2', 'customer=Alice initial']);
    });

    it('exports an ended instance: no state document, its history with its deleted variables', async () => {
      const id = await start(def, { variables: STARTED });
      ok(await ctx.api.delete(`/process-instance/${id}/variables/customer`), 204);
      ok(await ctx.api.delete(`/process-instance/${id}`), 204);
      const doc = ok(await ctx.api.get(`/detour/process-instance/${id}/state`));
      assert.deepEqual([doc.processDefinitionId, doc.processDefinitionVersion, doc.state], [def.id, 1, null]);
      assert.deepEqual([doc.history.processInstance.state, doc.history.processInstance.endTime != null], ['EXTERNALLY_TERMINATED', true]);
      assert.deepEqual(doc.history.variableInstances.map((v) => `${v.name}:${v.state}`).sort(), ['amount:CREATED', 'customer:DELETED']);
    });

    it('an id neither running nor in history is a 404', async () => {
      const r = await ctx.api.get('/detour/process-instance/nobody/state');
      assert.deepEqual([r.status, r.body], [404, { type: 'InvalidRequestException', message: 'Process instance with id nobody does not exist', code: null }]);
    });

    // --- the modification dry run ----------------------------------------------------------------------

    it('a modification dry run of one instance shows the tree before and after, the changes and the variables it would set', async () => {
      const id = await start(def, { variables: STARTED });
      const aId = (await tree(id)).childActivityInstances[0].id;
      const body = {
        processInstanceId: id,
        instructions: [
          { type: 'startBeforeActivity', activityId: 'b', variables: { amount: { value: 5, type: 'Integer' }, note: { value: 'moved', local: true } } },
          { type: 'cancel', activityInstanceId: aId },
        ],
      };
      const { instances, summary, batch } = ok(await dryModify(body));
      assert.deepEqual(summary, { total: 1, succeeded: 1, failed: 0 });
      assert.deepEqual(batch, { batchJobsPerSeed: 2, invocationsPerBatchJob: 2, seedRuns: [[[id]]], totalJobs: 1 });
      const [entry] = instances;
      assert.deepEqual(Object.keys(entry).sort(), ['after', 'before', 'changes', 'error', 'jobs', 'ok', 'processInstanceId', 'tasks', 'variables']);
      assert.deepEqual([entry.processInstanceId, entry.ok, entry.error], [id, true, null]);
      assert.deepEqual([normalTree(entry.before.tree), normalTree(entry.after.tree)], ['proc(a)', 'proc(b)']);
      assert.deepEqual(entry.before.counts, { a: { instances: 1, transitions: 0 } });
      assert.deepEqual(entry.after.counts, { b: { instances: 1, transitions: 0 } });
      assert.deepEqual(entry.changes, { a: { before: 1, after: 0, delta: -1 }, b: { before: 0, after: 1, delta: 1 } });
      assert.deepEqual([entry.after.ended, entry.after.endState, entry.after.processInstanceId], [false, null, id]);
      assert.deepEqual(variablesOf(entry), ['amount=5:Integer@instance', 'note="moved":String@local']);
      assert.deepEqual(entry.variables.map((v) => [v.name, v.event]).sort(), [['amount', 'variableUpdate'], ['note', 'variableCreate']]);
      assert.deepEqual(entry.tasks.map((t) => t.taskDefinitionKey), ['b']);
      // the instance is as it was
      assert.equal(normalTree(await tree(id)), 'proc(a)');
    });

    it('a modification dry run of several instances: one entry each, in order; refusals per instance; the batch split with the engine\'s settings', async () => {
      const ids = [await start(def), await start(def), await start(def)];
      const done = await ended(def);
      const foreign = await start(other);
      const all = [ids[0], 'nope', ids[1], done, foreign, ids[2]];
      const r = ok(await dryModify({ processDefinitionId: def.id, processInstanceIds: all, instructions: MOVE_A_TO_B }));
      assert.deepEqual(r.instances.map((i) => i.processInstanceId), all);
      const notRunning = (id) => ({ type: 'ProcessEngineException', message: `ENGINE-13036 Process instance '${id}' cannot be modified. The process instance does not exist` });
      assert.deepEqual(r.instances.map((i) => i.error), [
        null,
        notRunning('nope'),
        null,
        notRunning(done),
        { type: 'ProcessEngineException', message: `ENGINE-13037 Process instance '${foreign}' cannot be modified. Its process definition '${other.id}' does not match given process definition '${def.id}'` },
        null,
      ]);
      for (const i of r.instances.filter((x) => x.ok)) assert.equal(normalTree(i.after.tree), 'proc(b)');
      assert.deepEqual(r.summary, { total: 6, succeeded: 3, failed: 3 });
      // batchJobsPerSeed 2, invocationsPerBatchJob 2: two jobs of two ids per seed run
      assert.deepEqual(r.batch, { batchJobsPerSeed: 2, invocationsPerBatchJob: 2, seedRuns: [[all.slice(0, 2), all.slice(2, 4)], [all.slice(4)]], totalJobs: 3 });
      const real = ok(await ctx.api.post('/modification/executeAsync', { processDefinitionId: def.id, processInstanceIds: all, instructions: MOVE_A_TO_B }));
      assert.equal(real.totalJobs, r.batch.totalJobs, 'the batch the async form creates');
      ok(await ctx.api.delete(`/batch/${real.id}?cascade=true`), 204);
      // a refusal of the plan by the model: each instance's, rewrapped as /modification/execute does
      const bad = ok(await dryModify({ processDefinitionId: def.id, processInstanceIds: ids.slice(0, 2), instructions: [{ type: 'startBeforeActivity', activityId: 'zzz' }] }));
      const message = `Cannot perform instruction: Start before activity 'zzz'; Element 'zzz' does not exist in process '${def.id}': element is null`;
      assert.deepEqual(bad.instances.map((i) => i.error), [1, 2].map(() => ({ type: 'InvalidRequestException', message })));
      const execute = await ctx.api.post('/modification/execute', { processDefinitionId: def.id, processInstanceIds: ids.slice(0, 2), instructions: [{ type: 'startBeforeActivity', activityId: 'zzz' }] });
      assert.deepEqual([execute.status, execute.body], [400, { type: 'InvalidRequestException', message, code: null }]);
    });

    it('a modification dry run refuses a request as /modification/execute does: the same status and body, in the same order', async () => {
      const id = await start(def);
      const bodies = [
        [START_B],
        { processDefinitionId: 5, processInstanceIds: [id], instructions: START_B },
        { processDefinitionId: def.id, processInstanceIds: id, instructions: START_B },
        { processDefinitionId: def.id, processInstanceIds: [id], instructions: [{ activityId: 'b' }] },
        { processDefinitionId: def.id, processInstanceIds: [id], skipIoMappings: 'yes', instructions: START_B },
        { processInstanceIds: [id], instructions: START_B },
        { processDefinitionId: def.id, processInstanceIds: [id], instructions: [{ type: 'startBeforeActivity' }] },
        { processDefinitionId: def.id, processInstanceIds: [id], instructions: [{ type: 'cancel', activityInstanceId: 'x' }] },
        { processDefinitionId: def.id, processInstanceIds: [id], instructions: [{ type: 'startBeforeActivity', activityId: 'b', ancestorActivityInstanceId: 'x' }] },
        { processDefinitionId: def.id, processInstanceIds: [id], instructions: [{ type: 'startBeforeActivity', activityId: 'b', variables: { n: { value: 'x', type: 'Integer' } } }] },
        { processDefinitionId: def.id, processInstanceIds: [id], instructions: [] },
        { processDefinitionId: def.id, instructions: START_B },
        { processDefinitionId: def.id, processInstanceIds: [id, null], instructions: START_B },
        { processDefinitionId: 'nope', processInstanceIds: [id], instructions: START_B },
        { processDefinitionId: def.id, processInstanceQuery: { variables: [{ name: 'x', operator: 'bogus', value: 1 }] }, instructions: START_B },
        { processDefinitionId: def.id, processInstanceQuery: { businessKey: 'nobody' }, instructions: START_B },
      ];
      for (const body of bodies) {
        const real = await ctx.api.post('/modification/execute', body);
        assert.ok(real.status >= 400, `the real call refuses ${JSON.stringify(body)}`);
        const dry = await dryModify(body);
        assert.deepEqual([dry.status, dry.body], [real.status, real.body], JSON.stringify(body));
      }
      assert.equal(normalTree(await tree(id)), 'proc(a)');
    });

    it('the single-instance form reads its body as POST /process-instance/{id}/modification does', async () => {
      const id = await start(def);
      const bodies = [
        { instructions: [{ type: 'cancel' }] },
        { instructions: [{ type: 'cancel', activityId: 'a', activityInstanceId: 'x' }] },
        { instructions: [{ type: 'startTransition' }] },
        { instructions: { type: 'cancel', activityId: 'a' } },
        { instructions: START_B, skipCustomListeners: 1 },
      ];
      for (const body of bodies) {
        const real = await ctx.api.post(`/process-instance/${id}/modification`, body);
        assert.equal(real.status, 400, JSON.stringify(real.body));
        const dry = await dryModify({ processInstanceId: id, ...body });
        assert.deepEqual([dry.status, dry.body], [real.status, real.body], JSON.stringify(body));
      }
      const wrongId = await dryModify({ processInstanceId: 7, instructions: START_B });
      assert.deepEqual([wrongId.status, wrongId.body], [400, { type: 'InvalidRequestException', message: '', code: null }]);
      // cancel by activity (or transition) instance id and an ancestor are this form's
      const t = await tree(id);
      const entry = ok(await dryModify({ processInstanceId: id, instructions: [{ type: 'startBeforeActivity', activityId: 'b', ancestorActivityInstanceId: t.id }, { type: 'cancel', activityInstanceId: t.childActivityInstances[0].id }] })).instances[0];
      assert.equal(normalTree(entry.after.tree), 'proc(b)');
    });

    it('a plan that would run a JavaScript delegate is refused in the dry run, and the delegate is not called', async () => {
      const id = await start(v2);
      const calls = counted;
      const { instances, summary } = ok(await dryModify({ processInstanceId: id, instructions: [{ type: 'startBeforeActivity', activityId: 'counted' }] }));
      assert.deepEqual(instances[0].error, { type: 'ProcessEngineException', message: "Dry run: delegate 'org.example.Counted' is not run in a simulation" });
      assert.deepEqual(summary, { total: 1, succeeded: 0, failed: 1 });
      assert.equal(counted, calls);
    });

    // --- the restart dry run ---------------------------------------------------------------------------

    it('a restart dry run of several historic instances: the new instances, refusals per instance, summary and batch', async () => {
      const old = await ended(def, { businessKey: 'old', variables: STARTED });
      const running = await start(def);
      const foreign = await ended(other);
      const all = [old, 'nobody', running, foreign];
      const r = ok(await dryRestart({ processDefinitionId: def.id, processInstanceIds: all, instructions: START_B, skipIoMappings: true }));
      assert.deepEqual(r.instances.map((i) => [i.processInstanceId, i.ok]), [[old, true], ['nobody', false], [running, false], [foreign, false]]);
      const [entry, ...refused] = r.instances;
      assert.equal(entry.before, null);
      assert.deepEqual([normalTree(entry.after.tree), entry.after.businessKey, entry.after.ended], ['proc(b)', 'old', false]);
      assert.notEqual(entry.after.processInstanceId, old, 'a new instance');
      assert.deepEqual(entry.changes, { b: { before: 0, after: 1, delta: 1 } });
      assert.deepEqual(variablesOf(entry), ['amount=1:Integer@instance', 'customer="Alice":String@instance']);
      assert.deepEqual(refused.map((i) => i.error), [
        { type: 'InvalidRequestException', message: 'Historic process instance cannot be found: historicProcessInstanceId is null' },
        { type: 'ProcessEngineException', message: `ENGINE-13040 Historic process instance '${running}' cannot be restarted. It is not completed or terminated.` },
        { type: 'ProcessEngineException', message: `ENGINE-13039 Historic process instance '${foreign}' cannot be restarted. Its process definition '${other.id}' does not match given process definition '${def.id}'` },
      ]);
      assert.deepEqual(r.summary, { total: 4, succeeded: 1, failed: 3 });
      assert.deepEqual(r.batch, { batchJobsPerSeed: 2, invocationsPerBatchJob: 2, seedRuns: [[all.slice(0, 2), all.slice(2)]], totalJobs: 2 });
      // withoutBusinessKey, initialVariables
      const [again] = ok(await dryRestart({ processDefinitionId: def.id, processInstanceIds: [old], instructions: START_B, withoutBusinessKey: true, initialVariables: true })).instances;
      assert.deepEqual([again.after.businessKey, variablesOf(again)], [null, ['amount=1:Integer@instance', 'customer="Alice":String@instance']]);
    });

    it('a restart dry run onto another version (targetProcessDefinitionId) runs the plan on that version', async () => {
      const old = await ended(def, { variables: STARTED });
      const [entry] = ok(await dryRestart({ processDefinitionId: def.id, targetProcessDefinitionId: v2.id, processInstanceIds: [old], instructions: [{ type: 'startBeforeActivity', activityId: 'c' }] })).instances;
      assert.deepEqual([entry.error, normalTree(entry.after.tree), entry.after.tree.activityId], [null, 'proc(c)', v2.id]);
    });

    it('a restart dry run refuses a request as the synchronous /detour/ restart does: the same status and body, in the same order', async () => {
      const old = await ended(def);
      const cases = [
        [def.id, [START_B]],
        [def.id, { instructions: START_B, processInstanceIds: [old], initialVariables: 'yes' }],
        [def.id, { instructions: START_B, processInstanceIds: [old], targetProcessDefinitionId: 5 }],
        [def.id, { processInstanceIds: [old] }],
        [def.id, { instructions: [{ type: 'startTransition' }], processInstanceIds: [old] }],
        [def.id, { instructions: START_B }],
        [def.id, { instructions: START_B, processInstanceIds: [old, null] }],
        ['nope', { instructions: START_B, processInstanceIds: [old] }],
        [def.id, { instructions: START_B, processInstanceIds: [old], targetProcessDefinitionId: other.id }],
        [def.id, { instructions: START_B, processInstanceIds: [old], targetProcessDefinitionId: v2.id }],
        [def.id, { instructions: START_B, processInstanceIds: [old], targetProcessDefinitionId: 'nope' }],
      ];
      for (const [id, body] of cases) {
        const real = await ctx.api.post(`/detour/process-definition/${encodeURIComponent(id)}/restart`, body);
        assert.ok(real.status >= 400, `the real restart refuses ${JSON.stringify(body)}`);
        const dry = await dryRestart(Array.isArray(body) ? body : { ...body, processDefinitionId: id });
        assert.deepEqual([dry.status, dry.body], [real.status, real.body], JSON.stringify([id, body]));
      }
      // a suspended definition starts nothing: the restart refuses at its first instance
      const ofOther = await ended(other);
      ok(await ctx.api.put(`/process-definition/${other.id}/suspended`, { suspended: true }), 204);
      const body = { instructions: START_B, processInstanceIds: [ofOther] };
      const real = await ctx.api.post(`/process-definition/${other.id}/restart`, body);
      assert.deepEqual([real.status, real.body], [400, { type: 'InvalidRequestException', message: `Process definition ${other.id} is suspended`, code: null }]);
      const dry = await dryRestart({ ...body, processDefinitionId: other.id });
      assert.deepEqual([dry.status, dry.body], [real.status, real.body]);
      ok(await ctx.api.put(`/process-definition/${other.id}/suspended`, { suspended: false }), 204);
      // the dry run's own: the definition the path names
      const none = await dryRestart({ instructions: START_B, processInstanceIds: [old] });
      assert.deepEqual([none.status, none.body], [400, { type: 'InvalidRequestException', message: 'processDefinitionId is null', code: null }]);
    });

    // --- what the page runs, and what a dry run leaves --------------------------------------------------

    it('the export document is enough for js/dry-run.js to predict what the service predicts', async () => {
      const { core } = ctx.engine;
      const handle = await ctx.engine._handle(def.id);
      const running = await start(def, { variables: STARTED });
      const instructions = [{ type: 'startBeforeActivity', activityId: 'b', variables: { note: { value: 'x', type: 'String', local: true } } }];
      const service = ok(await dryModify({ processInstanceId: running, instructions })).instances[0];
      const doc = ok(await ctx.api.get(`/detour/process-instance/${running}/state`));
      const page = simulateModification(core, handle, doc.state, { instructions });
      assert.deepEqual([normalTree(page.after.tree), variablesOf(page), page.changes], [normalTree(service.after.tree), variablesOf(service), service.changes]);

      const old = await start(def, { variables: STARTED });
      ok(await ctx.api.put(`/process-instance/${old}/variables/amount`, { value: 2, type: 'Integer' }), 204);
      ok(await ctx.api.delete(`/process-instance/${old}`), 204);
      const history = ok(await ctx.api.get(`/detour/process-instance/${old}/state`)).history;
      for (const initialVariables of [false, true]) {
        const plan = { processDefinitionId: def.id, instructions: START_B, initialVariables };
        const [restart] = ok(await dryRestart({ ...plan, processInstanceIds: [old] })).instances;
        const offline = simulateRestart(core, handle, history, plan);
        assert.deepEqual([normalTree(offline.after.tree), variablesOf(offline)], [normalTree(restart.after.tree), variablesOf(restart)], `initialVariables ${initialVariables}`);
      }
    });

    it('a dry run changes nothing: instances, history, jobs, tasks and batches are as they were', async () => {
      const running = await start(def, { variables: STARTED });
      const old = await ended(def, { variables: STARTED });
      const snapshot = async () => {
        const out = {};
        for (const path of ['/process-instance', '/history/process-instance', '/history/activity-instance', '/history/variable-instance', '/history/detail', '/job', '/task', '/batch', '/history/batch', '/external-task']) {
          out[path] = ok(await ctx.api.get(path));
        }
        out.subscriptions = await ctx.store.rows('subscriptions', {});
        return out;
      };
      const before = await snapshot();
      ok(await dryModify({ processDefinitionId: def.id, processInstanceIds: [running, 'nope'], instructions: [...MOVE_A_TO_B, { type: 'startTransition', transitionId: 'f3', variables: { set: { value: 1 } } }] }));
      ok(await dryModify({ processInstanceId: running, instructions: [{ type: 'cancel', activityId: 'a' }] }));
      ok(await dryRestart({ processDefinitionId: def.id, processInstanceIds: [old, running], instructions: [...START_B, { type: 'startBeforeActivity', activityId: 'a', variables: { set: { value: 1 } } }] }));
      ok(await dryRestart({ processDefinitionId: def.id, targetProcessDefinitionId: v2.id, processInstanceIds: [old], instructions: [{ type: 'startBeforeActivity', activityId: 'c' }] }));
      assert.equal((await dryModify({ processDefinitionId: def.id, processInstanceIds: [running], instructions: [] })).status, 400);
      ok(await ctx.api.get(`/detour/process-instance/${running}/state`));
      assert.deepEqual(await snapshot(), before);
    });
  },
  { engine: { batch: { batchJobsPerSeed: 2, invocationsPerBatchJob: 2 } } },
);
