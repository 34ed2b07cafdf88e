namespace Sdk.Runtime.Soql;

/// <summary>SOQL text could not be parsed: where, what was found, and what was expected.</summary>
public sealed class SoqlParseException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public SoqlParseException()
        : this("The SOQL text could not be parsed.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public SoqlParseException(string message)
        : base(message)
    {
        Token = string.Empty;
        Expected = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public SoqlParseException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Token = string.Empty;
        Expected = string.Empty;
    }

    internal SoqlParseException(string message, int position, int line, int column, string token, string expected)
        : base(message)
    {
        Position = position;
        Line = line;
        Column = column;
        Token = token;
        Expected = expected;
    }

    /// <summary>The offset of the problem in the text, from 0.</summary>
    public int Position { get; }

    /// <summary>The line, from 1.</summary>
    public int Line { get; }

    /// <summary>The column, from 1.</summary>
    public int Column { get; }

    /// <summary>The token found there (empty at the end of the text).</summary>
    public string Token { get; }

    /// <summary>What was expected there.</summary>
    public string Expected { get; }
}
