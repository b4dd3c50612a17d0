// The designer page's bundle. Built by the web project's build (see the csproj, target BundleDesigner):
//   esbuild Frontend/designer.js --bundle --minify --format=iife --outdir=wwwroot/lib/designer --loader:.woff=dataurl …
// Output goes to wwwroot/lib/designer (git-ignored). The page (Features/Designer/Index.cshtml) passes its settings as
// JSON in #designer-config and reads results from window.woDesigner (the browser tests do too).
import Modeler from 'bpmn-js/lib/Modeler';
import {
  BpmnPropertiesPanelModule,
  BpmnPropertiesProviderModule,
  ZeebePropertiesProviderModule
} from 'bpmn-js-properties-panel';
import {
  CloudElementTemplatesPropertiesProviderModule,
  CloudElementTemplatesLinterPlugin
} from 'bpmn-js-element-templates';
import ZeebeBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-cloud';
import zeebeModdle from 'zeebe-bpmn-moddle/resources/zeebe.json';
import { Linter } from '@camunda/linting';
import LintingModule from '@camunda/linting/modeler';
import zhPalette from 'bpmn-js-i18n/translations/zn';

import { zhDesigner } from './designer-zh.js';
import { createLintPlugin } from './designer-lint.js';

import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import 'bpmn-js-element-templates/dist/assets/element-templates.css';
import '@camunda/linting/assets/linting.css';
import './designer.css';

const config = JSON.parse(document.getElementById('designer-config').textContent);
const text = config.text;
const chinese = config.culture.toLowerCase().startsWith('zh');

// Strings the modeler asked for that the zh-CN dictionary lacks; the browser test and a developer can read them.
const untranslated = new Set();
// Texts of our element templates (workflows/templates/*.json) are written in both languages there; not counted as missing.
const templateTexts = new Set();
const dictionary = chinese ? { ...zhPalette, ...zhDesigner } : {};

function translate(template, replacements) {
  let result = template;
  if (chinese) {
    if (Object.prototype.hasOwnProperty.call(dictionary, template)) {
      result = dictionary[template];
    } else if (!templateTexts.has(template)) {
      untranslated.add(template);
    }
  }
  const values = replacements || {};
  return result.replace(/{([^}]+)}/g, (whole, key) => (key in values ? values[key] : whole));
}

const TranslateModule = { translate: [ 'value', translate ] };

const state = {
  ready: false,
  importWarnings: [],
  lintReports: [],
  serverProblems: [],
  deployed: null,
  untranslated: () => [ ...untranslated ].sort()
};
window.woDesigner = state;

const $ = (selector) => document.querySelector(selector);

