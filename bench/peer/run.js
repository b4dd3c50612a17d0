// Peer benchmark: runs a BPMN process in bpmn-engine (Node) and prints its throughput as one JSON line,
// so bench/run.sh can set WorkflowOrders.Engine beside it on the same file.
//
//   node run.js <file.bpmn> [instances=300] [--warmup=50] [--parse-each]
//
// Instances run one after another in this single process. Every user task is completed as soon as it
// waits, with the variables { reviewOutcome: "pass" }, so the outcome gateway takes the approval path.
// The definition is parsed once, as a deployed definition is (--parse-each parses the XML for every
// instance instead, which is what a naive `new Engine({ source })` per instance costs).
// Only JSON goes to stdout; progress and failures go to stderr, and any failure exits non-zero.

import fs from 'node:fs';
import { EventEmitter } from 'node:events';
import { Engine } from 'bpmn-engine';
import BpmnModdle from 'bpmn-moddle';
import * as Elements from 'bpmn-elements';
import serializer, { TypeResolver } from 'moddle-context-serializer';

const APPROVED_END = 'Approved';
const DECLINED_END = 'Declined';
const PASS = { reviewOutcome: 'pass' };
// An instance is synchronous work of a few milliseconds; this only catches one that stalls at a wait state.
const STALL_MS = 10_000;

// bpmn-engine's package exports hide its package.json from import/require; read the installed file.
const engineVersion = JSON.parse(fs.readFileSync(new URL('./node_modules/bpmn-engine/package.json', import.meta.url), 'utf8')).version;

