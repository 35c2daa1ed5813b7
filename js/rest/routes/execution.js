// routes/execution.js — /execution (rest-contract.md: not in the subset): for now only an
// execution's own variables, GET/POST /execution/{id}/localVariables and GET/PUT/DELETE
// …/localVariables/{varName}, served by the same code as a process instance's variables.
import { registerVariables } from './process-instance-variables.js';

export function register(router) {
  registerVariables(router, '/execution/:id/localVariables', { typeName: 'execution', local: true });
}
