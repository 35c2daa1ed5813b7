// dto.js — the engine's rows in Camunda's DTO shapes (dates stay epoch ms; REST formats them).

export function definitionDto(d) {
  // the model and the job definitions are the engine's, not part of ProcessDefinitionDto
  const { model, jobDefinitions, ...dto } = d;
  return dto;
}

export function instanceDto(row) {
  return {
    id: row.id,
    definitionId: row.processDefinitionId,
    definitionKey: row.processDefinitionKey,
    businessKey: row.businessKey ?? null,
    caseInstanceId: null,
    ended: false,
    suspended: !!row.suspended,
    tenantId: row.tenantId ?? null,
  };
}

export function taskDto(t) {
  return {
    id: t.id,
    name: t.name ?? null,
    assignee: t.assignee ?? null,
    owner: null,
    created: t.created ?? null,
    lastUpdated: null,
    due: null,
    followUp: null,
    delegationState: null,
    description: null,
    executionId: t.executionId ?? null,
    parentTaskId: null,
    priority: t.priority ?? 50,
    processDefinitionId: t.processDefinitionId ?? null,
    processInstanceId: t.processInstanceId ?? null,
    caseExecutionId: null,
    caseDefinitionId: null,
    caseInstanceId: null,
    taskDefinitionKey: t.taskDefinitionKey ?? null,
    suspended: !!t.suspended,
    formKey: null,
    camundaFormRef: null,
    tenantId: t.tenantId ?? null,
    taskState: 'Created',
    activityInstanceId: t.activityInstanceId ?? null,
  };
}

export function externalTaskDto(t) {
  return {
    activityId: t.activityId ?? null,
    activityInstanceId: t.activityInstanceId ?? null,
    errorMessage: t.errorMessage ?? null,
    executionId: t.executionId ?? null,
    id: t.id,
    lockExpirationTime: t.lockExpirationTime ?? null,
    createTime: t.createTime ?? null,
    processDefinitionId: t.processDefinitionId ?? null,
    processDefinitionKey: t.processDefinitionKey ?? null,
    processDefinitionVersionTag: null,
    processInstanceId: t.processInstanceId ?? null,
    retries: t.retries ?? null,
    suspended: !!t.suspended,
    workerId: t.workerId ?? null,
    topicName: t.topicName ?? null,
    tenantId: t.tenantId ?? null,
    priority: t.priority ?? 0,
    businessKey: t.businessKey ?? null,
  };
}

export function jobDto(j) {
  return {
    id: j.id,
    jobDefinitionId: j.jobDefinitionId ?? null,
    processInstanceId: j.processInstanceId ?? null,
    processDefinitionId: j.processDefinitionId ?? null,
    processDefinitionKey: j.processDefinitionKey ?? null,
    executionId: j.executionId ?? null,
    exceptionMessage: j.exceptionMessage ?? null,
    failedActivityId: j.failedActivityId ?? null,
    retries: j.retries,
    dueDate: j.dueDate ?? null,
    suspended: !!j.suspended,
    priority: j.priority ?? 0,
    tenantId: j.tenantId ?? null,
    createTime: j.createTime ?? null,
    batchId: j.batchId ?? null,
    activityId: j.activityId ?? null,
    jobType: j.jobType ?? null,
  };
}

export function incidentDto(i) {
  return {
    id: i.id,
    processDefinitionId: i.processDefinitionId ?? null,
    processInstanceId: i.processInstanceId ?? null,
    executionId: i.executionId ?? null,
    incidentTimestamp: i.incidentTimestamp ?? null,
    incidentType: i.incidentType,
    activityId: i.activityId ?? null,
    failedActivityId: i.failedActivityId ?? i.activityId ?? null,
    causeIncidentId: i.causeIncidentId ?? i.id,
    rootCauseIncidentId: i.rootCauseIncidentId ?? i.id,
    configuration: i.configuration ?? null,
    tenantId: i.tenantId ?? null,
    incidentMessage: i.incidentMessage ?? null,
    jobDefinitionId: i.jobDefinitionId ?? null,
    annotation: null,
  };
}

export function jobDefinitionDto(d) {
  return {
    id: d.id,
    processDefinitionId: d.processDefinitionId ?? null,
    processDefinitionKey: d.processDefinitionKey ?? null,
    jobType: d.jobType ?? null,
    jobConfiguration: d.jobConfiguration ?? null,
    activityId: d.activityId ?? null,
    suspended: !!d.suspended,
    overridingJobPriority: d.overridingJobPriority ?? null,
    tenantId: d.tenantId ?? null,
    deploymentId: d.deploymentId ?? null,
  };
}