async function api(method, url, body) {
  const response = await fetch(url, {
    method,
    headers: {
      'Accept': 'application/json',
      'Content-Type': 'application/json',
      'RequestVerificationToken': config.antiforgery
    },
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  let json = null;
  try {
    json = await response.json();
  } catch {
    json = null;
  }
  return { status: response.status, ok: response.ok, json };
}

async function main() {
  const templatesAnswer = await api('GET', config.urls.templates);
  const templates = templatesAnswer.ok ? templatesAnswer.json : [];
  collectTexts(templates, templateTexts);

  const modeler = new Modeler({
    container: '#designer-canvas',
    keyboard: { bindTo: document },
    propertiesPanel: { parent: '#designer-properties' },
    elementTemplates: templates,
    linting: { active: true },
    additionalModules: [
      TranslateModule,
      BpmnPropertiesPanelModule,
      BpmnPropertiesProviderModule,
      ZeebePropertiesProviderModule,
      ZeebeBehaviorsModule,
      CloudElementTemplatesPropertiesProviderModule,
      LintingModule
    ],
    moddleExtensions: { zeebe: zeebeModdle }
  });
  state.modeler = modeler;

  const linter = new Linter({
    modeler: 'desktop',
    type: 'cloud',
    plugins: [ CloudElementTemplatesLinterPlugin(templates), createLintPlugin(translate) ]
  });

  const source = await api('GET', config.urls.source);
  if (!source.ok) {
    showStatus(problemText(source), 'danger');
    return;
  }

  const result = await modeler.importXML(source.json.xml);
  state.importWarnings = result.warnings.map((w) => w.message);
  modeler.get('canvas').zoom('fit-viewport', 'auto');
  state.latestVersion = source.json.latestVersion;
  setDraft(Boolean(source.json.draft));

  let lintTimer = null;
  async function lint() {
    const definitions = modeler.getDefinitions();
    const reports = await linter.lint(definitions);
    state.lintReports = reports;
    modeler.get('linting').setErrors(reports);
    renderLint(modeler, reports);
  }

  modeler.on('commandStack.changed', () => {
    setDirty(true);
    clearServerProblems(modeler);
    clearTimeout(lintTimer);
    lintTimer = setTimeout(lint, 300);
  });
  await lint();
  state.lint = lint;

  const discardDialog = $('[data-testid=discard-dialog]');
  discardDialog.addEventListener('close', () => {
    if (discardDialog.returnValue === 'discard') {
      discard(modeler);
    }
  });
  $('[data-action=discard]').addEventListener('click', () => askDiscard(discardDialog));
  $('[data-action=save]').addEventListener('click', () => save(modeler));
  $('[data-action=validate]').addEventListener('click', () => validate(modeler));
  $('[data-action=deploy]').addEventListener('click', () => deploy(modeler));
  window.addEventListener('beforeunload', (event) => {
    if (state.dirty) {
      event.preventDefault();
    }
  });

  state.ready = true;
  document.body.dataset.designerReady = 'true';
}

function collectTexts(value, into) {
  if (typeof value === 'string') {
    into.add(value);
  } else if (value && typeof value === 'object') {
    Object.values(value).forEach((item) => collectTexts(item, into));
  }
}

function setDirty(dirty) {
  state.dirty = dirty;
  $('[data-testid=designer-dirty]').hidden = !dirty;
}

// "Discard draft" is offered only while a saved draft exists on the server.
function setDraft(exists) {
  state.hasDraft = exists;
  $('[data-action=discard]').disabled = !exists;
  if (!exists) {
    const basedOn = $('[data-testid=designer-based-on]');
    if (basedOn) {
      basedOn.hidden = true;
    }
  }
}

async function currentXml(modeler) {
  const { xml } = await modeler.saveXML({ format: true });
  return xml;
}

async function save(modeler) {
  const answer = await api('PUT', config.urls.draft, { xml: await currentXml(modeler) });
  if (answer.ok) {
    setDirty(false);
    setDraft(true);
    $('[data-testid=draft-status]').textContent = answer.json.status;
    showStatus(text.saved, 'success');
  } else {
    showStatus(problemText(answer), 'danger');
  }
}

async function validate(modeler) {
  const answer = await api('POST', config.urls.validate, { xml: await currentXml(modeler) });
  if (!answer.ok) {
    showStatus(problemText(answer), 'danger');
    return;
  }
  showServerProblems(modeler, answer.json.problems);
  const errors = answer.json.problems.filter((p) => p.severity === 'error').length;
  showStatus(errors === 0 ? text.valid : text.invalid.replace('{0}', errors), errors === 0 ? 'success' : 'danger');
}

async function deploy(modeler) {
  const question = text.confirmDeploy.replace('{0}', String(config.nextVersion));
  if (!window.confirm(question)) {
    return;
  }
  const answer = await api('POST', config.urls.deploy, { xml: await currentXml(modeler) });
  if (answer.status === 422 && answer.json && answer.json.problems) {
    showServerProblems(modeler, answer.json.problems);
    showStatus(text.deployRefused.replace('{0}', answer.json.problems.filter((p) => p.severity === 'error').length), 'danger');
    return;
  }
  if (!answer.ok) {
    showStatus(problemText(answer), 'danger');
    return;
  }
  state.deployed = answer.json;
  state.latestVersion = answer.json.version;
  setDirty(false);
  setDraft(false);
  clearServerProblems(modeler);
  showStatus(answer.json.message, 'success');
  $('[data-testid=designer-version]').textContent = answer.json.versionText;
  $('[data-testid=draft-status]').textContent = answer.json.draftText;
  config.nextVersion = answer.json.version + 1;
}

function askDiscard(dialog) {
  $('[data-testid=discard-draft]').textContent = $('[data-testid=draft-status]').textContent;
  $('[data-testid=discard-what]').textContent = state.latestVersion
    ? text.discardWhat.replace('{0}', String(state.latestVersion))
    : text.discardWhatNew;
  dialog.returnValue = '';
  dialog.showModal();
}

// Deletes the draft, then shows what is deployed now (a draft of a never-deployed procedure leaves nothing to show).
async function discard(modeler) {
  const answer = await api('DELETE', config.urls.draft);
  // 404: the draft is gone already (deployed or discarded in another window); show the deployed version all the same.
  if (!answer.ok && answer.status !== 404) {
    showStatus(problemText(answer), 'danger');
    return;
  }
  const source = await api('GET', config.urls.source);
  if (source.status === 404) {
    setDirty(false);
    window.location.assign('/procedures');
    return;
  }
  if (!source.ok) {
    showStatus(problemText(source), 'danger');
    return;
  }
  clearServerProblems(modeler);
  const result = await modeler.importXML(source.json.xml);
  state.importWarnings = result.warnings.map((w) => w.message);
  modeler.get('canvas').zoom('fit-viewport', 'auto');
  setDirty(false);
  setDraft(Boolean(source.json.draft));
  state.latestVersion = source.json.latestVersion;
  config.nextVersion = (source.json.latestVersion || 0) + 1;
  $('[data-testid=draft-status]').textContent = source.json.draftText;
  $('[data-testid=designer-version]').textContent = source.json.versionText;
  showStatus(text.discarded.replace('{0}', String(source.json.latestVersion)), 'success');
  await state.lint();
}

function problemText(answer) {
  if (answer.json && (answer.json.detail || answer.json.title)) {
    return answer.json.detail || answer.json.title;
  }
  return text.failed.replace('{0}', answer.status);
}

function showStatus(message, kind) {
  const box = $('[data-testid=designer-status]');
  box.textContent = message;
  box.className = `designer-status text-${kind}`;
}

// ---------------------------------------------------------------- problems: lint (as one draws) and server

function elementLabel(modeler, id) {
  const element = id && modeler.get('elementRegistry').get(id);
  const name = element && element.businessObject && element.businessObject.name;
  return name ? `${name} (${id})` : (id || '');
}

function renderLint(modeler, reports) {
  const list = $('[data-testid=lint-list]');
  list.replaceChildren();
  const errors = reports.filter((r) => r.category === 'error');
  const warnings = reports.filter((r) => r.category !== 'error');
  $('[data-testid=lint-count]').textContent = text.lintCount.replace('{0}', errors.length).replace('{1}', warnings.length);
  for (const report of reports) {
    const item = document.createElement('li');
    item.className = `problem problem-${report.category === 'error' ? 'error' : 'warning'}`;
    item.dataset.elementId = report.id || '';
    item.dataset.testid = 'lint-problem';
    const where = document.createElement('strong');
    where.textContent = elementLabel(modeler, report.id);
    item.append(where, document.createTextNode(' ' + report.message));
    item.addEventListener('click', () => modeler.get('linting').showError(report));
    list.append(item);
  }
}

const serverMarker = 'wo-server-error';

function clearServerProblems(modeler) {
  const overlays = modeler.get('overlays');
  overlays.remove({ type: 'server-problem' });
  for (const id of state.serverProblems.map((p) => p.elementId).filter(Boolean)) {
    if (modeler.get('elementRegistry').get(id)) {
      modeler.get('canvas').removeMarker(id, serverMarker);
    }
  }
  state.serverProblems = [];
  $('[data-testid=server-list]').replaceChildren();
  $('[data-testid=server-panel]').hidden = true;
}

function showServerProblems(modeler, problems) {
  clearServerProblems(modeler);
  state.serverProblems = problems;
  const registry = modeler.get('elementRegistry');
  const overlays = modeler.get('overlays');
  const canvas = modeler.get('canvas');
  const list = $('[data-testid=server-list]');
  $('[data-testid=server-panel]').hidden = problems.length === 0;
  const marked = new Set();
  for (const problem of problems) {
    const element = problem.elementId && registry.get(problem.elementId);
    const item = document.createElement('li');
    item.className = `problem problem-${problem.severity}`;
    item.dataset.elementId = problem.elementId || '';
    item.dataset.testid = 'server-problem';
    item.textContent = problem.message;
    if (element) {
      item.addEventListener('click', () => {
        canvas.scrollToElement(element);
        modeler.get('selection').select(element);
      });
      if (!marked.has(problem.elementId) && problem.severity === 'error') {
        marked.add(problem.elementId);
        canvas.addMarker(problem.elementId, serverMarker);
        const badge = document.createElement('div');
        badge.className = 'wo-server-problem';
        badge.dataset.testid = 'server-overlay';
        badge.dataset.elementId = problem.elementId;
        badge.title = problem.message;
        badge.textContent = '!';
        overlays.add(problem.elementId, 'server-problem', { position: { top: -12, right: 12 }, html: badge });
      }
    }
    list.append(item);
  }
}

main().catch((error) => {
  state.error = String(error && error.stack || error);
  showStatus(String(error && error.message || error), 'danger');
});
