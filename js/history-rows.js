// history-rows.js — Camunda's historic rows (process, activity, variable and task instances,
// variable details, incidents) from the history events of one core command (docs/core-abi.md).

/**
 * Turns a command's history events into row upserts [{kind, row}] (Camunda's historic DTO shapes,
 * dates in ms). An end or update event completes the row its start created — in this command or
 * an earlier one (read from the store).
 */
export async function historyRows(events, ctx, store, uuid) {
  const rows = new Map(); // `${kind}/${id}` → row, the latest version of each row touched
  const details = [];
  const get = async (kind, id) => rows.get(`${kind}/${id}`) ?? (await store.getHistory(kind, id));
  const put = (kind, row) => rows.set(`${kind}/${row.id}`, row);
  const duration = (row, end) => (row?.startTime != null && end != null ? end - row.startTime : null);
  const refs = {
    processDefinitionKey: ctx.processDefinitionKey,
    processDefinitionId: ctx.processDefinitionId,
    tenantId: ctx.tenantId,
    rootProcessInstanceId: ctx.rootProcessInstanceId,
    removalTime: null,
  };

  for (const e of events) {
    switch (e.type) {
      case 'processInstanceStart':
        put('processInstance', {
          id: e.processInstanceId,
          businessKey: e.businessKey ?? null,
          processDefinitionId: e.processDefinitionId,
          processDefinitionKey: e.processDefinitionKey,
          processDefinitionName: e.processDefinitionName ?? null,
          processDefinitionVersion: e.processDefinitionVersion,
          startTime: e.startTime,
          endTime: null,
          removalTime: null,
          durationInMillis: null,
          startUserId: null,
          startActivityId: e.startActivityId ?? null,
          deleteReason: null,
          rootProcessInstanceId: e.processInstanceId,
          superProcessInstanceId: null,
          superCaseInstanceId: null,
          caseInstanceId: null,
          tenantId: e.tenantId ?? null,
          state: 'ACTIVE',
          restartedProcessInstanceId: e.restartedProcessInstanceId ?? null,
          endActivityId: null,
        });
        break;
      case 'processInstanceEnd': {
        const row = await get('processInstance', e.processInstanceId);
        if (!row) break;
        put('processInstance', {
          ...row,
          endTime: e.endTime,
          durationInMillis: duration(row, e.endTime),
          state: e.state,
          deleteReason: e.deleteReason ?? null,
          endActivityId: e.endActivityId ?? null,
        });
        break;
      }
      case 'processInstanceUpdate': {
        // suspension: the historic state follows the instance (SUSPENDED / ACTIVE) while it runs
        const row = await get('processInstance', e.processInstanceId);
        if (!row || row.endTime != null) break;
        put('processInstance', { ...row, state: e.state });
        break;
      }
      case 'activityInstanceStart':
        put('activityInstance', {
          id: e.id,
          parentActivityInstanceId: e.parentActivityInstanceId ?? null,
          activityId: e.activityId,
          activityName: e.activityName ?? null,
          activityType: e.activityType,
          processDefinitionKey: ctx.processDefinitionKey,
          processDefinitionId: ctx.processDefinitionId,
          processInstanceId: e.processInstanceId,
          executionId: e.executionId,
          taskId: null,
          calledProcessInstanceId: null,
          calledCaseInstanceId: null,
          assignee: null,
          startTime: e.startTime,
          endTime: null,
          durationInMillis: null,
          canceled: false,
          completeScope: false,
          tenantId: ctx.tenantId,
          removalTime: null,
          rootProcessInstanceId: ctx.rootProcessInstanceId,
        });
        break;
      case 'activityInstanceEnd': {
        const row = await get('activityInstance', e.id);
        if (!row) break;
        put('activityInstance', {
          ...row,
          endTime: e.endTime,
          durationInMillis: duration(row, e.endTime),
          canceled: !!e.canceled,
          completeScope: !!e.completeScope,
          taskId: e.taskId ?? row.taskId,
          assignee: e.assignee ?? row.assignee,
        });
        break;
      }
      case 'variableCreate':
      case 'variableUpdate':
      case 'variableDelete': {
        const prev = await get('variableInstance', e.variableInstanceId);
        const revision = prev ? prev.revision + 1 : 0;
        // The event's own `type` is the event kind; the value's type comes as `valueType`.
        const valueType = e.valueType ?? prev?.type ?? null;
        // where the variable lives: shared by its instance row and each detail row
        const place = {
          ...refs,
          processInstanceId: e.processInstanceId,
          executionId: e.executionId ?? null,
          activityInstanceId: e.activityInstanceId ?? null,
          caseDefinitionKey: null,
          caseDefinitionId: null,
          caseInstanceId: null,
          caseExecutionId: null,
          taskId: e.taskId ?? null,
        };
        const base = prev ?? {
          id: e.variableInstanceId,
          name: e.name,
          ...place,
          errorMessage: null,
          createTime: e.time,
        };
        put('variableInstance', {
          ...base,
          type: valueType,
          value: e.value ?? null,
          valueInfo: e.valueInfo ?? {},
          state: e.type === 'variableDelete' ? 'DELETED' : 'CREATED',
          revision,
        });
        details.push({
          id: uuid(),
          type: 'variableUpdate',
          ...place,
          time: e.time,
          userOperationId: null,
          variableName: e.name,
          variableInstanceId: e.variableInstanceId,
          variableType: valueType,
          value: e.value ?? null,
          valueInfo: e.valueInfo ?? {},
          initial: !!e.initial,
          revision,
          errorMessage: null,
          eventType: e.type,
        });
        break;
      }
      case 'taskCreate': {
        // Camunda links the user task's activity instance to its task when the task is created.
        const act = e.activityInstanceId ? await get('activityInstance', e.activityInstanceId) : null;
        if (act) put('activityInstance', { ...act, taskId: e.taskId, assignee: e.assignee ?? null });
        put('taskInstance', {
          id: e.taskId,
          ...refs,
          processInstanceId: e.processInstanceId,
          executionId: e.executionId ?? null,
          caseDefinitionKey: null,
          caseDefinitionId: null,
          caseInstanceId: null,
          caseExecutionId: null,
          activityInstanceId: e.activityInstanceId ?? null,
          name: e.name ?? null,
          description: null,
          deleteReason: null,
          owner: null,
          assignee: e.assignee ?? null,
          startTime: e.time,
          endTime: null,
          duration: null,
          taskDefinitionKey: e.taskDefinitionKey,
          priority: e.priority ?? 50,
          due: null,
          parentTaskId: null,
          followUp: null,
          taskState: 'Created',
        });
        break;
      }
      case 'taskComplete':
      case 'taskDelete': {
        const row = await get('taskInstance', e.taskId);
        if (!row) break;
        const completed = e.type === 'taskComplete';
        put('taskInstance', {
          ...row,
          assignee: e.assignee ?? row.assignee,
          endTime: e.time,
          duration: duration(row, e.time),
          deleteReason: e.deleteReason ?? (completed ? 'completed' : 'deleted'),
          taskState: completed ? 'Completed' : 'Deleted',
        });
        break;
      }
      case 'incidentCreate':
        put('incident', {
          id: e.incidentId,
          ...refs,
          processInstanceId: e.processInstanceId,
          executionId: e.executionId ?? null,
          createTime: e.time,
          endTime: null,
          incidentType: e.incidentType,
          activityId: e.activityId ?? null,
          failedActivityId: e.activityId ?? null,
          causeIncidentId: e.incidentId,
          rootCauseIncidentId: e.incidentId,
          configuration: e.configuration ?? null,
          historyConfiguration: null,
          incidentMessage: e.incidentMessage ?? null,
          jobDefinitionId: null,
          open: true,
          deleted: false,
          resolved: false,
          annotation: null,
        });
        break;
      case 'incidentResolve':
      case 'incidentDelete': {
        const row = await get('incident', e.incidentId);
        if (!row) break;
        put('incident', {
          ...row,
          endTime: e.time,
          open: false,
          resolved: e.type === 'incidentResolve',
          deleted: e.type === 'incidentDelete',
        });
        break;
      }
      default:
        break; // an event kind this engine does not keep
    }
  }
  return [
    ...[...rows].map(([key, row]) => ({ kind: key.slice(0, key.indexOf('/')), row })),
    ...details.map((row) => ({ kind: 'detail', row })),
  ];
}
