// routes/deployment.js — deployments (rest-contract.md §7.1): POST /deployment/create (a
// multipart upload, read with busboy under the body limit), the deployment query and count, one
// deployment, its resources and their data, and DELETE /deployment/{id}.
//
// Messages and statuses are those of Camunda's DeploymentRestServiceImpl, DeploymentResourceImpl
// and DeploymentResourcesResourceImpl.

import busboy from 'busboy';

import { CoreError } from '../../core.js';
import { matches } from '../../store/memory.js';
import { formatDate, parseDate } from '../dates.js';
import { RestError, bodyTooLarge, invalidRequest } from '../errors.js';
import { page, queryFromSearch, sorting, sortRows, splitFilters, tenantConditions } from '../params.js';
import { reply } from '../router.js';
import { processDefinitionDto } from './process-definition.js';

// Form parts that are settings; every other part is a resource and must name its file.
const SETTINGS = ['deployment-name', 'deployment-activation-time', 'enable-duplicate-filtering', 'deploy-changed-only', 'deployment-source', 'tenant-id'];

const QUERY = {
  id: 'string',
  name: 'string',
  nameLike: 'string',
  source: 'string',
  withoutSource: 'boolean',
  tenantIdIn: 'stringList',
  withoutTenantId: 'boolean',
  includeDeploymentsWithoutTenantId: 'boolean',
  after: 'date',
  before: 'date',
};

const SORT_KEYS = { id: 'id', name: 'name', deploymentTime: 'deploymentTime', tenantId: 'tenantId' };

// DeploymentResourcesResourceImpl's media types by file extension (default application/octet-stream).
const MEDIA_TYPES = {
  bpmn: 'application/xml', cmmn: 'application/xml', dmn: 'application/xml', json: 'application/json', xml: 'application/xml',
  gif: 'image/gif', jpeg: 'image/jpeg', jpe: 'image/jpeg', jpg: 'image/jpeg', png: 'image/png', svg: 'image/svg+xml',
  tiff: 'image/tiff', tif: 'image/tiff', groovy: 'text/plain', java: 'text/plain', js: 'text/plain', php: 'text/plain',
  py: 'text/plain', rb: 'text/plain', html: 'text/html', txt: 'text/plain',
};

export function register(router) {
  router.post('/deployment/create', createDeployment);
  router.get('/deployment', async (ctx) => page(await findDeployments(ctx), ctx.search).map(deploymentDto));
  router.get('/deployment/count', async (ctx) => ({ count: (await findDeployments(ctx)).length }));
  router.get('/deployment/:id', async (ctx) => deploymentDto(await deploymentOr404(ctx, 'does not exist')));
  router.delete('/deployment/:id', deleteDeployment);
  router.get('/deployment/:id/resources', async (ctx) => resourcesOr404(ctx));
  router.get('/deployment/:id/resources/:resourceId', async (ctx) => resourceOr404(ctx, await resourcesOr404(ctx)));
  router.get('/deployment/:id/resources/:resourceId/data', resourceData);
}

// --- POST /deployment/create -----------------------------------------------------------------------

async function createDeployment(ctx) {
  if (!/^multipart\/form-data/i.test(ctx.req.headers['content-type'] ?? '')) {
    throw new RestError(415, 'HTTP 415 Unsupported Media Type', { type: 'NotSupportedException' });
  }
  const { settings, resources } = await readForm(ctx.req, ctx.bodyLimit);
  if (!resources.length) throw invalidRequest('No deployment resources contained in the form upload.');
  const options = {
    name: settings['deployment-name'] ?? null,
    source: settings['deployment-source'] ?? null,
    tenantId: settings['tenant-id'] ?? null,
    resources,
    activationTime: activationTime(settings['deployment-activation-time']),
    // deploy-changed-only implies duplicate filtering
    deployChangedOnly: isTrue(settings['deploy-changed-only']),
    duplicateFiltering: isTrue(settings['enable-duplicate-filtering']),
  };
  let deployment;
  try {
    deployment = await ctx.engine.deployResources(options);
  } catch (e) {
    if (e?.type === 'ParseException') return reply(400, parseExceptionBody(e));
    throw e;
  }
  return deploymentWithDefinitionsDto(deployment, ctx.baseUrl);
}

