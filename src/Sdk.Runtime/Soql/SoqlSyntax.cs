namespace Sdk.Runtime.Soql;

/// <summary>
/// A SOQL <c>SELECT</c> statement as a syntax tree. Build one, <see cref="SoqlWriter.Write(SoqlQuery)"/> it to text, or
/// <see cref="SoqlParser.Parse(string)"/> text into one. Trees compare by value.
/// </summary>
public sealed record SoqlQuery
{
    /// <summary>The SELECT list.</summary>
    public required SoqlList<SoqlSelectItem> Select { get; init; }

    /// <summary>The FROM object (or, in a subquery, the child relationship name).</summary>
    public required string From { get; init; }

    /// <summary>An alias for the FROM object.</summary>
    public string? FromAlias { get; init; }

    /// <summary>Relationship paths joined in FROM, the older form <c>FROM Contact c, c.Account a</c>.</summary>
    public SoqlList<SoqlFromItem> Joins { get; init; } = SoqlList<SoqlFromItem>.Empty;

    /// <summary>USING SCOPE filter scope (for example <c>Mine</c>).</summary>
    public string? UsingScope { get; init; }

    /// <summary>The WHERE condition.</summary>
    public SoqlCondition? Where { get; init; }

    /// <summary>The WITH clause.</summary>
    public SoqlWith? With { get; init; }

    /// <summary>The GROUP BY clause.</summary>
    public SoqlGroupBy? GroupBy { get; init; }

    /// <summary>The HAVING condition.</summary>
    public SoqlCondition? Having { get; init; }

    /// <summary>The ORDER BY items.</summary>
    public SoqlList<SoqlOrderBy> OrderBy { get; init; } = SoqlList<SoqlOrderBy>.Empty;

    /// <summary>LIMIT.</summary>
    public int? Limit { get; init; }

    /// <summary>OFFSET.</summary>
    public int? Offset { get; init; }

    /// <summary>FOR VIEW, FOR REFERENCE or FOR UPDATE.</summary>
    public SoqlFor? For { get; init; }

    /// <summary>ALL ROWS (Apex only; kept for round-tripping).</summary>
    public bool AllRows { get; init; }

    /// <summary>The SOQL text.</summary>
    public override string ToString() => SoqlWriter.Write(this);
}

/// <summary>A relationship path joined in FROM, with an optional alias.</summary>
/// <param name="Path">The path, for example <c>c.Account</c>.</param>
/// <param name="Alias">The alias.</param>
public sealed record SoqlFromItem(string Path, string? Alias = null);

/// <summary>An item of a SELECT list.</summary>
public abstract record SoqlSelectItem;

/// <summary>A field or parent path, for example <c>Account.Owner.Name</c>, with an optional alias (aggregate queries).</summary>
/// <param name="Field">The field.</param>
/// <param name="Alias">The alias.</param>
public sealed record SoqlFieldItem(SoqlField Field, string? Alias = null) : SoqlSelectItem;

/// <summary>A function in the SELECT list, for example <c>COUNT(Id) total</c> or <c>toLabel(Status)</c>.</summary>
/// <param name="Function">The function.</param>
/// <param name="Alias">The alias.</param>
public sealed record SoqlFunctionItem(SoqlFunction Function, string? Alias = null) : SoqlSelectItem;

/// <summary>A child relationship subquery, for example <c>(SELECT LastName FROM Contacts)</c>.</summary>
/// <param name="Query">The subquery; its FROM is the relationship name.</param>
public sealed record SoqlSubquery(SoqlQuery Query) : SoqlSelectItem;

/// <summary><c>TYPEOF What WHEN Account THEN Name WHEN Opportunity THEN Amount ELSE Name END</c>.</summary>
/// <param name="Field">The polymorphic relationship.</param>
/// <param name="Whens">The WHEN branches.</param>
/// <param name="Else">The ELSE fields (empty for none).</param>
public sealed record SoqlTypeOf(string Field, SoqlList<SoqlTypeOfWhen> Whens, SoqlList<string> Else) : SoqlSelectItem;

/// <summary>One <c>WHEN Type THEN fields</c> branch.</summary>
/// <param name="TypeName">The object type.</param>
/// <param name="Fields">The fields of that type.</param>
public sealed record SoqlTypeOfWhen(string TypeName, SoqlList<string> Fields);

/// <summary>Something that has a value: a field, a function or a literal.</summary>
public abstract record SoqlExpression;

