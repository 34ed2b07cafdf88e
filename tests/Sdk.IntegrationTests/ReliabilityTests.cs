using System.Collections.Concurrent;
using Sdk.Emulator;
using Sdk.IntegrationTests.Org;
using Sdk.Runtime;
using Sdk.Runtime.Composite;
using Sdk.Runtime.Errors;
using Xunit.Abstractions;
using Task = System.Threading.Tasks.Task;

namespace Sdk.IntegrationTests;

/// <summary>
/// A mixed workload (CRUD, upserts, LINQ with paging, collections, composite, Bulk 2.0 ingest and query) at concurrency 50
/// against a local org that injects about 10% faults, and fails some bulk batches. Afterwards the org's records are compared with what the callers were told: nothing lost,
/// nothing duplicated, and every operation either succeeded or surfaced a typed exception. Set <c>SDK_SOAK_MINUTES</c> to
/// repeat the workload for that long (the soak mode); by default it runs one round (seconds).
/// </summary>
[Collection(MemoryMeasured.Name)]
public class ReliabilityTests(ITestOutputHelper output)
{
    private const int Workers = 50;

    private sealed class Ledger
    {
        /// <summary>The amounts each invoice may hold: the last confirmed one, plus any attempted after it that failed.</summary>
        public ConcurrentDictionary<string, HashSet<decimal>> Invoices { get; } = new(StringComparer.Ordinal);

        /// <summary>Invoices whose first upsert failed: they may not exist at all.</summary>
        public ConcurrentBag<string> MaybeMissing { get; } = [];

        /// <summary>Account names the org confirmed creating.</summary>
        public ConcurrentBag<string> Created { get; } = [];

        /// <summary>Account names whose create failed: they may exist (the answer was lost) but at most once.</summary>
        public ConcurrentBag<string> Uncertain { get; } = [];

        /// <summary>Account names a bulk job reported failed or unprocessed: they must not exist.</summary>
        public ConcurrentBag<string> Absent { get; } = [];

        public ConcurrentBag<Exception> Surfaced { get; } = [];

        public int BulkRows;

        public int Operations;

        /// <summary>The longest any operation took, in ticks.</summary>
        public long LongestTicks;
    }

