using System.Text;
using Sdk.Generator.OutputTests.Org;
using Sdk.Runtime.Bulk.Csv;
using Sdk.Runtime.Records;
using Task = System.Threading.Tasks.Task;

namespace Sdk.Generator.OutputTests;

/// <summary>The generated CSV mappers: typed records to Bulk API CSV rows and back, by header name.</summary>
public class CsvMappingTests
{
    private static string Write<T>(IReadOnlyList<string> columns, CsvFieldSelection selection, params T[] records)
        where T : SObject, ISObjectType<T>
    {
        var text = new StringWriter();
        using (var writer = new CsvRecordWriter<T>(text, columns, selection))
        {
            foreach (var record in records)
            {
                writer.Write(record);
            }
        }

        return text.ToString();
    }

    private static async Task<List<T>> ReadAsync<T>(string csv, int? parallelism = null)
        where T : SObject, ISObjectType<T>
    {
        var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        using var reader = parallelism is { } p ? new CsvRecordReader<T>(stream, CsvDelimiter.Comma, leaveOpen: false, p) : new CsvRecordReader<T>(stream);
        var list = new List<T>();
        await foreach (var record in reader.ReadAllAsync())
        {
            list.Add(record);
        }

        return list;
    }

    [Fact]
    public void ChangedFields_BulkFormats_ExplicitNull_ParentByExternalId()
    {
        var invoice = new Invoice
        {
            Name = "INV, \"1\"",
            Status = InvoiceStatus.FromValue("Paid"),
            Tags = PicklistSet<InvoiceTags>.Of(InvoiceTags.FromValue("a"), InvoiceTags.FromValue("b")),
            Amount = 1234.50m,
            Due_Date = new DateOnly(2024, 2, 29),
            Paid_At = new DateTimeOffset(2024, 3, 1, 10, 0, 0, TimeSpan.FromHours(2)),
            Reminder_Time = new TimeOnly(9, 30),
            Notes = null,
            Account_r = new Account { AccountNumber = "A-1" },
        };

        var columns = CsvRecordWriter<Invoice>.ColumnsOf(invoice, CsvFieldSelection.Changed);
        Assert.Equal(["Name", "Status__c", "Tags__c", "Amount__c", "Due_Date__c", "Paid_At__c", "Reminder_Time__c", "Notes__c", "Account__r.AccountNumber"], columns);
        Assert.Equal(
            "Name,Status__c,Tags__c,Amount__c,Due_Date__c,Paid_At__c,Reminder_Time__c,Notes__c,Account__r.AccountNumber\n" +
            "\"INV, \"\"1\"\"\",Paid,a;b,1234.50,2024-02-29,2024-03-01T08:00:00.000Z,09:30:00.000Z,#N/A,A-1\n",
            Write(columns, CsvFieldSelection.Changed, invoice));
    }

    [Fact]
    public void UnchangedFields_AreEmpty_SoBulkLeavesThem()
    {
        var read = new Invoice { Id = SalesforceId.Parse("a015e00000ABCDEAA5"), Name = "Old", Amount = 1m };
        read.AcceptChanges();
        read.Amount = 2m;
        Assert.Equal("Id,Name,Amount__c\na015e00000ABCDEAA5,,2\n", Write(["Id", "Name", "Amount__c"], CsvFieldSelection.Changed, read));
        Assert.Equal("Id,Name,Amount__c\na015e00000ABCDEAA5,Old,2\n", Write(["Id", "Name", "Amount__c"], CsvFieldSelection.Set, read));
    }

    [Fact]
    public void Upsert_ExternalIdWrittenWhenSet_EvenUnchanged_OtherUnchangedFieldsEmpty()
    {
        // An upsert's external id names the record: written whenever it is set, though only changed fields are selected.
        string[] columns = ["Name", "External_Id__c", "Amount__c", "Id", "Account__r.Id"];
        var read = new Invoice { Name = "Old", External_Id = "INV-7", Amount = 1m, Account_r = new Account { Id = SalesforceId.Parse("0015e00000ABCDEAA5") } };
        read.AcceptChanges();
        read.Amount = 2m;
        var notSet = new Invoice { Amount = 3m };
        var map = new CsvRecordMap<Invoice>(columns);
        var external = Invoice.Create().MemberIndex("External_Id__c");

        string Rows(int alwaysMember)
        {
            var text = new StringWriter();
            using (var writer = new CsvWriter(text))
            {
                map.Write(writer, read, CsvFieldSelection.Changed, alwaysMember);
                map.Write(writer, notSet, CsvFieldSelection.Changed, alwaysMember);
            }

            return text.ToString();
        }

        Assert.Equal(",INV-7,2,,\n,,3,,\n", Rows(external));
        Assert.Equal(",,2,,\n,,3,,\n", Rows(int.MinValue));

        // Everything set, with the parent's id through its relationship column.
        var all = new StringWriter();
        using (var writer = new CsvWriter(all))
        {
            map.Write(writer, read, CsvFieldSelection.Set);
        }

        Assert.Equal("Old,INV-7,2,,0015e00000ABCDEAA5\n", all.ToString());
    }

