// Batches over HTTP (docs/batches.md, semantics.md §1.11, §1.12.4, §3, §4.4, §4.5, §4.8):
// POST /process-instance/{id}/modification-async and POST /modification/executeAsync create a
// batch; its seed, execution and monitor jobs are driven with the job executor off, as Camunda's
// tests do (GET /job + POST /job/{id}/execute), and once with a JobExecutor; /batch, its
// statistics, suspension and deletion, /history/batch, and Detour's /detour/batch/{id}/instances
// and /failures. Every response is checked against the OpenAPI document (statuses it does not list
// for a path are Java-only; Detour's own paths are not in it).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';

import { JobExecutor } from '../../../js/job-executor.js';
import { root } from '../support.js';
import { checkJavaOnly, checkResponse } from './openapi.js';
import { describeRest, twoTasksXml } from './support.js';

const spec = JSON.parse(readFileSync(join(root, 'docs', 'camunda-openapi.json'), 'utf8'));


const POLL = 30000;
const START_B = [{ type: 'startBeforeActivity', activityId: 'b' }];
const MOVE_A_TO_B = [{ type: 'cancel', activityId: 'a' }, { type: 'startBeforeActivity', activityId: 'b' }];

describeRest(
  'batches',
  (ctx) => {
    let def; // `batchProcess`
    let other; // `otherBatchProcess`

    /** A request checked against the OpenAPI document: `template` the documented path (null: Detour's own). */
    const call = async (method, template, path, body) => {
      const r = await ctx.api.call(method, path, body === undefined ? undefined : body);
      if (!template) return r;
      const documented = spec.paths[template]?.[method.toLowerCase()]?.responses?.[String(r.status)];
      return documented ? checkResponse(method, template, r) : checkJavaOnly(method, template, r);
    };
    const ok = (r, status = 200) => {
      assert.equal(r.status, status, JSON.stringify(r.body));
      return r.body;
    };
    const expectError = (r, status, type, message, what) => assert.deepEqual([r.status, r.body?.type, r.body?.message], [status, type, message], what ?? '');

    const deployTwoTasks = async (key) => {
      const r = await ctx.api.deploy(twoTasksXml(key));
      return Object.values(ok(r).deployedProcessDefinitions)[0];
    };
    const startOne = async (definition = def) => ok(await call('POST', '/process-definition/{id}/start', `/process-definition/${definition.id}/start`, {})).id;
    const startMany = async (n, definition = def) => {
      const ids = [];
      for (let i = 0; i < n; i++) ids.push(await startOne(definition));
      return ids;
    };
    const executeAsync = (body) => call('POST', '/modification/executeAsync', '/modification/executeAsync', body);
    const modifyAsync = (id, body) => call('POST', '/process-instance/{id}/modification-async', `/process-instance/${encodeURIComponent(id)}/modification-async`, body);
    const getBatch = (id) => call('GET', '/batch/{id}', `/batch/${id}`);
    const statistics = async (id) => ok(await call('GET', '/batch/statistics', `/batch/statistics?batchId=${id}`))[0];
    const historicBatch = (id) => call('GET', '/history/batch/{id}', `/history/batch/${id}`);
    const jobsOf = async (batchId, query = '') => ok(await call('GET', '/job', `/job?${query}`)).filter((j) => j.batchId === batchId);
    const jobsOfDefinition = async (jobDefinitionId) => ok(await call('GET', '/job', `/job?jobDefinitionId=${jobDefinitionId}`));
    const execute = (jobId) => call('POST', '/job/{id}/execute', `/job/${jobId}/execute`);
    const executeOk = async (jobId) => ok(await execute(jobId), 204);
    const seedJob = async (b) => (await jobsOfDefinition(b.seedJobDefinitionId))[0];
    const monitorJob = async (b) => (await jobsOfDefinition(b.monitorJobDefinitionId))[0];
    const executionJobs = (b) => jobsOfDefinition(b.batchJobDefinitionId);
    const activityIds = async (id) => {
      const r = await call('GET', '/process-instance/{id}/activity-instances', `/process-instance/${id}/activity-instances`);
      if (r.status === 404) return null;
      return ok(r).childActivityInstances.map((a) => a.activityId).sort();
    };
    /** Runs the seed jobs until the monitor job exists → the monitor job. */
    const seedAll = async (b) => {
      for (let i = 0; i < 100; i++) {
        const seed = await seedJob(b);
        if (!seed) return monitorJob(b);
        await executeOk(seed.id);
      }
      throw new Error('the seed job never ended');
    };
    /** The whole batch: seeds, every execution job, the monitor. */
    const runBatch = async (b) => {
      await seedAll(b);
      for (const job of await executionJobs(b)) await executeOk(job.id);
      await executeOk((await monitorJob(b)).id);
      expectError(await getBatch(b.id), 404, 'InvalidRequestException', `Batch with id '${b.id}' does not exist`);
    };

    it('deploys the processes the batches modify', async () => {
      def = await deployTwoTasks('batchProcess');
      other = await deployTwoTasks('otherBatchProcess');
    });

    // --- the lifecycle -----------------------------------------------------------------------------

    it('executeAsync: seed jobs hand out execution jobs, they modify the instances, the monitor ends the batch', async () => {
      const ids = await startMany(5);
      const created = ctx.clock.now;
      const b = ok(await executeAsync({ processDefinitionId: def.id, instructions: MOVE_A_TO_B, processInstanceIds: [...ids, ids[0]] }));
      // batchJobsPerSeed 2, invocationsPerBatchJob 2 (the suite's engine options): 5 distinct ids → 3 jobs
      assert.equal(b.type, 'instance-modification');
      assert.deepEqual([b.totalJobs, b.jobsCreated, b.batchJobsPerSeed, b.invocationsPerBatchJob, b.suspended, b.tenantId, b.createUserId, b.executionStartTime], [3, 0, 2, 2, false, null, null, null]);
      assert.equal(Date.parse(b.startTime.replace('+0000', 'Z')), created);
      assert.deepEqual(ok(await getBatch(b.id)), b);

      // three job definitions, jobConfiguration = the batch id; one seed job, due now
      const defs = ok(await call('GET', '/job-definition', `/job-definition?jobConfiguration=${b.id}`));
      assert.deepEqual(
        defs.map((d) => [d.id, d.jobType, d.processDefinitionId, d.activityId, d.suspended]).sort(),
        [
          [b.seedJobDefinitionId, 'batch-seed-job', null, null, false],
          [b.monitorJobDefinitionId, 'batch-monitor-job', null, null, false],
          [b.batchJobDefinitionId, 'instance-modification', null, null, false],
        ].sort(),
      );
      assert.equal(defs.find((d) => d.jobType === 'batch-seed-job').deploymentId, def.deploymentId);
      const [seed, ...none] = await jobsOf(b.id);
      assert.equal(none.length, 0);
      assert.deepEqual(
        [seed.jobDefinitionId, seed.batchId, seed.processInstanceId, seed.processDefinitionId, seed.executionId, seed.retries, seed.dueDate, seed.priority],
        [b.seedJobDefinitionId, b.id, null, null, null, 3, null, 0],
      );

      // first seed run: 2 execution jobs and the next seed job
      await executeOk(seed.id);
      assert.equal((await executionJobs(b)).length, 2);
      assert.ok(await seedJob(b));
      assert.equal(ok(await getBatch(b.id)).jobsCreated, 2);
      let s = await statistics(b.id);
      assert.deepEqual([s.remainingJobs, s.completedJobs, s.failedJobs], [3, 0, 0]);

      // second: the last job and the monitor job, without due date
      const monitor = await seedAll(b);
      assert.equal(monitor.dueDate, null);
      assert.equal(ok(await getBatch(b.id)).jobsCreated, 3);
      const jobs = await executionJobs(b);
      assert.equal(jobs.length, 3);

      // the monitor while jobs are left: a new monitor job due in batchPollTime (30 s)
      await executeOk(monitor.id);
      const next = await monitorJob(b);
      assert.notEqual(next.id, monitor.id);
      assert.equal(Date.parse(next.dueDate.replace('+0000', 'Z')), ctx.clock.now + POLL);

      ctx.clock.advance(1000);
      for (const job of jobs) await executeOk(job.id);
      for (const id of ids) assert.deepEqual(await activityIds(id), ['b']);
      s = await statistics(b.id);
      assert.deepEqual([s.remainingJobs, s.completedJobs, s.failedJobs], [0, 3, 0]);
      assert.equal(ok(await getBatch(b.id)).executionStartTime, ok(await historicBatch(b.id)).executionStartTime);
      const instances = ok(await call('GET', null, `/detour/batch/${b.id}/instances`));
      assert.deepEqual(instances, ids.map((processInstanceId) => ({ processInstanceId, state: 'done', errorMessage: null })));

      // the monitor once nothing is left: batch, jobs and job definitions gone, the history ended
      ctx.clock.advance(POLL);
      await executeOk(next.id);
      expectError(await getBatch(b.id), 404, 'InvalidRequestException', `Batch with id '${b.id}' does not exist`);
      assert.deepEqual(await jobsOf(b.id), []);
      assert.deepEqual(ok(await call('GET', '/job-definition', `/job-definition?jobConfiguration=${b.id}`)), []);
      const h = ok(await historicBatch(b.id));
      assert.equal(Date.parse(h.endTime.replace('+0000', 'Z')), ctx.clock.now);
      assert.deepEqual(
        [h.id, h.type, h.totalJobs, h.batchJobsPerSeed, h.invocationsPerBatchJob, h.seedJobDefinitionId, h.monitorJobDefinitionId, h.batchJobDefinitionId, h.startTime],
        [b.id, b.type, 3, 2, 2, b.seedJobDefinitionId, b.monitorJobDefinitionId, b.batchJobDefinitionId, b.startTime],
      );
      assert.ok(h.executionStartTime);
      expectError(await call('GET', null, `/detour/batch/${b.id}/instances`), 404, 'NotFoundException', `Batch with id '${b.id}' does not exist`);
    });

    it('executeAsync takes the union of ids and both queries; validation as the synchronous form', async () => {
      const [x, y] = await startMany(2);
      const b = ok(await executeAsync({
        processDefinitionId: def.id,
        instructions: START_B,
        processInstanceIds: [x],
        processInstanceQuery: { processInstanceIds: [x, y] },
        historicProcessInstanceQuery: { processInstanceIds: [y], unfinished: true },
      }));
      assert.equal(b.totalJobs, 1); // 2 distinct ids, 2 per job
      assert.deepEqual((ok(await call('GET', null, `/detour/batch/${b.id}/instances`))).map((r) => r.processInstanceId).sort(), [x, y].sort());
      ok(await call('DELETE', '/batch/{id}', `/batch/${b.id}`), 204);

      const cases = [
        [{ instructions: START_B, processInstanceIds: [x] }, 'processDefinitionId is null'],
        [{ processDefinitionId: def.id, processInstanceIds: [x] }, 'Modification instructions cannot be empty is empty'],
        [{ processDefinitionId: def.id, instructions: START_B }, 'Process instance ids cannot be empty: Process instance ids is empty'],
        [{ processDefinitionId: def.id, instructions: START_B, processInstanceIds: [x, null] }, 'Process instance ids cannot be null: Process instance ids contains null value'],
        [{ processDefinitionId: 'nope', instructions: START_B, processInstanceIds: [x] }, "no deployed process definition found with id 'nope': processDefinition is null"],
        [{ processDefinitionId: def.id, instructions: [{ type: 'cancel' }], processInstanceIds: [x] }, "For instruction type 'cancel': 'activityId' must be set"],
      ];
      for (const [body, message] of cases) expectError(await executeAsync(body), 400, 'InvalidRequestException', message, message);
      expectError(await executeAsync([]), 400, 'InvalidRequestException', '');
      assert.equal(ok(await call('GET', '/batch/count', '/batch/count')).count, 0);
    });

    it('instances that are not running or not of the definition fail their job only (ENGINE-13036, ENGINE-13037)', async () => {
      const [good] = await startMany(1);
      const foreign = await startOne(other);
      const b = ok(await executeAsync({ processDefinitionId: def.id, instructions: START_B, processInstanceIds: [good, 'missing', foreign] }));
      await seedAll(b);
      const jobs = await executionJobs(b);
      assert.equal(jobs.length, 2); // [good, missing], [foreign]
      const r1 = await execute(jobs[0].id);
      expectError(r1, 404, 'InvalidRequestException', "ENGINE-13036 Process instance 'missing' cannot be modified. The process instance does not exist");
      const r2 = await execute(jobs[1].id);
      expectError(r2, 404, 'InvalidRequestException', `ENGINE-13037 Process instance '${foreign}' cannot be modified. Its process definition '${other.id}' does not match given process definition '${def.id}'`);
      assert.deepEqual(await activityIds(good), ['a', 'b']); // done once
      assert.deepEqual(await activityIds(foreign), ['a']);
      const failed = await executionJobs(b);
      assert.deepEqual(failed.map((j) => j.retries), [2, 2]);
      // a retry attempts only what is not done: `good` is not modified twice
      await execute(jobs[0].id);
      assert.deepEqual(await activityIds(good), ['a', 'b']);
      ok(await call('DELETE', '/batch/{id}', `/batch/${b.id}?cascade=true`), 204);
    });

    // --- partial failure, retries, incidents ----------------------------------------------------------

    it('a suspended instance fails only its job: retries 3 → 0, an incident, Detour shows the failure; retried after activation', async () => {
      const ids = await startMany(3);
      ok(await call('PUT', '/process-instance/{id}/suspended', `/process-instance/${ids[1]}/suspended`, { suspended: true }), 204);
      // one instance per job here: a batch of its own with invocationsPerBatchJob 2 would put two in one job
      const b = ok(await executeAsync({ processDefinitionId: def.id, instructions: START_B, processInstanceIds: ids }));
      await seedAll(b);
      const jobs = await executionJobs(b); // [ids0, ids1], [ids2]
      await executeOk(jobs[1].id);
      const message = (await execute(jobs[0].id)).body.message;
      assert.match(message, /^ENGINE-03043 Execution with id '.*' is suspended\.$/);
      assert.deepEqual(await activityIds(ids[0]), ['a', 'b']);
      assert.deepEqual(await activityIds(ids[1]), ['a']);
      assert.deepEqual(await activityIds(ids[2]), ['a', 'b']);
      let [job] = await executionJobs(b);
      assert.deepEqual([job.id, job.retries, job.exceptionMessage], [jobs[0].id, 2, message]);
      for (const left of [1, 0]) {
        expectError(await execute(job.id), 404, 'InvalidRequestException', message);
        [job] = await executionJobs(b);
        assert.equal(job.retries, left);
      }
      const incidents = ok(await call('GET', '/incident', `/incident?incidentType=failedJob&configuration=${job.id}`));
      assert.equal(incidents.length, 1);
      assert.deepEqual([incidents[0].jobDefinitionId, incidents[0].incidentMessage, incidents[0].processInstanceId], [b.batchJobDefinitionId, message, null]);
      let s = await statistics(b.id);
      assert.deepEqual([s.remainingJobs, s.completedJobs, s.failedJobs], [1, 1, 1]);
      assert.deepEqual(ok(await call('GET', '/batch/statistics', '/batch/statistics?withFailures=true')).map((x) => x.id), [b.id]);
      assert.ok(!ok(await call('GET', '/batch/statistics', '/batch/statistics?withoutFailures=true')).some((x) => x.id === b.id));

      // Detour's view: who failed and why
      const instances = ok(await call('GET', null, `/detour/batch/${b.id}/instances`));
      assert.deepEqual(instances, [
        { processInstanceId: ids[0], state: 'done', errorMessage: null },
        { processInstanceId: ids[1], state: 'failed', errorMessage: message },
        { processInstanceId: ids[2], state: 'done', errorMessage: null },
      ]);
      assert.deepEqual(ok(await call('GET', null, `/detour/batch/${b.id}/instances?state=failed&maxResults=5`)).map((r) => r.processInstanceId), [ids[1]]);
      assert.deepEqual(ok(await call('GET', null, `/detour/batch/${b.id}/instances?firstResult=1&maxResults=1`)).map((r) => r.processInstanceId), [ids[1]]);
      assert.deepEqual(ok(await call('GET', null, `/detour/batch/${b.id}/failures`)), [{ errorMessage: message, count: 1, processInstanceIds: [ids[1]] }]);

      // the monitor waits for the failed job
      const monitor = await monitorJob(b);
      await executeOk(monitor.id);
      assert.ok(ok(await getBatch(b.id)));

      // repaired: activate the instance, give the job a retry (its incident resolves), run it
      ok(await call('PUT', '/process-instance/{id}/suspended', `/process-instance/${ids[1]}/suspended`, { suspended: false }), 204);
      ok(await call('PUT', '/job/{id}/retries', `/job/${job.id}/retries`, { retries: 1 }), 204);
      assert.deepEqual(ok(await call('GET', '/incident', `/incident?configuration=${job.id}`)), []);
      const resolved = ok(await call('GET', '/history/incident', `/history/incident?configuration=${job.id}`));
      assert.deepEqual([resolved.length, resolved[0]?.resolved], [1, true]);
      await executeOk(job.id);
      assert.deepEqual(await activityIds(ids[1]), ['a', 'b']);
      s = await statistics(b.id);
      assert.deepEqual([s.remainingJobs, s.completedJobs, s.failedJobs], [0, 2, 0]);
      await executeOk((await monitorJob(b)).id);
      expectError(await getBatch(b.id), 404, 'InvalidRequestException', `Batch with id '${b.id}' does not exist`);
    });

    // --- suspension -------------------------------------------------------------------------------------

    it('suspend: the jobs and job definitions follow, executing is refused and the executor acquires nothing; activate resumes', async () => {
      const ids = await startMany(3);
      const b = ok(await executeAsync({ processDefinitionId: def.id, instructions: START_B, processInstanceIds: ids }));
      ok(await call('PUT', '/batch/{id}/suspended', `/batch/${b.id}/suspended`, { suspended: true }), 204);
      assert.equal(ok(await getBatch(b.id)).suspended, true);
      const defs = ok(await call('GET', '/job-definition', `/job-definition?jobConfiguration=${b.id}`));
      assert.deepEqual(defs.map((d) => d.suspended), [true, true, true]);
      const seed = await seedJob(b);
      assert.equal(seed.suspended, true);
      expectError(await execute(seed.id), 404, 'InvalidRequestException', `Job with id '${seed.id}' is suspended`);
      const executor = new JobExecutor({ engine: ctx.engine, lockOwner: 'suspension-test' });
      assert.equal(await executor.acquireAndExecute(), 0);
      assert.deepEqual(ok(await call('GET', '/batch', `/batch?suspended=true`)).map((x) => x.id), [b.id]);

      ok(await call('PUT', '/batch/{id}/suspended', `/batch/${b.id}/suspended`, { suspended: false }), 204);
      assert.equal(ok(await getBatch(b.id)).suspended, false);
      assert.deepEqual(ok(await call('GET', '/job-definition', `/job-definition?jobConfiguration=${b.id}`)).map((d) => d.suspended), [false, false, false]);
      await executeOk(seed.id);
      // suspended again: every job the batch has now follows, execution jobs too
      ok(await call('PUT', '/batch/{id}/suspended', `/batch/${b.id}/suspended`, { suspended: true }), 204);
      const jobs = await jobsOf(b.id);
      assert.equal(jobs.length, 3); // 2 execution jobs and the monitor
      assert.ok(jobs.every((j) => j.suspended));
      ok(await call('PUT', '/batch/{id}/suspended', `/batch/${b.id}/suspended`, { suspended: false }), 204);
      await runBatch(b);
      for (const id of ids) assert.deepEqual(await activityIds(id), ['a', 'b']);

      expectError(await call('PUT', '/batch/{id}/suspended', '/batch/nope/suspended', { suspended: true }), 400, 'InvalidRequestException', "Unable to suspend batch with id 'nope'");
      expectError(await call('PUT', '/batch/{id}/suspended', '/batch/nope/suspended', { suspended: false }), 400, 'InvalidRequestException', "Unable to activate batch with id 'nope'");
    });

    // --- deletion ------------------------------------------------------------------------------------------

    it('delete without cascade: jobs and job definitions go, the historic batch ends; with cascade it goes too', async () => {
      const ids = await startMany(3);
      const keep = ok(await executeAsync({ processDefinitionId: def.id, instructions: START_B, processInstanceIds: ids }));
      const drop = ok(await executeAsync({ processDefinitionId: def.id, instructions: START_B, processInstanceIds: ids }));
      await executeOk((await seedJob(keep)).id);
      await executeOk((await executionJobs(keep))[0].id); // done instances stay modified
      for (const [b, cascade] of [[keep, false], [drop, true]]) {
        ok(await call('DELETE', '/batch/{id}', `/batch/${b.id}?cascade=${cascade}`), 204);
        expectError(await getBatch(b.id), 404, 'InvalidRequestException', `Batch with id '${b.id}' does not exist`);
        assert.deepEqual(await jobsOf(b.id), []);
        assert.deepEqual(ok(await call('GET', '/job-definition', `/job-definition?jobConfiguration=${b.id}`)), []);
      }
      assert.ok(ok(await historicBatch(keep.id)).endTime);
      assert.deepEqual(await activityIds(ids[0]), ['a', 'b']);
      expectError(await historicBatch(drop.id), 404, 'InvalidRequestException', `Historic batch with id '${drop.id}' does not exist`);
      expectError(await call('DELETE', '/batch/{id}', '/batch/nope'), 400, 'InvalidRequestException', "Unable to delete batch with id 'nope'");
      // DELETE /history/batch/{id}
      ok(await call('DELETE', '/history/batch/{id}', `/history/batch/${keep.id}`), 204);
      expectError(await historicBatch(keep.id), 404, 'InvalidRequestException', `Historic batch with id '${keep.id}' does not exist`);
      expectError(await call('DELETE', '/history/batch/{id}', `/history/batch/${keep.id}`), 400, 'InvalidRequestException', `Unable to delete historic batch with id '${keep.id}'`);
    });

    // --- queries ---------------------------------------------------------------------------------------

    it('GET /batch, /batch/count, /batch/statistics(/count), /history/batch(/count): filters, sorting, paging', async () => {
      const ids = await startMany(2);
      const made = [];
      for (let i = 0; i < 3; i++) {
        made.push(ok(await executeAsync({ processDefinitionId: def.id, instructions: START_B, processInstanceIds: ids })));
        ctx.clock.advance(1000);
      }
      const sorted = made.map((b) => b.id).sort();
      const list = ok(await call('GET', '/batch', '/batch?type=instance-modification&sortBy=batchId&sortOrder=desc'));
      assert.deepEqual(list.map((b) => b.id).filter((id) => sorted.includes(id)), [...sorted].reverse());
      assert.equal(ok(await call('GET', '/batch/count', `/batch/count?batchId=${made[1].id}`)).count, 1);
      assert.deepEqual(ok(await call('GET', '/batch', '/batch?withoutTenantId=true&sortBy=batchId&sortOrder=asc&firstResult=1&maxResults=1')).map((b) => b.id), [list.map((b) => b.id).sort()[1]]);
      assert.deepEqual(ok(await call('GET', '/batch', '/batch?tenantIdIn=t1')), []);
      expectError(await call('GET', '/batch', '/batch?sortBy=startTime&sortOrder=asc'), 400, 'InvalidRequestException', 'sortBy parameter has invalid value: startTime');
      expectError(await call('GET', '/batch', '/batch?sortBy=batchId'), 400, 'InvalidRequestException', 'Only a single sorting parameter specified. sortBy and sortOrder required');

      const stats = ok(await call('GET', '/batch/statistics', `/batch/statistics?sortBy=startTime&sortOrder=asc&startedAfter=${encodeURIComponent(made[0].startTime)}`));
      assert.deepEqual(stats.map((s) => s.id), made.map((b) => b.id));
      assert.deepEqual(stats.map((s) => [s.remainingJobs, s.completedJobs, s.failedJobs]), [[1, 0, 0], [1, 0, 0], [1, 0, 0]]);
      assert.equal(ok(await call('GET', '/batch/statistics/count', `/batch/statistics/count?startedBefore=${encodeURIComponent(made[0].startTime)}&startedAfter=${encodeURIComponent(made[0].startTime)}`)).count, 1);

      await runBatch(made[0]);
      const done = ok(await call('GET', '/history/batch', `/history/batch?completed=true&batchId=${made[0].id}`));
      assert.deepEqual(done.map((h) => h.id), [made[0].id]);
      assert.equal(ok(await call('GET', '/history/batch', `/history/batch?completed=false&batchId=${made[0].id}`)).length, 0);
      const running = ok(await call('GET', '/history/batch', '/history/batch?completed=false&sortBy=startTime&sortOrder=desc')).map((h) => h.id);
      assert.deepEqual(running.filter((id) => made.some((b) => b.id === id)), [made[2].id, made[1].id]);
      assert.ok(ok(await call('GET', '/history/batch/count', '/history/batch/count?type=instance-modification')).count >= 3);
      for (const b of made.slice(1)) ok(await call('DELETE', '/batch/{id}', `/batch/${b.id}?cascade=true`), 204);
      expectError(await call('GET', '/batch/{id}', '/batch/nope'), 404, 'InvalidRequestException', "Batch with id 'nope' does not exist");
      expectError(await historicBatch('nope'), 404, 'InvalidRequestException', "Historic batch with id 'nope' does not exist");
    });

    // --- single-instance modification-async ------------------------------------------------------------------

    it('modification-async: one job whatever invocationsPerBatchJob; 400 for no instructions, 500 for an unknown instance', async () => {
      const id = await startOne();
      for (const body of [{}, { instructions: [] }, { instructions: null }]) {
        expectError(await modifyAsync(id, body), 400, 'InvalidRequestException', 'The provided instuctions are invalid.');
      }
      expectError(await modifyAsync(id, { instructions: [{ type: 'cancel' }] }), 400, 'InvalidRequestException', "For instruction type 'cancel': exactly one, 'activityId', 'activityInstanceId', or 'transitionInstanceId', is required");
      expectError(await modifyAsync('nope', { instructions: START_B }), 500, 'ProcessEngineException', "ENGINE-13036 Process instance 'nope' cannot be modified. The process instance does not exist");
      const b = ok(await modifyAsync(id, { instructions: START_B }));
      assert.deepEqual([b.type, b.totalJobs, b.invocationsPerBatchJob, b.batchJobsPerSeed], ['instance-modification', 1, 2, 2]);
      await runBatch(b);
      assert.deepEqual(await activityIds(id), ['a', 'b']);
    });

    // a plan the synchronous and the asynchronous single-instance modification run alike
    const PLANS = {
      'start before b': () => START_B,
      'move a to b': () => MOVE_A_TO_B,
      'start with variables (applied, Detour policy 2)': () => [
        { type: 'startBeforeActivity', activityId: 'b', variables: { x: { value: 42, type: 'Integer' }, y: { value: 'local', type: 'String', local: true } } },
      ],
      'cancel the instance (EXTERNALLY_TERMINATED)': () => [{ type: 'cancel', activityId: 'a' }],
      'start after a, cancel by activity instance': (tree) => [
        { type: 'startAfterActivity', activityId: 'a' },
        { type: 'cancel', activityInstanceId: tree.childActivityInstances[0].id },
      ],
    };

    for (const [name, plan] of Object.entries(PLANS)) {
      it(`modification-async gives the tree and history of the synchronous modification: ${name}`, async () => {
        const syncId = await startOne();
        const asyncId = await startOne();
        const tree = async (id) => ok(await call('GET', '/process-instance/{id}/activity-instances', `/process-instance/${id}/activity-instances`));
        ok(await call('POST', '/process-instance/{id}/modification', `/process-instance/${syncId}/modification`, { instructions: plan(await tree(syncId)) }), 204);
        const b = ok(await modifyAsync(asyncId, { instructions: plan(await tree(asyncId)) }));
        await runBatch(b);
        const facts = async (id) => {
          const hpi = ok(await call('GET', '/history/process-instance/{id}', `/history/process-instance/${id}`));
          const acts = ok(await call('GET', '/history/activity-instance', `/history/activity-instance?processInstanceId=${id}`));
          const vars = ok(await call('GET', '/history/variable-instance', `/history/variable-instance?processInstanceId=${id}`));
          const running = await activityIds(id);
          return {
            running,
            state: hpi.state,
            ended: hpi.endTime != null,
            activities: acts.map((a) => `${a.activityId}:${a.canceled}:${a.endTime != null}`).sort(),
            variables: vars.map((v) => `${v.name}=${v.value}:${v.activityInstanceId === id ? 'instance' : 'local'}`).sort(),
          };
        };
        assert.deepEqual(await facts(asyncId), await facts(syncId));
      });
    }

    // --- the job executor ---------------------------------------------------------------------------

    it('a JobExecutor runs a batch to completion', async () => {
      const ids = await startMany(5);
      const b = ok(await executeAsync({ processDefinitionId: def.id, instructions: MOVE_A_TO_B, processInstanceIds: ids }));
      const executor = new JobExecutor({ engine: ctx.engine, lockOwner: 'batch-test', minIdleMs: 5, maxIdleMs: 20 });
      executor.start();
      try {
        const deadline = Date.now() + 10000;
        while ((await getBatch(b.id)).status === 200) {
          if (Date.now() > deadline) throw new Error('the batch did not finish');
          ctx.clock.advance(POLL); // a monitor that ran early polls again
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      } finally {
        await executor.stop();
      }
      for (const id of ids) assert.deepEqual(await activityIds(id), ['b']);
      assert.ok(ok(await historicBatch(b.id)).endTime);
      assert.equal(executor.failed + executor.errors, 0);
    });
  },
  { engine: { batch: { batchJobsPerSeed: 2, invocationsPerBatchJob: 2 } } },
);

// semantics.md §3.7's example (BatchStatisticsQueryTest): 13 jobs, the seed ran once (10 created),
// 2 completed, 2 failed → remaining 11, completed 2, failed 2.
describeRest(
  'batch statistics',
  (ctx) => {
    it('13 jobs, one seed run, 2 completed, 2 failed: remaining 11, completed 2, failed 2', async () => {
      const r = await ctx.api.deploy(twoTasksXml('statsProcess'));
      const def = Object.values(r.body.deployedProcessDefinitions)[0];
      const ids = [];
      for (let i = 0; i < 13; i++) ids.push((await ctx.api.post(`/process-definition/${def.id}/start`, {})).body.id);
      for (const id of ids.slice(2, 4)) assert.equal((await ctx.api.put(`/process-instance/${id}/suspended`, { suspended: true })).status, 204);
      const b = checkResponse('POST', '/modification/executeAsync', await ctx.api.post('/modification/executeAsync', { processDefinitionId: def.id, instructions: START_B, processInstanceIds: ids })).body;
      assert.equal(b.totalJobs, 13);
      const jobsOf = async (jobDefinitionId) => checkResponse('GET', '/job', await ctx.api.get(`/job?jobDefinitionId=${jobDefinitionId}`)).body;
      assert.equal((await ctx.api.post(`/job/${(await jobsOf(b.seedJobDefinitionId))[0].id}/execute`)).status, 204);
      const jobs = await jobsOf(b.batchJobDefinitionId);
      assert.equal(jobs.length, 10);
      for (const job of jobs.slice(0, 2)) assert.equal((await ctx.api.post(`/job/${job.id}/execute`)).status, 204);
      for (const job of jobs.slice(2, 4)) for (let i = 0; i < 3; i++) assert.equal((await ctx.api.post(`/job/${job.id}/execute`)).status, 404);
      const [s] = checkResponse('GET', '/batch/statistics', await ctx.api.get(`/batch/statistics?batchId=${b.id}`)).body;
      assert.deepEqual([s.totalJobs, s.jobsCreated, s.remainingJobs, s.completedJobs, s.failedJobs], [13, 10, 11, 2, 2]);
      assert.equal(checkResponse('GET', '/batch/statistics/count', await ctx.api.get('/batch/statistics/count?withFailures=true')).body.count, 1);
    });
  },
  { engine: { batch: { batchJobsPerSeed: 10, invocationsPerBatchJob: 1 } } },
);
