// service.js — the page's client of a Detour service: Camunda 7 REST under its base URL plus
// Detour's /detour/ routes (docs/dry-run.md). Every method is one request (or a few for a list);
// a non-2xx answer throws a ServiceError carrying Camunda's {type, message}.

/** A refusal by the service: status, and the body's type and message. */
export class ServiceError extends Error {
  constructor(status, type, message) {
    super(message || `HTTP ${status}`);
    this.name = 'ServiceError';
    this.status = status;
    this.type = type ?? null;
  }
}

export class Service {
  /** base: the REST base URL, e.g. http://localhost:8080/engine-rest */
  constructor(base) {
    this.base = String(base).replace(/\/+$/, '');
  }

  async request(method, path, body) {
    const init = { method, headers: { accept: 'application/json' } };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers['content-type'] = 'application/json';
    }
    let res;
    try {
      res = await fetch(this.base + path, init);
    } catch (e) {
      throw new ServiceError(0, null, `cannot reach ${this.base}: ${e.message}`);
    }
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: kept as the message below
    }
    if (!res.ok) throw new ServiceError(res.status, json?.type, json?.message ?? text);
    return json;
  }

  get(path, query) {
    const search = query ? `?${new URLSearchParams(Object.entries(query).filter(([, v]) => v != null))}` : '';
    return this.request('GET', path + search);
  }

  post(path, body) {
    return this.request('POST', path, body);
  }

  /** The engine is there: GET /engine → [{name}]. */
  engines() {
    return this.get('/engine');
  }

  /** Every process definition, by key then newest version first. */
  async definitions() {
    const list = await this.get('/process-definition');
    return list.sort((a, b) => a.key.localeCompare(b.key) || b.version - a.version);
  }

  async xml(definitionId) {
    return (await this.get(`/process-definition/${encodeURIComponent(definitionId)}/xml`)).bpmn20Xml;
  }

  /** Running instances of a definition; `query` (a ProcessInstanceQueryDto) narrows them. */
  instances(definitionId, query = null) {
    if (query) return this.post('/process-instance', { ...query, processDefinitionId: definitionId });
    return this.get('/process-instance', { processDefinitionId: definitionId });
  }

  /** Finished instances of a definition (what a restart takes); `query` a HistoricProcessInstanceQueryDto. */
  historicInstances(definitionId, query = null) {
    if (query) return this.post('/history/process-instance', { ...query, processDefinitionId: definitionId, finished: true });
    return this.get('/history/process-instance', { processDefinitionId: definitionId, finished: true });
  }

  /** The export document of an instance, running or historic. */
  exportState(id) {
    return this.get(`/detour/process-instance/${encodeURIComponent(id)}/state`);
  }

  /** Export documents of several instances, a few requests at a time, in the order of `ids`. */
  async exportStates(ids, parallel = 6) {
    const out = new Array(ids.length);
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const i = next++;
        out[i] = await this.exportState(ids[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, ids.length) }, worker));
    return out;
  }

  /**
   * Applies a plan as the simulation read it (simulate.js `use`): 'single', 'multi' or 'restart',
   * sync (→ null) or async (→ the BatchDto).
   */
  apply({ use, definitionId, ids, plan, async }) {
    const flags = { skipCustomListeners: !!plan.skipCustomListeners, skipIoMappings: !!plan.skipIoMappings };
    if (use === 'single') {
      return this.post(`/process-instance/${encodeURIComponent(ids[0])}/${async ? 'modification-async' : 'modification'}`, { instructions: plan.instructions, ...flags });
    }
    if (use === 'multi') {
      return this.post(`/modification/${async ? 'executeAsync' : 'execute'}`, { processDefinitionId: definitionId, processInstanceIds: ids, instructions: plan.instructions, ...flags });
    }
    return this.post(`/process-definition/${encodeURIComponent(definitionId)}/${async ? 'restart-async' : 'restart'}`, {
      processInstanceIds: ids,
      instructions: plan.instructions,
      initialVariables: !!plan.initialVariables,
      withoutBusinessKey: !!plan.withoutBusinessKey,
      ...flags,
    });
  }

  /** A batch's statistics, or null once it is gone (completed, or deleted). */
  async batchStatistics(batchId) {
    return (await this.get('/batch/statistics', { batchId }))[0] ?? null;
  }

  historicBatch(batchId) {
    return this.get(`/history/batch/${encodeURIComponent(batchId)}`);
  }

  /** Each instance of a running batch: [{processInstanceId, state, errorMessage}]. */
  batchInstances(batchId) {
    return this.get(`/detour/batch/${encodeURIComponent(batchId)}/instances`);
  }

  /** The instances a restart created from `historicIds` (historic rows, running or ended). */
  async restartedFrom(definitionId, historicIds) {
    const wanted = new Set(historicIds);
    const rows = await this.get('/history/process-instance', { processDefinitionId: definitionId });
    return rows.filter((r) => wanted.has(r.restartedProcessInstanceId));
  }
}