    [Fact]
    public async Task Read_TypedValues_ParentPath_UnknownColumnsKept_EmptyIsNull()
    {
        var csv = "Id,Name,Amount__c,Due_Date__c,Paid_At__c,Reminder_Time__c,Tags__c,IsDeleted,Account__r.Name,Site__c,Extra__c\n" +
                  "a015e00000ABCDEAA5,\"Multi\nline\",12.5,2024-01-02,2024-01-02T03:04:05.000Z,03:04:05.000Z,a;b,true,Acme,,kept\n" +
                  "a015e00000ABCDFAA5,,,,,,,false,,,\n";
        var records = await ReadAsync<Invoice>(csv);

        Assert.Equal(2, records.Count);
        var first = records[0];
        Assert.Equal("a015e00000ABCDEAA5", first.Id!.Value.Value);
        Assert.Equal("Multi\nline", first.Name);
        Assert.Equal(12.5m, first.Amount);
        Assert.Equal(new DateOnly(2024, 1, 2), first.Due_Date);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), first.Paid_At);
        Assert.Equal(new TimeOnly(3, 4, 5), first.Reminder_Time);
        Assert.Equal(["a", "b"], first.Tags!.Select(t => t.Value));
        Assert.True(first.IsDeleted);
        Assert.Equal("Acme", first.Account_r!.Name);
        Assert.Equal("kept", first.AdditionalFields["Extra__c"].GetString());
        Assert.False(first.HasChanges);
        Assert.True(first.IsSet("Name"));

        var second = records[1];
        Assert.Null(second.Name);
        Assert.True(second.IsSet("Name"));
        Assert.Null(second.Amount);
        Assert.Null(second.Account_r);
        Assert.False(second.AdditionalFields.ContainsKey("Extra__c"));
    }

    [Fact]
    public async Task SetFields_RoundTrip()
    {
        var csv = "Id,Name,Amount__c,Due_Date__c,Account__r.Name\n" +
                  "a015e00000ABCDEAA5,\" padded \",12.5,2024-01-02,Acme\n" +
                  "a015e00000ABCDFAA5,x,1,2024-01-03,\"Quote \"\"q\"\"\"\n";
        var records = await ReadAsync<Invoice>(csv);
        Assert.Equal(csv, Write(["Id", "Name", "Amount__c", "Due_Date__c", "Account__r.Name"], CsvFieldSelection.Set, [.. records]));
    }

    [Fact]
    public async Task RepeatedValues_ShareOneString_IdsCanonical_UniqueColumnsExact()
    {
        // Fifty owners that differ only in two digits (as generated ids do), every other one given in 15-character form.
        var owners = Enumerable.Range(0, 50).Select(n => SalesforceId.Parse($"0015e00000000{n:D2}").Value).ToArray();
        var csv = new StringBuilder("Name,Account__c,External_Id__c\n");
        for (var i = 0; i < 3000; i++)
        {
            var owner = owners[i % 50];
            csv.Append("Same,").Append(i % 100 < 50 ? owner : owner[..15]).Append(",ext-").Append(i).Append('\n');
        }

        // Read row by row, every row meets the same pools. Read in parallel, a piece parsed while another is takes pools of
        // its own, so a value may have a few instances: at most one for each of the input's three pieces (93K characters
        // in pieces of 32K), and one for the reader's own pools.
        var records = await ReadAsync<Invoice>(csv.ToString(), parallelism: 1);
        var parallel = await ReadAsync<Invoice>(csv.ToString(), parallelism: 4);
        Assert.Equal(records.Select(r => (r.Name, r.Account, r.External_Id)), parallel.Select(r => (r.Name, r.Account, r.External_Id)));
        Assert.InRange(parallel.Select(r => r.Name).Distinct(ReferenceEqualityComparer.Instance).Count(), 1, 3 + 1);

        Assert.Equal(3000, records.Count);
        Assert.All(records, r => Assert.Same(records[0].Name, r.Name));
        Assert.Equal(Enumerable.Range(0, 3000).Select(i => owners[i % 50]), records.Select(r => r.Account!.Value.Value));
        // Equal ids read from canonical text share one string (after the first round of fifty).
        var canonical = records.Where((_, i) => i % 100 < 50 && i >= 100).GroupBy(r => r.Account!.Value.Value);
        Assert.All(canonical, group => Assert.All(group, r => Assert.Same(group.First().Account!.Value.Value, r.Account!.Value.Value)));
        // A column whose values never repeat stops being pooled, and every value is still its own.
        Assert.Equal(Enumerable.Range(0, 3000).Select(i => $"ext-{i}"), records.Select(r => r.External_Id));

        var bad = await Assert.ThrowsAsync<CsvFormatException>(() => ReadAsync<Invoice>(csv + "Same,0015e00000ABCDEXYZ,ext\n"));
        Assert.Contains("'Account__c'", bad.Message, StringComparison.Ordinal);
        Assert.Equal(3002, bad.Record);
    }

    [Fact]
    public async Task BadValue_NamesColumnAndRecord()
    {
        var ex = await Assert.ThrowsAsync<CsvFormatException>(() => ReadAsync<Invoice>("Name,Amount__c\nok,1\nbad,12abc\n"));
        Assert.Contains("'Amount__c'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'12abc' is not a number", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, ex.Record);
    }

    private static readonly string[] RunHeader = ["Name", "Amount__c", "Due_Date__c", "Extra__c", "IsDeleted", "Account__r.Name", "Paid_At__c", "Reminder_Time__c"];
    private static readonly string[] RunRow = ["x", "1.5", "2024-01-02", "kept", "true", "Acme", "2024-01-02T03:04:05.000Z", "03:04:05.000Z"];

    private static string RunCsv(params string[][] rows) => string.Concat(new[] { RunHeader }.Concat(rows).Select(r => string.Join(",", r) + "\n"));

    /// <summary>A row's own fields are read a run of columns at a time; unknown columns and parent paths break the runs.</summary>
    [Fact]
    public async Task RunsBrokenByUnknownAndParentColumns_ReadEveryField()
    {
        var read = Assert.Single(await ReadAsync<Invoice>(RunCsv(RunRow)));

        Assert.Equal(("x", 1.5m, new DateOnly(2024, 1, 2), true, "Acme"), (read.Name, read.Amount, read.Due_Date, read.IsDeleted, read.Account_r!.Name));
        Assert.Equal((new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), new TimeOnly(3, 4, 5)), (read.Paid_At, read.Reminder_Time));
        Assert.Equal("kept", read.AdditionalFields["Extra__c"].GetString());
        Assert.All(["Name", "Amount__c", "Due_Date__c", "IsDeleted", "Paid_At__c", "Reminder_Time__c"], f => Assert.True(read.IsSet(f), f));
    }

    /// <summary>A bad value in any column of a run is named by its own column; the first one when a later column is bad too.</summary>
    [Theory]
    [InlineData("Amount__c", "12abc")]
    [InlineData("Due_Date__c", "2024-13-01")]
    [InlineData("IsDeleted", "maybe")]
    [InlineData("Paid_At__c", "yesterday")]
    [InlineData("Reminder_Time__c", "25:00")]
    public async Task BadValue_InAnyColumnOfARun_IsNamedByItsColumn(string column, string value)
    {
        var row = (string[])RunRow.Clone();
        row[Array.IndexOf(RunHeader, column)] = value;

        var ex = await Assert.ThrowsAsync<CsvFormatException>(() => ReadAsync<Invoice>(RunCsv(RunRow, row)));
        Assert.Contains($"column '{column}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, ex.Record);

        row[^1] = "later";
        var both = await Assert.ThrowsAsync<CsvFormatException>(() => ReadAsync<Invoice>(RunCsv(row)));
        Assert.Contains($"column '{column}'", both.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checkboxes_ReadInEveryFormBulkWrites_EmptyIsASetNull()
    {
        var records = await ReadAsync<Invoice>("Name,IsDeleted\na,true\nb,TRUE\nc,1\nd,false\ne,False\nf,0\ng,\n");

        Assert.Equal(new bool?[] { true, true, true, false, false, false, null }, records.Select(r => r.IsDeleted));
        Assert.True(records[^1].IsSet("IsDeleted"));
    }

    [Fact]
    public async Task ShortRow_ReadsItsFields_LeavesTheRestUnset()
    {
        var records = await ReadAsync<Invoice>("Name,Amount__c,Due_Date__c,IsDeleted\nx,2\ny,3,2024-01-02,true\n");

        Assert.Equal(("x", 2m), (records[0].Name, records[0].Amount));
        Assert.False(records[0].IsSet("Due_Date__c"));
        Assert.False(records[0].IsSet("IsDeleted"));
        Assert.Equal((new DateOnly(2024, 1, 2), true), (records[1].Due_Date, records[1].IsDeleted));
    }

    [Fact]
    public async Task HeaderProblems_AreCsvErrors()
    {
        await Assert.ThrowsAsync<CsvFormatException>(() => ReadAsync<Invoice>(string.Empty));
        var ex = await Assert.ThrowsAsync<CsvFormatException>(() => ReadAsync<Invoice>("Name,name\nx,y\n"));
        Assert.Contains("appears twice", ex.Message, StringComparison.Ordinal);
    }
}
