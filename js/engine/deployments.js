// deployments.js — Camunda's deployments: deploying resources (DeploymentBuilder: several
// resources, duplicate filtering / deployChangedOnly, activateProcessDefinitionsOn), the deployment
// and resource queries, a definition's BPMN XML, and deleting a deployment with its definitions.
//
// A deployment row keeps its resources by name (UTF-8 text as is, other bytes as base64) with an
// id per resource. Its BPMN resources become definition rows (js/engine/definitions.js), versioned
// per key and tenant: all of them compile, or nothing of the deployment is stored.

import { bpmnToModels } from '../bpmn.js';
import { CoreError } from '../core.js';
import { definitionDto } from '../dto.js';
import { jobDefinitionsOf } from '../job-definitions.js';
import { forgetDefinition } from './definitions.js';

/**
 * Deploys BPMN XML: each executable process becomes a definition, versioned per key and tenant,
 * with a Camunda-style id `<key>:<version>:<uuid>`. All processes compile or nothing is stored.
 * One resource of deployResources() (below), parsed as BPMN whatever its name.
 * → {id, name, source, deploymentTime, tenantId, deployedProcessDefinitions: {id: definition}}
 */
export async function deploy(engine, xml, { name = null, tenantId = null, source = null, resourceName = 'process.bpmn' } = {}) {
  const deployment = await engine.deployResources({ name, tenantId, source, resources: [{ name: resourceName, content: xml, bpmn: true }] });
  return { ...deployment, deployedProcessDefinitions: deployment.deployedProcessDefinitions ?? {} };
}

/**
 * Deploys resources as Camunda's DeploymentBuilder.deployWithResult does:
 *   {name, source, tenantId, resources: [{name, content: string | Uint8Array, bpmn?}],
 *    duplicateFiltering, deployChangedOnly, activationTime (epoch ms or null)}
 * Resources named *.bpmn / *.bpmn20.xml (or marked bpmn) hold processes; every other resource
 * is only stored. With duplicate filtering, the resources are compared with the latest ones of
 * the same names in deployments of the same name (and tenant, and source or none): nothing
 * changed → the latest such deployment comes back and nothing is deployed; deployChangedOnly
 * deploys only the changed resources. With an activationTime the definitions are deployed
 * suspended and become active once the clock reaches it (activateIfDue in definitions.js).
 * → {id, name, source, deploymentTime, tenantId, deployedProcessDefinitions: {id: definition} | null}
 *   (null when no definition was deployed, as for an existing deployment). A resource that
 *   does not parse throws a ParseException carrying its `resourceName`.
 */
export async function deployResources(engine, options = {}) {
  const { name = null, source = null, tenantId = null, activationTime = null } = options;
  const duplicateFiltering = !!(options.duplicateFiltering || options.deployChangedOnly);
  // one resource per name, the last one given winning (DeploymentBuilder keeps them in a map)
  const byName = new Map((options.resources ?? []).map((r) => [r.name, { name: r.name, bytes: resourceBytes(r.content), bpmn: !!r.bpmn }]));
  let resources = [...byName.values()];
  if (duplicateFiltering) {
    const previous = await latestResources(engine, { name, source, tenantId }, resources.map((r) => r.name));
    const changed = resources.filter((r) => !previous.has(r.name) || !sameBytes(previous.get(r.name).bytes, r.bytes));
    if (!changed.length) return existingDeployment(engine, resources.map((r) => previous.get(r.name).deploymentId));
    if (options.deployChangedOnly) resources = changed;
  }
  const deploymentId = engine._uuid();
  const definitions = await definitionsOf(engine, resources, { deploymentId, tenantId, activationTime });
  const deployment = {
    id: deploymentId,
    name,
    source,
    deploymentTime: engine.clock(),
    tenantId,
    resources: Object.fromEntries(resources.map((r) => [r.name, storedResource(r.bytes)])),
    resourceIds: Object.fromEntries(resources.map((r) => [r.name, engine._uuid()])),
  };
  await engine.store.putDeployment(deployment);
  for (const { row } of definitions) await engine.store.putDefinition(row);
  for (const { row, handle } of definitions) engine.handles.set(row.id, handle);
  return {
    ...deploymentDto(deployment),
    deployedProcessDefinitions: definitions.length ? Object.fromEntries(definitions.map(({ row }) => [row.id, definitionDto(row)])) : null,
  };
}

/** Deployments (DeploymentDto fields, deploymentTime in epoch ms) matching a store filter. */
export async function deployments(engine, filter = {}) {
  return (await engine.store.deployments(filter)).map(deploymentDto);
}