    [Fact]
    public async Task MixedWorkload_Concurrency50_TenPercentFaults_NothingLostOrDuplicated()
    {
        var options = new LocalOrgOptions { DailyApiLimit = long.MaxValue };
        options.Faults.Seed = 2026;
        await using var org = await LocalOrg.StartAsync(options);
        var timeout = TimeSpan.FromSeconds(20);
        await using var client = OrgClient.Connect(org, configure: o =>
        {
            o.MaxConcurrentRequests = Workers;
            o.RetryPolicy.Timeout = timeout;
        });
        org.Faults.Rules.Add(new FaultRule(FaultKind.ServiceUnavailable, 0.03));
        org.Faults.Rules.Add(new FaultRule(FaultKind.UnableToLockRow, 0.02));
        org.Faults.Rules.Add(new FaultRule(FaultKind.TooManyRequests, 0.02) { RetryAfter = TimeSpan.Zero });
        org.Faults.Rules.Add(new FaultRule(FaultKind.DropBeforeProcessing, 0.015));
        org.Faults.Rules.Add(new FaultRule(FaultKind.DropAfterProcessing, 0.015));
        org.Faults.Rules.Add(new FaultRule(FaultKind.Latency, 0.05) { Delay = TimeSpan.FromMilliseconds(20) });
        org.Faults.Rules.Add(new FaultRule(FaultKind.BulkBatchFailure, 0.4));

        var ledger = new Ledger();
        var soak = double.TryParse(Environment.GetEnvironmentVariable("SDK_SOAK_MINUTES"), System.Globalization.CultureInfo.InvariantCulture, out var minutes) ? TimeSpan.FromMinutes(minutes) : TimeSpan.Zero;
        var until = DateTimeOffset.UtcNow + soak;
        var round = 0;
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                await Task.Delay(50, CancellationToken.None);
            }
        });
        do
        {
            var r = round++;
            await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => WorkAsync(client, ledger, $"R{r}W{w}")));
        }
        while (DateTimeOffset.UtcNow < until);

        await sampling.CancelAsync();
        await sampler;

        org.Faults.Enabled = false;
        Assert.True(org.Faults.Injected.Values.Sum() > 50, $"only {org.Faults.Injected.Values.Sum()} faults were injected");

        // Every exception the callers saw is typed: a Salesforce error, or a transport failure the policy would not resend.
        Assert.All(ledger.Surfaced, ex => Assert.True(ex is SalesforceException or HttpRequestException or AggregateException { InnerExceptions: [SalesforceException, ..] }, ex.ToString()));

        // Invoices (upserted, idempotent): every one exactly once, with the amount the caller last wrote successfully.
        var invoices = await client.Query<Sdk.IntegrationTests.Org.Invoice>().Select(i => new { i.External_Id, i.Amount }).ToListAsync();
        Assert.Equal(invoices.Count, invoices.Select(i => i.External_Id).Distinct().Count());
        var stored = invoices.ToDictionary(i => i.External_Id!, i => i.Amount);
        var maybeMissing = ledger.MaybeMissing.ToHashSet();
        Assert.All(ledger.Invoices, pair =>
        {
            if (stored.TryGetValue(pair.Key, out var amount))
            {
                Assert.Contains(amount!.Value, pair.Value);
            }
            else
            {
                Assert.Contains(pair.Key, maybeMissing);
            }
        });

        // Accounts (created, not idempotent): confirmed ones exactly once; failed ones at most once (a lost answer).
        var names = await client.Query<Account>().Select(a => a.Name).ToListAsync();
        var counts = names.GroupBy(n => n!).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(ledger.Created, name => Assert.Equal(1, counts.GetValueOrDefault(name)));
        Assert.All(ledger.Uncertain, name => Assert.InRange(counts.GetValueOrDefault(name), 0, 1));
        Assert.All(ledger.Absent, name => Assert.Equal(0, counts.GetValueOrDefault(name)));
        Assert.True(ledger.BulkRows > 0, "no bulk job ran");
        Assert.Equal(names.Count, counts.Values.Sum());
        Assert.True(names.Count >= ledger.Created.Count);
        Assert.True(names.Count <= ledger.Created.Count + ledger.Uncertain.Count);
        Assert.True(org.Faults.Injected.GetValueOrDefault(FaultKind.BulkBatchFailure) > 0 && !ledger.Absent.IsEmpty, "no bulk batch failed");

        // Memory stays bounded while it runs (the org's own records included), and the workload's garbage is collectable.
        var memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        // The org keeps every record in memory (about 1 KB each, see LocalOrgStoreBenchmarks) and the ledger their names, so
        // the bounds grow with the records a soak run leaves behind; anything beyond that would be a leak.
        long records = org.RecordCount;
        Assert.True(peak < (512L * 1024 * 1024) + (records * 4096), $"the heap peaked at {peak / 1024 / 1024} MB with {records} records in the org");
        Assert.True(memoryAfter - memoryBefore < (200L * 1024 * 1024) + (records * 2048), $"retained {(memoryAfter - memoryBefore) / 1024 / 1024} MB with {records} records in the org");

        // No operation outlived the policy's timeout (with a margin for the last attempt's own duration).
        var longest = TimeSpan.FromTicks(Interlocked.Read(ref ledger.LongestTicks));
        Assert.True(longest < timeout + TimeSpan.FromSeconds(5), $"an operation took {longest}");
        Assert.True(ledger.Operations >= Workers * 5);
        output.WriteLine($"{round} round(s), {ledger.Operations} operations, {org.Faults.Injected.Values.Sum()} faults injected ({string.Join(", ", org.Faults.Injected.Select(p => $"{p.Key} {p.Value}"))}), " +
            $"longest operation {TimeSpan.FromTicks(ledger.LongestTicks).TotalMilliseconds:0} ms, heap peak {peak / 1024 / 1024} MB, {ledger.Surfaced.Count} surfaced to callers, {ledger.Created.Count} accounts confirmed, {ledger.Uncertain.Count} uncertain of which {ledger.Uncertain.Count(n => counts.ContainsKey(n))} exist, {ledger.BulkRows} bulk rows of which {ledger.Absent.Count} failed or unprocessed (none exist), {stored.Count} invoices");
    }

    private static async Task WorkAsync(SalesforceClient client, Ledger ledger, string key)
    {
        async Task Run(Func<Task> operation)
        {
            Interlocked.Increment(ref ledger.Operations);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                await operation();
            }
            catch (Exception ex) when (ex is SalesforceException or HttpRequestException or AggregateException)
            {
                ledger.Surfaced.Add(ex);
            }
            finally
            {
                var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started).Ticks;
                long current;
                while (elapsed > (current = Interlocked.Read(ref ledger.LongestTicks)) && Interlocked.CompareExchange(ref ledger.LongestTicks, elapsed, current) != current)
                {
                }
            }
        }

        // Upserts by external id, twice each: the second changes the amount.
        for (var i = 0; i < 2; i++)
        {
            var external = $"{key}-INV{i}";
            foreach (var amount in new[] { 10m * i, (10m * i) + 1 })
            {
                await Run(async () =>
                {
                    try
                    {
                        await client.SObjects.UpsertAsync(new Sdk.IntegrationTests.Org.Invoice { External_Id = external, Name = external, Amount = amount }, "External_Id__c");
                        ledger.Invoices[external] = [amount];
                    }
                    catch
                    {
                        if (ledger.Invoices.TryGetValue(external, out var possible))
                        {
                            possible.Add(amount);
                        }
                        else
                        {
                            ledger.Invoices[external] = [amount];
                            ledger.MaybeMissing.Add(external);
                        }

                        throw;
                    }
                });
            }
        }

        // A single create, then an update of it.
        var single = new Account { Name = $"{key}-single" };
        await Run(async () =>
        {
            try
            {
                await client.SObjects.CreateAsync(single);
                ledger.Created.Add(single.Name!);
            }
            catch
            {
                ledger.Uncertain.Add(single.Name!);
                throw;
            }
        });

        if (single.Id is not null)
        {
            single.Description = "updated";
            await Run(() => client.SObjects.UpdateAsync(single));
        }

        // Collections: five accounts in one call.
        var batch = Enumerable.Range(0, 5).Select(i => new Account { Name = $"{key}-coll{i}" }).ToList();
        await Run(async () =>
        {
            try
            {
                var results = await client.Collections.CreateAsync(batch);
                for (var i = 0; i < batch.Count; i++)
                {
                    (results[i].Success ? ledger.Created : ledger.Uncertain).Add(batch[i].Name!);
                }
            }
            catch
            {
                foreach (var record in batch)
                {
                    ledger.Uncertain.Add(record.Name!);
                }

                throw;
            }
        });

        // Composite: an account and a contact referencing it, all or none.
        var parent = new Account { Name = $"{key}-composite" };
        await Run(async () =>
        {
            try
            {
                var composite = client.Composite.Request(allOrNone: true, errors: CompositeErrorHandling.AutoThrow);
                var created = composite.SObjects.Create(parent);
                composite.SObjects.Create(new Contact { LastName = key, AccountId = created.Ref.Id });
                await composite.ExecuteAsync();
                ledger.Created.Add(parent.Name!);
            }
            catch
            {
                ledger.Uncertain.Add(parent.Name!);
                throw;
            }
        });

        // One worker in ten loads 450 accounts (three 200-row batches on the org, each of which may fail) with a Bulk 2.0 job and reads them back with a bulk query.
        if (key.EndsWith('0'))
        {
            var rows = Enumerable.Range(0, 450).Select(i => new Account { Name = $"{key}-bulk{i}" }).ToList();
            await Run(async () =>
            {
                try
                {
                    var result = await client.Bulk.InsertAsync(rows, new Sdk.Runtime.Bulk.BulkIngestOptions { PollInterval = TimeSpan.FromMilliseconds(20), MaxPollInterval = TimeSpan.FromMilliseconds(100) });
                    Assert.Equal(rows.Count, result.Successful.Count + result.Failed.Count + result.Unprocessed.Count);
                    Interlocked.Add(ref ledger.BulkRows, rows.Count);
                    result.Successful.ToList().ForEach(r => ledger.Created.Add(r.Item.Name!));
                    result.Failed.Concat(result.Unprocessed).ToList().ForEach(r => ledger.Absent.Add(r.Item.Name!));
                }
                catch
                {
                    rows.ForEach(r => ledger.Uncertain.Add(r.Name!));
                    throw;
                }
            });
            await Run(async () =>
            {
                var prefix = key + "-bulk";
                var seen = 0;
                await foreach (var account in client.Query<Account>().Where(a => a.Name!.StartsWith(prefix)).AsBulk(new Sdk.Runtime.Bulk.BulkQueryOptions { PollInterval = TimeSpan.FromMilliseconds(20) }))
                {
                    Assert.StartsWith(prefix, account.Name, StringComparison.Ordinal);
                    seen++;
                }

                Assert.InRange(seen, 0, 450);
            });
        }

        // A LINQ query with small pages over this worker's invoices.
        await Run(async () =>
        {
            var prefix = key + "-";
            var mine = await client.Query<Sdk.IntegrationTests.Org.Invoice>().Where(i => i.External_Id!.StartsWith(prefix)).WithBatchSize(200).ToListAsync();
            Assert.InRange(mine.Count, 0, 2);
        });
    }
}