/**
 * Reads the multipart form: text settings by part name (the last part of a name wins, as in
 * Camunda's MultipartFormData) and resources [{name: the part's file name, content: bytes}].
 * The body limit holds for the whole stream: past it the upload is dropped with a 400.
 */
function readForm(req, limit) {
  return new Promise((resolve, reject) => {
    const settings = {};
    const parts = new Map(); // part name → {filename, chunks}
    let size = 0;
    let settled = false;
    let parser;
    if (Number(req.headers['content-length']) > limit) return fail(bodyTooLarge(limit));
    try {
      parser = busboy({ headers: req.headers, preservePath: true, limits: { fieldSize: limit, fileSize: limit } });
    } catch {
      return fail(invalidRequest('')); // no or a malformed boundary: the form cannot be read
    }
    function fail(error) {
      if (settled) return;
      settled = true;
      if (parser) req.unpipe(parser);
      req.resume(); // drain what is left, without keeping it
      reject(error);
    }
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) fail(bodyTooLarge(limit));
    });
    parser.on('field', (name, value) => {
      if (SETTINGS.includes(name)) settings[name] = value;
      else parts.set(name, { filename: undefined, chunks: [] });
    });
    parser.on('file', (name, stream, info) => {
      const part = { filename: info.filename, chunks: [] };
      parts.set(name, part);
      stream.on('data', (chunk) => part.chunks.push(chunk));
    });
    parser.on('error', () => fail(invalidRequest('')));
    parser.on('close', () => {
      if (settled) return;
      const resources = [];
      for (const [name, part] of parts) {
        const content = Buffer.concat(part.chunks);
        if (SETTINGS.includes(name)) settings[name] = content.toString('utf8');
        else if (part.filename === undefined) {
          // sic: Camunda prints the (missing) file name, not the parameter
          return fail(invalidRequest("No file name found in the deployment resource described by form parameter 'null'."));
        } else resources.push({ name: part.filename, content });
      }
      settled = true;
      resolve({ settings, resources });
    });
    req.pipe(parser);
  });
}

// Java's Boolean.parseBoolean
function isTrue(text) {
  return typeof text === 'string' && text.toLowerCase() === 'true';
}