/// <summary>A field or parent path.</summary>
/// <param name="Path">The dotted path, for example <c>Account.Owner.Name</c>.</param>
public sealed record SoqlField(string Path) : SoqlExpression
{
    /// <summary>The path's parts.</summary>
    public IReadOnlyList<string> Segments => Path.Split('.');
}

/// <summary>A function call, for example <c>COUNT()</c>, <c>CALENDAR_YEAR(CreatedDate)</c>, <c>DISTANCE(…)</c>.</summary>
/// <param name="Name">The function name as written.</param>
/// <param name="Arguments">The arguments.</param>
public sealed record SoqlFunction(string Name, SoqlList<SoqlExpression> Arguments) : SoqlExpression;

/// <summary>A literal value.</summary>
public abstract record SoqlValue : SoqlExpression;

/// <summary>A string literal. <see cref="Value"/> is the text itself, unescaped.</summary>
/// <param name="Value">The text.</param>
public sealed record SoqlString(string Value) : SoqlValue;

/// <summary>A number literal.</summary>
/// <param name="Value">The number.</param>
public sealed record SoqlNumber(decimal Value) : SoqlValue;

/// <summary><c>true</c> or <c>false</c>.</summary>
/// <param name="Value">The value.</param>
public sealed record SoqlBoolean(bool Value) : SoqlValue;

/// <summary><c>null</c>.</summary>
public sealed record SoqlNull : SoqlValue
{
    /// <summary>The null literal.</summary>
    public static SoqlNull Instance { get; } = new();
}

/// <summary>A date literal, <c>2024-01-02</c>.</summary>
/// <param name="Value">The date.</param>
public sealed record SoqlDateValue(DateOnly Value) : SoqlValue;

/// <summary>A datetime literal, <c>2024-01-02T03:04:05Z</c>. Kept in UTC at millisecond precision, Salesforce's own.</summary>
/// <param name="Value">The instant.</param>
public sealed record SoqlDateTimeValue(DateTimeOffset Value) : SoqlValue
{
    /// <summary>The instant, in UTC, truncated to milliseconds.</summary>
    public DateTimeOffset Value { get; init; } = new(Value.UtcTicks - Value.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
}

/// <summary>A relative date literal such as <c>TODAY</c> or <c>LAST_N_DAYS:30</c>.</summary>
/// <param name="Name">The literal's name, upper case.</param>
/// <param name="N">The number of an <c>_N_</c> literal.</param>
public sealed record SoqlDateLiteral(string Name, int? N = null) : SoqlValue;

/// <summary>A currency literal such as <c>USD5000</c>.</summary>
/// <param name="IsoCode">The currency code.</param>
/// <param name="Amount">The amount.</param>
public sealed record SoqlCurrency(string IsoCode, decimal Amount) : SoqlValue;

/// <summary>A WHERE or HAVING condition.</summary>
public abstract record SoqlCondition;

/// <summary>All of the operands.</summary>
/// <param name="Operands">The operands (two or more).</param>
public sealed record SoqlAnd(SoqlList<SoqlCondition> Operands) : SoqlCondition;

/// <summary>Any of the operands.</summary>
/// <param name="Operands">The operands (two or more).</param>
public sealed record SoqlOr(SoqlList<SoqlCondition> Operands) : SoqlCondition;

/// <summary>NOT.</summary>
/// <param name="Operand">The negated condition.</param>
public sealed record SoqlNot(SoqlCondition Operand) : SoqlCondition;

/// <summary>A comparison: <c>=</c>, <c>!=</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>.</summary>
/// <param name="Left">The field or function.</param>
/// <param name="Operator">The operator.</param>
/// <param name="Right">The value.</param>
public sealed record SoqlComparison(SoqlExpression Left, SoqlOperator Operator, SoqlValue Right) : SoqlCondition;

/// <summary>
/// <c>LIKE 'pattern'</c>. <see cref="Pattern"/> uses LIKE's own escapes: <c>%</c> and <c>_</c> are wildcards, <c>\%</c>,
/// <c>\_</c> and <c>\\</c> stand for the characters themselves.
/// </summary>
/// <param name="Left">The field.</param>
/// <param name="Pattern">The pattern.</param>
public sealed record SoqlLike(SoqlExpression Left, string Pattern) : SoqlCondition;

/// <summary><c>IN (…)</c> or <c>NOT IN (…)</c> with values or a semi-join subquery.</summary>
/// <param name="Left">The field.</param>
/// <param name="Negated">Whether it is NOT IN.</param>
/// <param name="Values">The values (empty when <paramref name="Subquery"/> is set).</param>
/// <param name="Subquery">The subquery of a semi-join or anti-join.</param>
public sealed record SoqlIn(SoqlExpression Left, bool Negated, SoqlList<SoqlValue> Values, SoqlQuery? Subquery = null) : SoqlCondition;

/// <summary><c>INCLUDES (…)</c> or <c>EXCLUDES (…)</c> on a multi-select picklist; a value <c>'a;b'</c> means both.</summary>
/// <param name="Left">The field.</param>
/// <param name="Excludes">Whether it is EXCLUDES.</param>
/// <param name="Values">The values.</param>
public sealed record SoqlIncludes(SoqlExpression Left, bool Excludes, SoqlList<string> Values) : SoqlCondition;

/// <summary>Comparison operators.</summary>
public enum SoqlOperator
{
    /// <summary><c>=</c></summary>
    Equal,

