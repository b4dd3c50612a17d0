using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;

namespace WorkflowOrders.Persistence.Queries;

/// <summary>
/// Builds WHERE conditions for the search filters over one column each. Values go in as SQL parameters (member
/// access on a box, which EF Core parameterizes) so one query shape is planned once.
/// </summary>
internal static class QueryExpressions
{
    private static readonly MethodInfo LikeMethod = typeof(DbFunctionsExtensions).GetMethod(
        nameof(DbFunctionsExtensions.Like), [typeof(DbFunctions), typeof(string), typeof(string), typeof(string)])!;

    private static readonly MethodInfo StringCompare = typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!;

    public static IQueryable<T> Filter<T>(this IQueryable<T> query, Expression<Func<T, string?>> column, StringFilter? filter)
    {
        if (filter is null)
        {
            return query;
        }

        var c = column.Body;
        var parts = new List<Expression>();
        if (filter.Exists is { } exists)
        {
            parts.Add(exists ? Expression.NotEqual(c, Null<string>()) : Expression.Equal(c, Null<string>()));
        }

        if (filter.Eq is not null)
        {
            parts.Add(Expression.Equal(c, Param(filter.Eq)));
        }

        if (filter.Neq is not null)
        {
            parts.Add(Expression.OrElse(Expression.Equal(c, Null<string>()), Expression.NotEqual(c, Param(filter.Neq))));
        }

        if (filter.In is not null)
        {
            parts.Add(Contains(filter.In.ToArray(), c));
        }

        if (filter.NotIn is not null)
        {
            parts.Add(Expression.OrElse(Expression.Equal(c, Null<string>()), Expression.Not(Contains(filter.NotIn.ToArray(), c))));
        }

        if (filter.Like is not null)
        {
            parts.Add(Expression.Call(LikeMethod, Expression.Constant(EF.Functions), c, Param(LikePattern.ToSql(filter.Like)), Expression.Constant(LikePattern.SqlEscape)));
        }

        return Where(query, column.Parameters[0], parts);
    }

    public static IQueryable<T> Filter<T, TNumber>(this IQueryable<T> query, Expression<Func<T, TNumber>> column, NumberFilter? filter)
    {
        if (filter is null)
        {
            return query;
        }

        // Compare as long?: keys are long, versions and priorities int; a nullable view serves both.
        var c = column.Body.Type == typeof(long?) ? column.Body : Expression.Convert(column.Body, typeof(long?));
        var parts = new List<Expression>();
        if (filter.Exists is { } exists)
        {
            parts.Add(exists ? Expression.NotEqual(c, Null<long?>()) : Expression.Equal(c, Null<long?>()));
        }

        Add(parts, filter.Eq, v => Expression.Equal(c, Param<long?>(v)));
        Add(parts, filter.Neq, v => Expression.NotEqual(c, Param<long?>(v)));
        Add(parts, filter.Gt, v => Expression.GreaterThan(c, Param<long?>(v)));
        Add(parts, filter.Gte, v => Expression.GreaterThanOrEqual(c, Param<long?>(v)));
        Add(parts, filter.Lt, v => Expression.LessThan(c, Param<long?>(v)));
        Add(parts, filter.Lte, v => Expression.LessThanOrEqual(c, Param<long?>(v)));
        if (filter.In is not null)
        {
            parts.Add(Contains(filter.In.Select(v => (long?)v).ToArray(), c));
        }

        if (filter.NotIn is not null)
        {
            parts.Add(Expression.Not(Contains(filter.NotIn.Select(v => (long?)v).ToArray(), c)));
        }

        return Where(query, column.Parameters[0], parts);
    }

    public static IQueryable<T> Filter<T, TDate>(this IQueryable<T> query, Expression<Func<T, TDate>> column, DateFilter? filter)
    {
        if (filter is null)
        {
            return query;
        }

        var c = column.Body.Type == typeof(DateTimeOffset?) ? column.Body : Expression.Convert(column.Body, typeof(DateTimeOffset?));
        var parts = new List<Expression>();
        if (filter.Exists is { } exists)
        {
            parts.Add(exists ? Expression.NotEqual(c, Null<DateTimeOffset?>()) : Expression.Equal(c, Null<DateTimeOffset?>()));
        }

        Add(parts, filter.Eq, v => Expression.Equal(c, Param<DateTimeOffset?>(v)));
        Add(parts, filter.Neq, v => Expression.NotEqual(c, Param<DateTimeOffset?>(v)));
        Add(parts, filter.Gt, v => Expression.GreaterThan(c, Param<DateTimeOffset?>(v)));
        Add(parts, filter.Gte, v => Expression.GreaterThanOrEqual(c, Param<DateTimeOffset?>(v)));
        Add(parts, filter.Lt, v => Expression.LessThan(c, Param<DateTimeOffset?>(v)));
        Add(parts, filter.Lte, v => Expression.LessThanOrEqual(c, Param<DateTimeOffset?>(v)));
        return Where(query, column.Parameters[0], parts);
    }

    private static void Add<TValue>(List<Expression> parts, TValue? value, Func<TValue, Expression> build)
        where TValue : struct
    {
        if (value is { } v)
        {
            parts.Add(build(v));
        }
    }

    private static IQueryable<T> Where<T>(IQueryable<T> query, ParameterExpression parameter, List<Expression> parts)
    {
        foreach (var part in parts)
        {
            query = query.Where(Expression.Lambda<Func<T, bool>>(part, parameter));
        }

        return query;
    }

    public static Expression Contains<TValue>(TValue[] values, Expression column) =>
        Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(TValue)], Param(values), column);

    public static Expression Param<TValue>(TValue value) =>
        Expression.Property(Expression.Constant(new Box<TValue>(value)), nameof(Box<TValue>.Value));

    /// <summary>A parameter of a type known only at run time (cursor values).</summary>
    public static Expression Param(object? value, Type type)
    {
        var box = Activator.CreateInstance(typeof(Box<>).MakeGenericType(type), value)!;
        return Expression.Property(Expression.Constant(box), "Value");
    }

    public static Expression Null<TValue>() => Expression.Constant(null, typeof(TValue));

    /// <summary><paramref name="left"/> after <paramref name="right"/> in ascending order (strings by ordinal SQL comparison).</summary>
    public static Expression GreaterThan(Expression left, Expression right) =>
        left.Type == typeof(string)
            ? Expression.GreaterThan(Expression.Call(StringCompare, left, right), Expression.Constant(0))
            : Expression.GreaterThan(left, right);

    public static Expression LessThan(Expression left, Expression right) =>
        left.Type == typeof(string)
            ? Expression.LessThan(Expression.Call(StringCompare, left, right), Expression.Constant(0))
            : Expression.LessThan(left, right);

    /// <summary>Rewrites a lambda's body onto another parameter so several columns share one.</summary>
    public static Expression Rebind(LambdaExpression lambda, ParameterExpression parameter) =>
        new Rebinder(lambda.Parameters[0], parameter).Visit(lambda.Body);

    private sealed class Rebinder(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }

    /// <summary>Holds a value so the expression tree reads it as a captured variable (an SQL parameter).</summary>
    internal sealed class Box<TValue>(TValue value)
    {
        public TValue Value { get; } = value;
    }
}
