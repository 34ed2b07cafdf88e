// Language features the compiler needs on netstandard2.0.
namespace System.Runtime.CompilerServices;

internal static class IsExternalInit
{
}
