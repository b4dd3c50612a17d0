namespace WorkflowOrders.Conformance;

/// <summary>Wraps a process body in the definitions element with the namespaces Camunda Modeler writes.</summary>
public static class BpmnText
{
    public static string Process(string processId, string body, string? rootElements = null) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                          xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
                          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                          id="Definitions_{processId}" targetNamespace="http://bpmn.io/schema/bpmn">
          {rootElements}
          <bpmn:process id="{processId}" isExecutable="true">
            {body}
          </bpmn:process>
        </bpmn:definitions>
        """;

    public static string Flow(string id, string source, string target, string? condition = null) => condition is null
        ? $"""<bpmn:sequenceFlow id="{id}" sourceRef="{source}" targetRef="{target}" />"""
        : $"""<bpmn:sequenceFlow id="{id}" sourceRef="{source}" targetRef="{target}"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{System.Security.SecurityElement.Escape(condition)}</bpmn:conditionExpression></bpmn:sequenceFlow>""";

    public static string UserTask(string id, string group = "sales", string? extra = null, string? name = null) =>
        $"""<bpmn:userTask id="{id}"{(name is null ? "" : $" name=\"{name}\"")}><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="{group}" />{extra}</bpmn:extensionElements></bpmn:userTask>""";

    public static string ServiceTask(string id, string type, string? extra = null) =>
        $"""<bpmn:serviceTask id="{id}"><bpmn:extensionElements><zeebe:taskDefinition type="{type}" />{extra}</bpmn:extensionElements></bpmn:serviceTask>""";
}
