// diagram.js — the BPMN diagram (bpmn-js's NavigatedViewer) with Detour's overlays: a count badge
// per activity (current instances, or before→after once simulated: green added, red removed) and
// the click menu that turns an element into instructions. A model without diagram information
// (no BPMNDI) gets a plain list of its activities and flows, with the same badges and menu.
//
// The diagram knows nothing of plans: what a click offers comes from `actionsFor`, what a choice
// does from `onAction` (main.js).

import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';

import { el } from './dom.js';

export class Diagram {
  /**
   * actionsFor(kind: 'node' | 'flow', id) → [{label, testid, instruction}]; onAction(instruction).
   * A flow's single action runs on click; a node's actions open the menu.
   */
  constructor(container, { actionsFor, onAction }) {
    this.container = container;
    this.actionsFor = actionsFor;
    this.onAction = onAction;
    this.viewer = null;
    this.model = null;
    this.list = null; // the fallback list, when the model has no diagram
    this.badges = {}; // id → {text, cls, title}
  }

  /** Shows the model's diagram → true, or the fallback list → false (no BPMNDI in the XML). */
  async show(xml, model) {
    this.model = model;
    this.badges = {};
    this.container.replaceChildren();
    this.viewer?.destroy();
    this.viewer = null;
    this.list = null;
    if (!/BPMNDiagram\b/.test(xml)) {
      this.list = this.renderList();
      return false;
    }
    const host = el('div', { class: 'canvas' });
    this.container.append(host);
    this.viewer = new NavigatedViewer({ container: host });
    await this.viewer.importXML(xml);
    this.viewer.get('canvas').zoom('fit-viewport', 'auto');
    this.viewer.get('eventBus').on('element.click', (e) => this.clicked(e.element));
    return true;
  }

  /** Current counts: {id: {instances, transitions}}. */
  showCounts(counts) {
    this.badges = {};
    for (const [id, c] of Object.entries(counts)) {
      const n = c.instances + c.transitions;
      if (n) this.badges[id] = { text: String(n), cls: 'count', title: `${c.instances} activity instance(s), ${c.transitions} transition instance(s)` };
    }
    this.renderBadges();
  }

  /** A simulation's or an outcome's changes: {id: {before, after, delta}}. */
  showChanges(changes) {
    this.badges = {};
    for (const [id, c] of Object.entries(changes)) {
      const cls = c.delta > 0 ? 'count added' : c.delta < 0 ? 'count removed' : 'count';
      this.badges[id] = { text: c.delta ? `${c.before}→${c.after}` : String(c.after), cls, title: `before ${c.before}, after ${c.after}` };
    }
    this.renderBadges();
  }

  renderBadges() {
    this.closeMenu();
    if (this.list) {
      for (const badge of this.list.querySelectorAll('[data-badge]')) {
        const b = this.badges[badge.dataset.badge];
        badge.replaceChildren(...(b ? [badgeNode(badge.dataset.badge, b)] : []));
      }
      return;
    }
    if (!this.viewer) return;
    const overlays = this.viewer.get('overlays');
    const canvas = this.viewer.get('canvas');
    const registry = this.viewer.get('elementRegistry');
    overlays.remove({ type: 'detour-count' });
    for (const shape of registry.getAll()) for (const m of ['detour-added', 'detour-removed']) canvas.removeMarker(shape, m);
    for (const [id, b] of Object.entries(this.badges)) {
      if (!registry.get(id)) continue; // e.g. an activity of another version
      overlays.add(id, 'detour-count', { position: { bottom: 12, left: -10 }, html: badgeNode(id, b) });
      if (b.cls.includes('added')) canvas.addMarker(id, 'detour-added');
      if (b.cls.includes('removed')) canvas.addMarker(id, 'detour-removed');
    }
  }

  // A click on the diagram: a flow node opens its menu, a sequence flow runs its action.
  clicked(element) {
    const target = element.labelTarget ?? element;
    const id = target.businessObject?.id ?? target.id;
    this.closeMenu();
    if (this.model?.flows.has(id)) this.act(this.actionsFor('flow', id));
    else if (this.model?.nodes.has(id)) this.openMenu(id);
  }

  act(actions) {
    if (actions.length === 1) this.onAction(actions[0].instruction);
  }

  openMenu(id) {
    const actions = this.actionsFor('node', id);
    if (!actions.length) return;
    const menu = el('div', { class: 'menu', 'data-testid': 'element-menu', 'data-element': id });
    menu.append(el('div', { class: 'menu-title' }, this.model.nodes.get(id).name ?? id));
    for (const a of actions) {
      const button = el('button', { type: 'button', 'data-testid': a.testid }, a.label);
      button.addEventListener('click', (e) => {
        e.stopPropagation();
        this.closeMenu();
        this.onAction(a.instruction);
      });
      menu.append(button);
    }
    menu.addEventListener('mousedown', (e) => e.stopPropagation()); // not a canvas drag
    if (this.list) {
      this.list.querySelector(`[data-node="${CSS.escape(id)}"]`)?.after(menu);
    } else {
      this.viewer.get('overlays').add(id, 'detour-menu', { position: { top: 0, right: -6 }, html: menu });
    }
  }

  closeMenu() {
    if (this.list) this.list.querySelectorAll('.menu').forEach((m) => m.remove());
    else this.viewer?.get('overlays').remove({ type: 'detour-menu' });
  }

  // No BPMNDI: the activities and flows as a list, clickable as the diagram would be.
  renderList() {
    const list = el('div', { class: 'element-list', 'data-testid': 'element-list' });
    list.append(el('p', { class: 'hint' }, 'This BPMN has no diagram (BPMNDI): its activities and sequence flows are listed instead.'));
    const ul = el('ul');
    for (const n of this.model.nodes.values()) {
      const button = el('button', { type: 'button', 'data-element-id': n.id }, `${n.name ?? n.id} `, el('small', {}, `${n.type} · ${n.id}`));
      button.addEventListener('click', () => {
        this.closeMenu();
        this.openMenu(n.id);
      });
      ul.append(el('li', { 'data-node': n.id }, button, el('span', { 'data-badge': n.id })));
    }
    for (const f of this.model.flows.values()) {
      const button = el('button', { type: 'button', 'data-element-id': f.id, class: 'flow' }, `${f.sourceRef} → ${f.targetRef} `, el('small', {}, `sequence flow · ${f.id}`));
      button.addEventListener('click', () => {
        this.closeMenu();
        this.act(this.actionsFor('flow', f.id));
      });
      ul.append(el('li', {}, button));
    }
    list.append(ul);
    this.container.append(list);
    return list;
  }
}

function badgeNode(id, b) {
  return el('div', { class: b.cls, title: b.title, 'data-testid': `count-${id}` }, b.text);
}

