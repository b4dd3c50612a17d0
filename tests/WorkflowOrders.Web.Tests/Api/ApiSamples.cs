namespace WorkflowOrders.Web.Tests.Api;

/// <summary>Definitions and forms the API tests deploy, written as Camunda Modeler writes them.</summary>
public static class ApiSamples
{
    private static string Definitions(string processId, string body, string? rootElements = null) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                          xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
                          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                          id="Definitions_{processId}" targetNamespace="http://bpmn.io/schema/bpmn">
          {rootElements}
          <bpmn:process id="{processId}" name="{processId} (test)" isExecutable="true">
            {body}
          </bpmn:process>
        </bpmn:definitions>
        """;

    /// <summary>One user task for the sales role (and candidate user li.na) with a form and a fixed due date.</summary>
    public static string Review(string processId = "api-order") => Definitions(processId, """
        <bpmn:startEvent id="Start" />
        <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Review" />
        <bpmn:userTask id="Review" name="Review order">
          <bpmn:extensionElements>
            <zeebe:assignmentDefinition candidateGroups="sales" candidateUsers="li.na" />
            <zeebe:taskSchedule dueDate="2030-01-15T10:00:00Z" />
            <zeebe:formDefinition formId="api-review" />
          </bpmn:extensionElements>
        </bpmn:userTask>
        <bpmn:sequenceFlow id="F2" sourceRef="Review" targetRef="End" />
        <bpmn:endEvent id="End" />
        """);

    public const string ReviewForm = """
        {"id":"api-review","type":"default","schemaVersion":16,"components":[{"type":"textfield","key":"comment","label":"Comment"}]}
        """;

    /// <summary>Waits for the message "api-paid" correlated by the variable orderNo.</summary>
    public static string Payment => Definitions("api-payment", """
        <bpmn:startEvent id="Start" />
        <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Paid" />
        <bpmn:intermediateCatchEvent id="Paid"><bpmn:messageEventDefinition messageRef="Msg_Paid" /></bpmn:intermediateCatchEvent>
        <bpmn:sequenceFlow id="F2" sourceRef="Paid" targetRef="End" />
        <bpmn:endEvent id="End" />
        """, """<bpmn:message id="Msg_Paid" name="api-paid"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderNo" /></bpmn:extensionElements></bpmn:message>""");

    /// <summary>A gateway whose conditions read "amount": without it the instance stops with a CONDITION_ERROR incident.</summary>
    public static string Gateway => Definitions("api-gateway", """
        <bpmn:startEvent id="Start" />
        <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Amount" />
        <bpmn:exclusiveGateway id="Amount" />
        <bpmn:sequenceFlow id="Big" sourceRef="Amount" targetRef="EndBig"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=amount &gt; 10</bpmn:conditionExpression></bpmn:sequenceFlow>
        <bpmn:sequenceFlow id="Small" sourceRef="Amount" targetRef="EndSmall"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=amount &lt;= 10</bpmn:conditionExpression></bpmn:sequenceFlow>
        <bpmn:endEvent id="EndBig" />
        <bpmn:endEvent id="EndSmall" />
        """);

    /// <summary>Two problems: a user task without a target flow is fine, but an unsupported element and a dangling flow are not.</summary>
    public static string Invalid => Definitions("api-invalid", """
        <bpmn:startEvent id="Start" />
        <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Missing" />
        <bpmn:complexGateway id="Complex" />
        """);
}
