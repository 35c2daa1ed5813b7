// rest/openapi.js — checks response bodies against the schemas of Camunda's OpenAPI document
// (docs/camunda-openapi.json) with a JSON-schema validator (Ajv). Every REST test file
// passes its responses through checkResponse(), so each endpoint is validated where it is tested;
// an error status Java answers with and the document does not list (rest-contract.md §9.2) goes
// through checkJavaOnly() instead, marked at the call.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import Ajv from 'ajv';
import addFormats from 'ajv-formats';

import { root } from '../support.js';

// docs/camunda-openapi.json: Camunda's OpenAPI document (7.24.0-SNAPSHOT, rendered from its
// templates), a copy of the team's spec in ../shared/spec, so a fresh clone tests against it too.
const spec = JSON.parse(readFileSync(join(root, 'docs', 'camunda-openapi.json'), 'utf8'));

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
addFormats(ajv);
// Camunda writes "+0000" offsets (no colon); RFC 3339's date-time wants "+00:00". Accept both.
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})$/);
// The Java REST layer writes "code": null for exceptions it raises itself (rest-contract.md §2);
// the document types it as a plain integer.
spec.components.schemas.ExceptionDto.properties.code.nullable = true;
// HistoricDetailDto types `value` / `fieldValue` as objects; Jackson writes the variable's value as
// it is (a number, a string, ...), as VariableValueDto's AnyValue says.
for (const field of ['value', 'fieldValue']) spec.components.schemas.HistoricDetailDto.properties[field] = { $ref: '#/components/schemas/AnyValue' };
allowNulls(spec.components.schemas);
ajv.addSchema(spec, 'openapi');

const validators = new Map();

// Jackson writes every null field (rest-contract.md §1.2), where the document does not always say
// so in a way a JSON-schema validator reads: a nullable enum lacks null among its values (e.g.
// TaskDto.delegationState), and an object field given by $ref cannot be nullable (TaskDto.camundaFormRef).
function allowNulls(schemas) {
  for (const schema of Object.values(schemas)) {
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      if (property.nullable && Array.isArray(property.enum) && !property.enum.includes(null)) property.enum.push(null);
      if (property.$ref) schema.properties[name] = { anyOf: [{ $ref: property.$ref }, { type: 'null' }] };
    }
  }
}

function pointer(...parts) {
  return parts.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

function operation(method, pathTemplate) {
  const op = spec.paths[pathTemplate]?.[method.toLowerCase()];
  assert.ok(op, `the OpenAPI document has no operation ${method} ${pathTemplate}`);
  return op;
}

/** The validator for a response of `method pathTemplate` with `status`, or null when the document has no JSON schema for it. */
function responseValidator(method, pathTemplate, status) {
  const key = `${method} ${pathTemplate} ${status}`;
  if (validators.has(key)) return validators.get(key);
  const op = operation(method, pathTemplate);
  const response = op.responses?.[String(status)];
  assert.ok(response, `the OpenAPI document has no ${status} response for ${method} ${pathTemplate}`);
  const schema = response.content?.['application/json']?.schema;
  const validate = schema
    ? ajv.compile({ $ref: `openapi#/${pointer('paths', pathTemplate, method.toLowerCase(), 'responses', String(status), 'content', 'application/json', 'schema')}` })
    : null;
  validators.set(key, validate);
  return validate;
}

/**
 * Asserts that `response` ({status, body}) is one the OpenAPI document describes for
 * `method pathTemplate` (e.g. 'GET', '/process-instance/{id}'): a documented status and, when
 * it has a JSON schema, a body that validates. With {javaOnly: true} it is checkJavaOnly()
 * instead, for helpers that send both kinds of request. Returns the response for chaining.
 */
export function checkResponse(method, pathTemplate, response, { javaOnly = false } = {}) {
  if (javaOnly) return checkJavaOnly(method, pathTemplate, response);
  const validate = responseValidator(method, pathTemplate, response.status);
  if (validate && !validate(response.body)) {
    assert.fail(`${method} ${pathTemplate} → ${response.status}: body does not match the OpenAPI schema:\n` +
      `${ajv.errorsText(validate.errors, { separator: '\n' })}\nbody: ${JSON.stringify(response.body).slice(0, 2000)}`);
  }
  return response;
}

let exceptionValidator;

/**
 * Asserts that `response` is an error answer the OpenAPI document does not list for
 * `method pathTemplate` — one Java gives where the document says otherwise (a 404 where it lists
 * 400, an engine failure's 500; rest-contract.md §9.2) — with an ExceptionDto body. A status the
 * document lists fails the check: that answer has a schema of its own, for checkResponse().
 * Returns the response for chaining.
 */
export function checkJavaOnly(method, pathTemplate, response) {
  const where = `${method} ${pathTemplate} → ${response.status}`;
  const documented = operation(method, pathTemplate).responses?.[String(response.status)];
  assert.ok(!documented, `${where}: the OpenAPI document lists this status: check it with checkResponse`);
  assert.ok(response.status >= 400, `${where}: not an error status`);
  exceptionValidator ??= ajv.compile({ $ref: 'openapi#/components/schemas/ExceptionDto' });
  if (!exceptionValidator(response.body)) {
    assert.fail(`${where}: body is not an ExceptionDto:\n${ajv.errorsText(exceptionValidator.errors, { separator: '\n' })}\n` +
      `body: ${JSON.stringify(response.body)?.slice(0, 2000)}`);
  }
  return response;
}
