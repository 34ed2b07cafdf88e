namespace Sdk.Runtime.Internal;

/// <summary>Checks API names before they go into a URL, so no caller value can change the path.</summary>
internal static class ApiNames
{
    public static string CheckObject(string name, string paramName = "sObjectName") => Check(name, paramName, "sObject");

    public static string CheckField(string name, string paramName = "field") => Check(name, paramName, "field");

    private static string Check(string name, string paramName, string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name, paramName);
        if (!IsValid(name))
        {
            throw new ArgumentException($"'{name}' is not a valid {what} API name (letters, digits and underscores, starting with a letter).", paramName);
        }

        return name;
    }

    public static bool IsValid(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > 255 || !char.IsAsciiLetter(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