/** The deployment's resources as [{id, name, deploymentId}], in deployment order; null for an unknown deployment. */
export async function deploymentResources(engine, deploymentId) {
  const row = await engine.store.getDeployment(deploymentId);
  if (!row) return null;
  return Object.keys(row.resources ?? {}).map((name) => ({ id: resourceIdOf(row, name), name, deploymentId }));
}

/** One resource's bytes (a Buffer) by resource id, or null. */
export async function deploymentResourceData(engine, deploymentId, resourceId) {
  const row = await engine.store.getDeployment(deploymentId);
  const name = Object.keys(row?.resources ?? {}).find((n) => resourceIdOf(row, n) === resourceId);
  return name === undefined ? null : resourceBytes(row.resources[name]);
}

/** The BPMN XML a definition was deployed from (Camunda's getProcessModel). */
export async function processDefinitionXml(engine, definitionId) {
  const def = await engine.store.getDefinition(definitionId);
  const deployment = def && (await engine.store.getDeployment(def.deploymentId));
  const stored = deployment?.resources?.[def.resource];
  if (stored === undefined) throw new CoreError('NotFoundException', `No matching definition with id ${definitionId}`);
  return resourceBytes(stored).toString('utf8');
}

/**
 * Deletes a deployment and its definitions: {cascade, skipCustomListeners, skipIoMappings}.
 * Without cascade, running instances of its definitions refuse it (Camunda's ENGINE-03076); with
 * cascade they are deleted (reason "deleted deployment", as Camunda's DeploymentManager) and the
 * history of every instance of its definitions goes too. Each instance is its own transaction.
 */
export async function deleteDeployment(engine, id, { cascade = false, skipCustomListeners = false, skipIoMappings = false } = {}) {
  // Camunda's engine ignores an unknown id; its REST resource answers with this message (sic)
  if (!(await engine.store.getDeployment(id))) throw new CoreError('NotFoundException', `Deployment with id '${id}' do not exist`);
  const definitions = await engine.store.definitions({ deploymentId: id });
  const running = [];
  for (const d of definitions) running.push([d, await engine.store.instances({ processDefinitionId: d.id })]);
  if (!cascade) {
    const blocked = running.find(([, rows]) => rows.length);
    if (blocked) throw deletionWithInstances(blocked[0].id, blocked[1].length);
  } else {
    const command = { command: 'delete', deleteReason: 'deleted deployment', skipCustomListeners, skipIoMappings };
    for (const [, rows] of running) for (const row of rows) await engine._run(row, command);
    const ids = definitions.map((d) => d.id);
    const historic = await engine.store.history('processInstance', { processDefinitionId: { in: ids } });
    if (historic.length) await engine.store.deleteHistory(historic.map((r) => r.id));
  }
  for (const d of definitions) forgetDefinition(engine, d.id);
  await engine.store.deleteDeployment(id);
}

// --- definitions of a deployment --------------------------------------------------------------

/**
 * Parses and compiles the BPMN resources into definition rows ({row, handle}); all compile or
 * none is kept. Versions count per key and tenant; two processes with one key are refused.
 */
async function definitionsOf(engine, resources, { deploymentId, tenantId, activationTime }) {
  const out = [];
  const keys = new Set(); // the keys this deployment defines
  try {
    for (const resource of resources.filter((r) => r.bpmn || isBpmnResource(r.name))) {
      try {
        for (const m of (await parseBpmn(resource.bytes)).filter((x) => x.isExecutable)) {
          if (keys.has(m.key)) {
            throw new CoreError('ProcessEngineException', `The deployment contains definitions with the same key '${m.key}' (id attribute), this is not allowed`);
          }
          keys.add(m.key);
          const version = (await latestVersion(engine, m.key, tenantId)) + 1;
          out.push(compileDefinition(engine, m, { version, resource: resource.name, deploymentId, tenantId, activationTime }));
        }
      } catch (e) {
        if (e instanceof CoreError && e.type === 'ParseException') e.resourceName ??= resource.name; // for ParseExceptionDto.details
        throw e;
      }
    }
  } catch (e) {
    for (const { handle } of out) engine.core.release(handle);
    throw e;
  }
  return out;
}

