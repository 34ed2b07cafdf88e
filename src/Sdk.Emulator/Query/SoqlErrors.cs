using System.Net;
using System.Text.RegularExpressions;
using Sdk.Emulator.Rest;
using Sdk.Runtime.Soql;

namespace Sdk.Emulator.Query;

/// <summary>SOQL errors in Salesforce's form: the query line, a caret under the offending token, its row and column.</summary>
internal static class SoqlErrors
{
    public static ApiException Malformed(string soql, SoqlParseException ex)
    {
        var token = string.IsNullOrEmpty(ex.Token) ? "<EOF>" : ex.Token;
        if (soql.AsSpan(0, Math.Min(ex.Position, soql.Length)).IsWhiteSpace())
        {
            // A query that does not even start with SELECT: Salesforce names the token without a location or quotes.
            return new ApiException(HttpStatusCode.BadRequest, "MALFORMED_QUERY", $"unexpected token: {token}");
        }

        return new ApiException(HttpStatusCode.BadRequest, "MALFORMED_QUERY", Located(soql, ex.Position, $"unexpected token: '{token}'"));
    }

    public static ApiException Malformed(string soql, string message, string? near = null)
        => new(HttpStatusCode.BadRequest, "MALFORMED_QUERY", Located(soql, Find(soql, near), message));

    public static ApiException NoSuchColumn(string soql, string column, string objectName)
        => new(HttpStatusCode.BadRequest, "INVALID_FIELD", Located(soql, Find(soql, column),
            $"No such column '{column}' on entity '{objectName}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."));

    public static ApiException NoSuchRelationship(string soql, string relationship, string path)
        => new(HttpStatusCode.BadRequest, "INVALID_FIELD", Located(soql, Find(soql, path),
            $"Didn't understand relationship '{relationship}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names."));

    public static ApiException NoSuchObject(string soql, string name)
        => new(HttpStatusCode.BadRequest, "INVALID_TYPE", Located(soql, Find(soql, name),
            $"sObject type '{name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names."));

    public static ApiException InvalidField(string soql, string near, string message)
        => new(HttpStatusCode.BadRequest, "INVALID_FIELD", Located(soql, Find(soql, near), message));

    public static ApiException InvalidQueryFilter(string soql, string near, string message)
        => new(HttpStatusCode.BadRequest, "INVALID_QUERY_FILTER_OPERATOR", Located(soql, Find(soql, near), message));

    /// <summary>Where a token first appears as a whole word (case-insensitively), or 0.</summary>
    private static int Find(string soql, string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return 0;
        }

        var match = Regex.Match(soql, @"(?<![\w.])" + Regex.Escape(token) + @"(?![\w])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return match.Success ? match.Index : 0;
    }

    private static string Located(string soql, int position, string message)
    {
        int row = 1, column = 1, lineStart = 0;
        for (var i = 0; i < position && i < soql.Length; i++)
        {
            if (soql[i] == '\n')
            {
                row++;
                column = 1;
                lineStart = i + 1;
            }
            else
            {
                column++;
            }
        }

        var lineEnd = soql.IndexOf('\n', lineStart);
        var line = lineEnd < 0 ? soql[lineStart..] : soql[lineStart..lineEnd];
        return $"\n{line.TrimEnd('\r')}\n{new string(' ', column - 1)}^\nERROR at Row:{row}:Column:{column}\n{message}";
    }
}