    /// <summary><c>!=</c></summary>
    NotEqual,

    /// <summary><c>&lt;</c></summary>
    LessThan,

    /// <summary><c>&lt;=</c></summary>
    LessThanOrEqual,

    /// <summary><c>&gt;</c></summary>
    GreaterThan,

    /// <summary><c>&gt;=</c></summary>
    GreaterThanOrEqual,
}

/// <summary>The WITH clause.</summary>
public abstract record SoqlWith;

/// <summary><c>WITH SECURITY_ENFORCED</c>, <c>WITH USER_MODE</c> or <c>WITH SYSTEM_MODE</c>.</summary>
/// <param name="Mode">The mode.</param>
public sealed record SoqlWithSecurity(SoqlSecurityMode Mode) : SoqlWith;

/// <summary><c>WITH DATA CATEGORY Geography__c AT (usa__c) AND Product__c ABOVE (mobile__c)</c>.</summary>
/// <param name="Filters">The filters, joined by AND.</param>
public sealed record SoqlWithDataCategory(SoqlList<SoqlDataCategoryFilter> Filters) : SoqlWith;

/// <summary>One data category filter.</summary>
/// <param name="Group">The category group.</param>
/// <param name="Selector">AT, ABOVE, BELOW or ABOVE_OR_BELOW.</param>
/// <param name="Categories">The categories.</param>
public sealed record SoqlDataCategoryFilter(string Group, string Selector, SoqlList<string> Categories);

/// <summary>Security modes of WITH.</summary>
public enum SoqlSecurityMode
{
    /// <summary>SECURITY_ENFORCED.</summary>
    SecurityEnforced,

    /// <summary>USER_MODE.</summary>
    UserMode,

    /// <summary>SYSTEM_MODE.</summary>
    SystemMode,
}

/// <summary>GROUP BY, GROUP BY ROLLUP or GROUP BY CUBE.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Expressions">The grouped fields or functions.</param>
public sealed record SoqlGroupBy(SoqlGroupByKind Kind, SoqlList<SoqlExpression> Expressions);

/// <summary>Kinds of GROUP BY.</summary>
public enum SoqlGroupByKind
{
    /// <summary>Plain GROUP BY.</summary>
    Plain,

    /// <summary>GROUP BY ROLLUP.</summary>
    Rollup,

    /// <summary>GROUP BY CUBE.</summary>
    Cube,
}

/// <summary>One ORDER BY item.</summary>
/// <param name="Expression">The field or function.</param>
/// <param name="Descending">Whether DESC (false writes ASC when <paramref name="ExplicitDirection"/>).</param>
/// <param name="Nulls">NULLS FIRST or LAST, when given.</param>
/// <param name="ExplicitDirection">Whether ASC or DESC was written.</param>
public sealed record SoqlOrderBy(SoqlExpression Expression, bool Descending = false, SoqlNulls? Nulls = null, bool ExplicitDirection = false);

/// <summary>Where nulls sort.</summary>
public enum SoqlNulls
{
    /// <summary>NULLS FIRST.</summary>
    First,

    /// <summary>NULLS LAST.</summary>
    Last,
}

/// <summary>FOR VIEW, FOR REFERENCE, FOR UPDATE.</summary>
public enum SoqlFor
{
    /// <summary>FOR VIEW.</summary>
    View,

    /// <summary>FOR REFERENCE.</summary>
    Reference,

    /// <summary>FOR UPDATE.</summary>
    Update,
}
