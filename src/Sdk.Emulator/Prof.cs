#pragma warning disable CS1591
namespace Sdk.Emulator;
public static class Prof
{
    public static long Read, Parse, Plan, Exec, Write, Calls;
    public static long Now => System.Diagnostics.Stopwatch.GetTimestamp();
    public static string Report() => $"calls {Calls} read {Ms(Read)} parse {Ms(Parse)} plan {Ms(Plan)} exec {Ms(Exec)} write {Ms(Write)}";
    private static string Ms(long t) => (t * 1000.0 / System.Diagnostics.Stopwatch.Frequency).ToString("F1");
    public static void Reset() { Read = Parse = Plan = Exec = Write = Calls = 0; }
}