// deployment-activation-time: empty means none; a date alone means its midnight (UTC).
function activationTime(text) {
  if (text == null || text === '') return null;
  const ms = parseDate(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00` : text);
  if (ms === null) throw invalidRequest(`Invalid format: "${text}"`);
  return ms;
}

/** ParseExceptionDto: the message, and the problem under the resource it was found in. */
function parseExceptionBody(e) {
  const position = /line: (\d+)\s+column: (\d+)/.exec(e.message);
  const element = /(?:with id|sequence flow|activity|[a-zA-Z]+(?:Task|Event|Gateway)) '([^']+)'/.exec(e.message);
  const problem = {
    message: e.message,
    line: position ? Number(position[1]) : 0,
    column: position ? Number(position[2]) : 0,
    mainElementId: element ? element[1] : null,
    elementIds: element ? [element[1]] : [],
  };
  return { type: 'ParseException', message: e.message, code: 0, details: { [e.resourceName ?? 'unknown']: { errors: [problem], warnings: [] } } };
}

function deploymentWithDefinitionsDto(deployment, baseUrl) {
  const definitions = deployment.deployedProcessDefinitions;
  return {
    ...deploymentDto(deployment),
    links: [{ method: 'GET', href: `${baseUrl}/deployment/${encodeURIComponent(deployment.id)}`, rel: 'self' }],
    deployedProcessDefinitions: definitions
      ? Object.fromEntries(Object.entries(definitions).map(([id, d]) => [id, processDefinitionDto(d)]))
      : null,
    deployedCaseDefinitions: null,
    deployedDecisionDefinitions: null,
    deployedDecisionRequirementsDefinitions: null,
  };
}

// --- queries -----------------------------------------------------------------------------------------

/** The deployments GET /deployment(/count) asks for, filtered and sorted (default: by id, as Camunda). */
async function findDeployments(ctx) {
  const q = queryFromSearch(ctx.search, QUERY);
  const order = sorting(ctx.search, SORT_KEYS); // checked for counts too: Java builds the whole query
  const [storeFilter, ...others] = splitFilters(deploymentConditions(q));
  const rows = (await ctx.engine.deployments(storeFilter)).filter((d) => others.every((f) => matches(d, f)));
  return sortRows(sortRows(rows, [{ value: (d) => d.id, descending: false }]), order);
}

/** The query as store conditions (memory.js matches()), one per filter. */
function deploymentConditions(q) {
  const c = [];
  if (q.id !== undefined) c.push({ id: q.id });
  if (q.name !== undefined) c.push({ name: q.name });
  if (q.nameLike !== undefined) c.push({ name: { like: q.nameLike } });
  if (q.source !== undefined) c.push({ source: q.source });
  if (q.withoutSource) c.push({ source: null });
  if (q.after !== undefined) c.push({ deploymentTime: { gt: q.after } });
  if (q.before !== undefined) c.push({ deploymentTime: { lt: q.before } });
  c.push(...tenantConditions(q.tenantIdIn, q.withoutTenantId, q.includeDeploymentsWithoutTenantId));
  return c;
}

async function deploymentOr404(ctx, phrase) {
  const [row] = await ctx.engine.deployments({ id: ctx.params.id });
  if (!row) throw new RestError(404, `Deployment with id '${ctx.params.id}' ${phrase}`);
  return row;
}

function deploymentDto(d) {
  return { links: [], id: d.id, name: d.name ?? null, source: d.source ?? null, deploymentTime: formatDate(d.deploymentTime), tenantId: d.tenantId ?? null };
}

// --- DELETE /deployment/{id} -----------------------------------------------------------------------

async function deleteDeployment(ctx) {
  await deploymentOr404(ctx, 'do not exist'); // sic
  // only the exact string "true" counts, as Camunda's isQueryPropertyEnabled
  const flag = (name) => ctx.search.get(name) === 'true';
  await ctx.engine.deleteDeployment(ctx.params.id, {
    cascade: flag('cascade'),
    skipCustomListeners: flag('skipCustomListeners'),
    skipIoMappings: flag('skipIoMappings'),
  });
}

// --- resources ---------------------------------------------------------------------------------------

async function resourcesOr404(ctx) {
  const resources = await ctx.engine.deploymentResources(ctx.params.id);
  if (!resources?.length) throw new RestError(404, `Deployment resources for deployment id '${ctx.params.id}' do not exist.`);
  return resources;
}

function resourceOr404(ctx, resources) {
  const resource = resources.find((r) => r.id === ctx.params.resourceId);
  if (!resource) {
    throw new RestError(404, `Deployment resource with resource id '${ctx.params.resourceId}' for deployment id '${ctx.params.id}' does not exist.`);
  }
  return resource;
}

async function resourceData(ctx) {
  const { id, resourceId } = ctx.params;
  const bytes = await ctx.engine.deploymentResourceData(id, resourceId);
  if (!bytes) {
    // Java: GetDeploymentResourceForIdCmd's plain ensureNotNull (a NullValueException, so a 500)
    // fires before the resource's own 404 could
    throw new CoreError('NullValueException', `no resource found with id '${resourceId}' in deployment '${id}': resource is null`);
  }
  const { name } = resourceOr404(ctx, await resourcesOr404(ctx));
  const filename = name.replace(/\\/g, '/').split('/').pop() || 'data';
  const extension = name.split('.').pop();
  return reply(200, bytes, {
    'content-type': MEDIA_TYPES[extension] ?? 'application/octet-stream',
    'content-disposition': `attachment; filename=${filename}`,
  });
}
