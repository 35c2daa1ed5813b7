// plan.js — the plan being built: its instructions in Camunda's REST form (what the apply request
// sends, ProcessInstanceModificationInstructionDto), shown twice — as a list (each with a remove
// button) and as editable JSON — and the flags of the request. The JSON is the source of truth
// while it is being typed: the list follows it whenever it parses to an array.

import { el } from './dom.js';

export class PlanEditor {
  /** list: the <ol>, json: the <textarea>, error: where a JSON mistake is shown; onChange() after any change. */
  constructor({ list, json, error }, onChange) {
    Object.assign(this, { listNode: list, jsonNode: json, errorNode: error, onChange });
    this.instructions = [];
    json.addEventListener('input', () => this.readJson());
    this.render();
  }

  add(instruction) {
    this.instructions.push(instruction);
    this.render();
    this.onChange();
  }

  remove(index) {
    this.instructions.splice(index, 1);
    this.render();
    this.onChange();
  }

  clear() {
    this.instructions = [];
    this.render();
    this.onChange();
  }

  /** Whether the JSON text is a list the plan can use (else the error is shown). */
  get valid() {
    return !this.errorNode.textContent;
  }

  readJson() {
    let parsed;
    try {
      parsed = JSON.parse(this.jsonNode.value || '[]');
    } catch (e) {
      this.errorNode.textContent = `Not JSON: ${e.message}`;
      this.onChange();
      return;
    }
    if (!Array.isArray(parsed)) {
      this.errorNode.textContent = 'The instructions are a JSON array.';
      this.onChange();
      return;
    }
    this.errorNode.textContent = '';
    this.instructions = parsed;
    this.renderList();
    this.onChange();
  }

  render() {
    this.jsonNode.value = JSON.stringify(this.instructions, null, 2);
    this.errorNode.textContent = '';
    this.renderList();
  }

  renderList() {
    this.listNode.replaceChildren(
      ...this.instructions.map((i, index) => {
        const remove = el('button', { type: 'button', class: 'link', 'data-testid': 'instruction-remove', title: 'remove' }, '×');
        remove.addEventListener('click', () => this.remove(index));
        return el('li', { 'data-testid': 'instruction' }, describe(i), remove);
      }),
    );
    if (!this.instructions.length) this.listNode.append(el('li', { class: 'hint' }, 'No instructions yet.'));
  }
}

/** One instruction in words, e.g. "start before Review (review)". */
export function describe(i) {
  if (!i || typeof i !== 'object') return JSON.stringify(i);
  const target = i.activityId ?? i.transitionId ?? i.activityInstanceId ?? i.transitionInstanceId ?? '?';
  const words = { cancel: 'cancel', startBeforeActivity: 'start before', startAfterActivity: 'start after', startTransition: 'start transition' }[i.type] ?? String(i.type);
  const variables = i.variables && Object.keys(i.variables).length ? ` with ${Object.keys(i.variables).join(', ')}` : '';
  return `${words} ${target}${variables}`;
}
