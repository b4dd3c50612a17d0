namespace WorkflowOrders.Email.Tests.Support;

/// <summary>A process with one sales task due two working hours after the start, and a small company to address.</summary>
public static class LadderBpmn
{
    public const string Xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://bpmn.io/schema/bpmn">
          <bpmn:process id="ladder" isExecutable="true">
            <bpmn:startEvent id="Start" />
            <bpmn:sequenceFlow id="f1" sourceRef="Start" targetRef="Task_Review" />
            <bpmn:userTask id="Task_Review" name="评审订单">
              <bpmn:extensionElements>
                <zeebe:assignmentDefinition candidateGroups="sales" />
                <zeebe:taskSchedule dueDate="=addWorkingHours(now(), 2)" />
                <zeebe:properties><zeebe:property name="name.en" value="Review the order" /></zeebe:properties>
              </bpmn:extensionElements>
            </bpmn:userTask>
            <bpmn:sequenceFlow id="f2" sourceRef="Task_Review" targetRef="End" />
            <bpmn:endEvent id="End" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    public sealed class Directory : IMailDirectory
    {
        private static readonly (MailRecipient Person, string[] Roles)[] People =
        [
            (new("zhang.wei", "张伟", "zhang.wei@example.test", "zh-CN", "sales"), ["sales"]),
            (new("liu.yang", "刘洋", "liu.yang@example.test", "zh-CN", "sales"), ["sales", "dept-manager"]),
            (new("alice", "Alice", "alice@example.test", "en", "quality"), ["quality"]),
            (new("lin.fang", "林芳", "lin.fang@example.test", "zh-CN", "quality"), ["quality", "dept-manager"]),
            (new("wang.jianguo", "王建国", "gm@example.test", "zh-CN", "gm-office"), ["gm"]),
        ];

        private static readonly Dictionary<string, string> Managers = new() { ["sales"] = "liu.yang", ["quality"] = "lin.fang" };

        public Task<IReadOnlyList<MailRecipient>> UsersInRolesAsync(IReadOnlyCollection<string> roles, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<MailRecipient>>(People.Where(p => p.Roles.Intersect(roles).Any() && !p.Roles.Contains("dept-manager")).Select(p => p.Person).ToList());

        public Task<MailRecipient?> UserAsync(string userName, CancellationToken cancellationToken) =>
            Task.FromResult(People.Select(p => p.Person).FirstOrDefault(p => p.UserName == userName));

        public Task<MailRecipient?> ManagerOfDepartmentAsync(string departmentKey, CancellationToken cancellationToken) =>
            Managers.TryGetValue(departmentKey, out var name) ? UserAsync(name, cancellationToken) : Task.FromResult<MailRecipient?>(null);

        public Task<string?> DepartmentOfRoleAsync(string role, CancellationToken cancellationToken) =>
            Task.FromResult<string?>(role);
    }
}