function fail(message) {
  process.stderr.write(`peer: ${message}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  const positional = [];
  const options = { warmup: 50, parseEach: false };
  for (const arg of argv) {
    if (arg === '--parse-each') options.parseEach = true;
    else if (arg.startsWith('--warmup=')) options.warmup = Number(arg.slice('--warmup='.length));
    else if (arg.startsWith('--')) fail(`unknown option ${arg}`);
    else positional.push(arg);
  }
  if (positional.length < 1 || positional.length > 2) {
    fail('usage: node run.js <file.bpmn> [instances=300] [--warmup=50] [--parse-each]');
  }
  options.file = positional[0];
  options.instances = positional.length === 2 ? Number(positional[1]) : 300;
  for (const key of ['instances', 'warmup']) {
    if (!Number.isInteger(options[key]) || options[key] < (key === 'instances' ? 1 : 0)) {
      fail(`${key} must be a whole number (got ${options[key]})`);
    }
  }
  return options;
}

// bpmn-engine knows no FEEL. The file must stay exactly what Camunda Modeler writes, so this hook
// understands the one FEEL form a condition in it uses: `=<name or path> = <literal>` (and `!=`).
// Anything else throws, which fails the instance and the run: the peer never guesses a value.
const FEEL_COMPARISON = /^=\s*([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\s*(!=|=)\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false|null)\s*$/;

function compileFeel(expression) {
  const match = FEEL_COMPARISON.exec(expression);
  if (!match) throw new Error(`FEEL expression not understood by the peer runner: ${expression}`);
  const [, path, operator, literalText] = match;
  const literal = JSON.parse(literalText);
  const segments = path.split('.');
  return (variables) => {
    let value = variables;
    for (const segment of segments) value = value == null ? null : value[segment];
    // FEEL: comparing a missing variable yields null, not an error; null = null is true.
    const equal = (value ?? null) === literal;
    return operator === '=' ? equal : !equal;
  };
}

function feelExpressions() {
  const compiled = new Map();
  return {
    resolveExpression(expression, context) {
      if (typeof expression !== 'string' || !expression.startsWith('=')) {
        if (typeof expression === 'string' && expression.includes('${')) {
          throw new Error(`expression not understood by the peer runner: ${expression}`);
        }
        return expression;
      }
      let evaluate = compiled.get(expression);
      if (!evaluate) {
        evaluate = compileFeel(expression);
        compiled.set(expression, evaluate);
      }
      return evaluate(context.environment.variables);
    },
    isExpression: (text) => typeof text === 'string' && text.startsWith('='),
    hasExpression: (text) => typeof text === 'string' && text.startsWith('='),
  };
}

class Tally {
  constructor() {
    this.ends = new Map();
    this.userTasks = 0;
  }

  endCount(id) {
    return this.ends.get(id) ?? 0;
  }
}

// One instance: a fresh engine, every user task completed as it waits with `completion` as its variables.
// Completing a task with variables puts them in the process scope (as Camunda does), where the
// gateway's condition reads them.
function runInstance(engineOptions, completion, tally) {
  return new Promise((resolve, reject) => {
    const listener = new EventEmitter();
    listener.on('wait', (api) => {
      if (api.type !== 'bpmn:UserTask') {
        reject(new Error(`instance waits at ${api.type} ${api.id}, which the peer runner cannot complete`));
        return;
      }
      tally.userTasks += 1;
      Object.assign(api.environment.variables, completion);
      api.signal({ ...completion });
    });
    listener.on('activity.end', (api) => {
      if (api.type === 'bpmn:EndEvent') tally.ends.set(api.id, tally.endCount(api.id) + 1);
    });

    const engine = new Engine({ ...engineOptions, expressions: feelExpressions() });
    const stall = setTimeout(() => {
      const waiting = engine.execution?.getPostponed?.().map((a) => a.id).join(', ') || 'nothing';
      reject(new Error(`instance did not finish within ${STALL_MS} ms (postponed: ${waiting})`));
    }, STALL_MS);
    engine.execute({ listener }, (error) => {
      clearTimeout(stall);
      if (error) reject(error);
      else resolve();
    });
  });
}

async function runMany(count, engineOptions, completion) {
  const tally = new Tally();
  for (let i = 0; i < count; i += 1) {
    await runInstance(engineOptions, completion, tally);
  }
  return tally;
}

function expect(condition, message) {
  if (!condition) fail(message);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  let source;
  try {
    source = fs.readFileSync(options.file, 'utf8');
  } catch (error) {
    fail(`cannot read ${options.file}: ${error.message}`);
  }

  let moddleContext;
  try {
    moddleContext = await new BpmnModdle().fromXML(source);
  } catch (error) {
    fail(`cannot parse ${options.file}: ${error.message}`);
  }
  const sourceContext = serializer(moddleContext, TypeResolver(Elements));
  const processes = sourceContext.getExecutableProcesses();
  expect(processes.length === 1, `expected one executable process in ${options.file}, found ${processes.length}`);
  const userTasksPerInstance = sourceContext.getActivities(processes[0].id).filter((a) => a.type === 'bpmn:UserTask').length;
  expect(userTasksPerInstance > 0, 'the process has no user task to complete');
  const engineOptions = options.parseEach ? { source } : { sourceContext };

  // The condition must really be evaluated: an outcome other than "pass" takes the default flow.
  const declined = await runMany(1, engineOptions, { reviewOutcome: 'rework' });
  expect(
    declined.endCount(DECLINED_END) === 1 && declined.endCount(APPROVED_END) === 0,
    `self-check: reviewOutcome "rework" should end at ${DECLINED_END}; ends reached: ${JSON.stringify([...declined.ends])}`,
  );

  await runMany(options.warmup, engineOptions, PASS);

  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const tally = await runMany(options.instances, engineOptions, PASS);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);

  expect(
    tally.endCount(APPROVED_END) === options.instances && tally.ends.size === 1,
    `expected ${options.instances} instances to end at ${APPROVED_END}; ends reached: ${JSON.stringify([...tally.ends])}`,
  );
  expect(
    tally.userTasks === options.instances * userTasksPerInstance,
    `expected ${options.instances * userTasksPerInstance} user tasks completed, counted ${tally.userTasks}`,
  );

  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const cpuShare = cpuSeconds / seconds;
  process.stderr.write(
    `peer: ${options.instances} instances ended at ${APPROVED_END}, ${tally.userTasks} user tasks completed, ` +
      `CPU ${(cpuShare * 100).toFixed(0)}% of wall time\n`,
  );
  process.stdout.write(
    `${JSON.stringify({
      engine: 'bpmn-engine',
      version: engineVersion,
      instances: options.instances,
      seconds: Number(seconds.toFixed(3)),
      perSecond: Number((options.instances / seconds).toFixed(1)),
      // Below 1 core-second per second means this process waited for the CPU: another job shared the core.
      cpuSeconds: Number(cpuSeconds.toFixed(3)),
      definition: options.parseEach ? 'parsed per instance' : 'parsed once',
    })}\n`,
  );
}

main().catch((error) => fail(error?.stack ?? String(error)));
