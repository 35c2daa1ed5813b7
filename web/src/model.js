// model.js — BPMN XML → the core's compiled model, as the service compiles a deployed definition
// (js/engine/deployments.js): the process part from js/bpmn.js, the definition part from the
// definition the instances belong to. The core compares the two when it runs a command, so the
// definition id must be the instances' own.

import { bpmnToModels } from '../../js/bpmn.js';

/**
 * Compiles the process `definition.key` of `xml` (the first executable one when the key is null)
 * → {handle, definition, process, nodes: Map(id → {id, name, type}), flows: Map(id → {id, name,
 * sourceRef, targetRef})}. Throws the core's CoreError (e.g. ParseException) or bpmn.js's parse error.
 * `previous`, a model this one replaces, is released first.
 */
export async function compileModel(core, xml, definition, previous = null) {
  const models = await bpmnToModels(xml);
  const m = definition.key != null ? models.find((x) => x.key === definition.key) : models.find((x) => x.isExecutable);
  if (!m) throw new Error(definition.key != null ? `the BPMN has no process '${definition.key}'` : 'the BPMN has no executable process');
  const doc = {
    definition: {
      id: definition.id ?? `${m.key}:local`,
      key: m.key,
      name: definition.name ?? m.name ?? null,
      version: definition.version ?? 1,
      tenantId: definition.tenantId ?? null,
    },
    process: m.process,
  };
  if (previous) core.release(previous.handle);
  const { handle } = core.compile(doc);
  const nodes = new Map();
  const flows = new Map();
  (function walk(scope) {
    for (const e of scope.elements ?? []) {
      nodes.set(e.id, { id: e.id, name: e.name ?? null, type: e.type });
      walk(e);
    }
    for (const f of scope.flows ?? []) flows.set(f.id, { id: f.id, name: f.name ?? null, sourceRef: f.sourceRef, targetRef: f.targetRef });
  })(m.process);
  return { handle, definition: doc.definition, process: m.process, nodes, flows };
}

/** The activity instance tree of a state document on a compiled model (null for none). */
export function treeOf(core, model, state) {
  if (!state || state.ended) return null;
  return core.execute(model.handle, { command: 'activityInstances', state }).result;
}
