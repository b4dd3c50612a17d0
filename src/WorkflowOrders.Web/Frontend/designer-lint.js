// Lint rules for the subset of BPMN our engine runs (docs/bpmn-dialect.md; why each setting: docs/designer.md).
// @camunda/linting checks a diagram against Camunda 8 (the version in modeler:executionPlatformVersion). This plugin
//  - adds `workfloworders/supported-elements`: the elements the engine refuses at deployment, flagged while drawing
//    (the server's validator stays the authority; this only tells the owner earlier);
//  - turns off `camunda-compat/zeebe-user-task`: it asks to migrate "job worker" user tasks to Camunda user tasks, a
//    distinction of Zeebe's that does not exist here — our engine runs every user task itself.

const EVENT_KINDS = {
  'bpmn:TimerEventDefinition': 'timer',
  'bpmn:MessageEventDefinition': 'message',
  'bpmn:SignalEventDefinition': 'signal',
  'bpmn:ConditionalEventDefinition': 'conditional',
  'bpmn:ErrorEventDefinition': 'error',
  'bpmn:EscalationEventDefinition': 'escalation',
  'bpmn:CompensateEventDefinition': 'compensation',
  'bpmn:LinkEventDefinition': 'link',
  'bpmn:CancelEventDefinition': 'cancel',
  'bpmn:TerminateEventDefinition': 'terminate'
};

// Allowed event definitions per event type; anything else is refused by the engine.
const ALLOWED = {
  'bpmn:StartEvent': [ 'message' ],
  'bpmn:EndEvent': [ 'terminate' ],
  'bpmn:IntermediateCatchEvent': [ 'timer', 'message' ],
  'bpmn:BoundaryEvent': [ 'timer', 'message', 'error' ]
};

const INSTEAD = {
  'bpmn:StartEvent': 'start instances from people, the API or a message start event',
  'bpmn:EndEvent': 'use a none or terminate end event, or a send task before it',
  'bpmn:IntermediateCatchEvent': 'use a timer or message event',
  'bpmn:BoundaryEvent': 'use a timer, message or error boundary event'
};

const KIND_TEXT = {
  'bpmn:StartEvent': 'A {kind} start event',
  'bpmn:EndEvent': 'A {kind} end event',
  'bpmn:IntermediateCatchEvent': 'A {kind} intermediate catch event',
  'bpmn:BoundaryEvent': 'A {kind} boundary event'
};

// Checked in this order: the first match names the element (bpmn:AdHocSubProcess and bpmn:Transaction are sub-processes).
const REFUSED = [
  [ 'bpmn:SubProcess', 'A sub-process', 'use a call activity' ],
  [ 'bpmn:EventBasedGateway', 'An event-based gateway', 'use boundary events on a task' ],
  [ 'bpmn:InclusiveGateway', 'An inclusive gateway', 'use parallel and exclusive gateways' ],
  [ 'bpmn:ComplexGateway', 'A complex gateway', 'use parallel and exclusive gateways' ],
  [ 'bpmn:BusinessRuleTask', 'A business rule task', 'use a script task or a service task' ],
  [ 'bpmn:ReceiveTask', 'A receive task', 'use a message intermediate catch event' ],
  [ 'bpmn:IntermediateThrowEvent', 'An intermediate throw event', 'use a send task' ]
];

export function createLintPlugin(translate) {
  const t = (text, values) => translate(text, values);
  // `what` arrives translated (it may hold a translated event kind); `instead` is translated here.
  const refused = (what, instead) => t('{type} is not supported by WorkflowOrders: {instead}', { type: what, instead: t(instead) });

  function supportedElements() {
    function check(node, reporter) {
      const refusedType = REFUSED.find(([ type ]) => node.$instanceOf && node.$instanceOf(type));
      if (refusedType) {
        reporter.report(node.id, refused(t(refusedType[1]), refusedType[2]));
        return;
      }

      if (node.loopCharacteristics) {
        reporter.report(node.id, refused(t('A loop or multi-instance marker'), 'model the repetition with a gateway and a loop back'));
      }

      const allowed = ALLOWED[node.$type];
      if (!allowed) {
        return;
      }

      const definitions = node.eventDefinitions || [];
      if (definitions.length > 1) {
        reporter.report(node.id, refused(t('An event with several definitions'), 'use one event definition per event'));
        return;
      }

      const kind = definitions.length === 1 ? EVENT_KINDS[definitions[0].$type] || definitions[0].$type : null;
      if (kind && !allowed.includes(kind)) {
        reporter.report(node.id, refused(t(KIND_TEXT[node.$type], { kind: t(kind) }), INSTEAD[node.$type]));
        return;
      }

      if (node.$type === 'bpmn:StartEvent' && node.isInterrupting === false) {
        reporter.report(node.id, refused(t('A non-interrupting start event'), 'use an interrupting start event'));
      }
    }

    return { check };
  }

  const rules = { 'supported-elements': supportedElements };

  return {
    config: {
      rules: {
        'workfloworders/supported-elements': 'error',
        'camunda-compat/zeebe-user-task': 'off'
      }
    },
    resolver: {
      resolveRule(pkg, ruleName) {
        if (pkg === 'bpmnlint-plugin-workfloworders' && rules[ruleName]) {
          return rules[ruleName];
        }
        throw new Error(`unknown rule <${ pkg }/${ ruleName }>`);
      },
      resolveConfig(pkg, configName) {
        throw new Error(`unknown config <${ pkg }/${ configName }>`);
      }
    }
  };
}