/** One executable process as a definition row with a Camunda-style id `<key>:<version>:<uuid>`. */
function compileDefinition(engine, m, { version, resource, deploymentId, tenantId, activationTime }) {
  const uuid = engine._uuid();
  let id = `${m.key}:${version}:${uuid}`;
  if (id.length > 64) id = uuid; // Camunda's rule: ids longer than 64 characters fall back to the uuid
  const model = { definition: { id, key: m.key, name: m.name ?? null, version, tenantId }, process: m.process };
  const { handle } = engine.core.compile(model);
  const row = {
    id,
    key: m.key,
    category: null,
    description: null,
    name: m.name ?? null,
    version,
    resource,
    deploymentId,
    diagram: null,
    suspended: activationTime != null, // deployment-activation-time: suspended until then
    tenantId,
    versionTag: m.versionTag ?? null,
    historyTimeToLive: m.historyTimeToLive ?? null,
    startableInTasklist: m.startableInTasklist ?? true,
    model,
    jobDefinitions: jobDefinitionsOf(m.process, {
      processDefinitionId: id,
      processDefinitionKey: m.key,
      tenantId,
      deploymentId,
      uuid: () => engine._uuid(),
    }),
  };
  if (activationTime != null) row.activationTime = activationTime;
  return { row, handle };
}

async function latestVersion(engine, key, tenantId) {
  return (await engine.store.definitions({ key, tenantId })).reduce((v, d) => Math.max(v, d.version), 0);
}

/**
 * The latest resource of each name among the deployments duplicate filtering compares with
 * (Camunda's findLatestResourcesByDeploymentName): same name and tenant, and the same source or
 * none (only none when the new one has none). → Map(name → {bytes, deploymentId}).
 */
async function latestResources(engine, { name, source, tenantId }, names) {
  const latest = new Map();
  if (name == null) return latest; // SQL's NAME_ = null matches nothing
  const candidates = (await engine.store.deployments({ name, tenantId }))
    .filter((d) => d.source == null || (source != null && d.source === source))
    .sort((a, b) => a.deploymentTime - b.deploymentTime);
  for (const d of candidates) {
    for (const resourceName of names) {
      const stored = d.resources?.[resourceName];
      if (stored !== undefined) latest.set(resourceName, { bytes: resourceBytes(stored), deploymentId: d.id });
    }
  }
  return latest;
}

/** Duplicate filtering found nothing new: the latest deployment the resources come from, without definitions. */
async function existingDeployment(engine, deploymentIds) {
  const rows = [];
  for (const id of new Set(deploymentIds)) rows.push(await engine.store.getDeployment(id));
  const latest = rows.filter(Boolean).reduce((a, b) => (b.deploymentTime >= a.deploymentTime ? b : a));
  return { ...deploymentDto(latest), deployedProcessDefinitions: null };
}

// Camunda's EnginePersistenceLogger.deleteProcessDefinitionWithProcessInstancesException (sic).
function deletionWithInstances(definitionId, count) {
  return new CoreError(
    'ProcessEngineException',
    `ENGINE-03076 Deletion of process definition without cascading failed. Process definition with id: ${definitionId} ` +
      `can't be deleted, since there exists ${count} dependening process instances.`,
  );
}

// --- resources ---------------------------------------------------------------------------------

const BPMN_SUFFIXES = ['.bpmn', '.bpmn20.xml']; // Camunda's BpmnDeployer.BPMN_RESOURCE_SUFFIXES
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function isBpmnResource(name) {
  return typeof name === 'string' && BPMN_SUFFIXES.some((suffix) => name.endsWith(suffix));
}

/** A resource's content (text, bytes, or its stored form) as a Buffer. */
function resourceBytes(content) {
  if (typeof content === 'string') return Buffer.from(content, 'utf8');
  if (content && typeof content.base64 === 'string') return Buffer.from(content.base64, 'base64');
  return Buffer.from(content ?? []);
}

// Stored as text when it is UTF-8 (BPMN, forms, scripts: readable in the store), else as base64.
function storedResource(bytes) {
  try {
    return UTF8.decode(bytes);
  } catch {
    return { base64: bytes.toString('base64') };
  }
}

function sameBytes(a, b) {
  return a.length === b.length && a.equals(b);
}

// Deployments made before resources had ids get a stable one from the deployment and the name.
function resourceIdOf(deployment, name) {
  return deployment.resourceIds?.[name] ?? `${deployment.id}:${name}`;
}

async function parseBpmn(bytes) {
  try {
    return await bpmnToModels(bytes.toString('utf8'));
  } catch (e) {
    throw e instanceof CoreError ? e : new CoreError('ParseException', e.message);
  }
}

function deploymentDto(row) {
  return { id: row.id, name: row.name ?? null, source: row.source ?? null, deploymentTime: row.deploymentTime, tenantId: row.tenantId ?? null };
}
