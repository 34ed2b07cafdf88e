using System.Buffers;
using System.Text;
using System.Text.Json;
using Sdk.Generator.OutputTests.Org;
using Sdk.Runtime.Records;

namespace Sdk.Generator.OutputTests;

/// <summary>Change tracking and the exact bodies written for create and update.</summary>
public class WriteRecordsTests
{
    private static string Changes(SObject record, SObjectWriteMode mode)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            record.WriteChanges(writer, mode, ReadRecordsTests.Options);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void NewRecord_OnlyAssignedFields_ExplicitNullKept_DescribeOrder()
    {
        var account = new Account { Industry = AccountIndustry.Banking, Name = "Acme", Phone = null };
        Assert.Equal("""{"Name":"Acme","Phone":null,"Industry":"Banking"}""", Changes(account, SObjectWriteMode.Create));
        Assert.Equal(["Name", "Phone", "Industry"], account.ChangedFields);
        Assert.False(account.IsChanged("Website"));
    }

    [Fact]
    public void ReadRecord_StartsClean_ThenTracksEdits()
    {
        var account = JsonSerializer.Deserialize<Account>("""{"attributes":{"type":"Account"},"Id":"001Da00000xnAk6IAE","Name":"Old","Phone":"1","AnnualRevenue":1.5E7,"CreatedDate":"2019-11-19T22:45:48.000+0000"}""", ReadRecordsTests.Options)!;
        Assert.False(account.HasChanges);
        Assert.Equal("{}", Changes(account, SObjectWriteMode.Update));
        Assert.Equal(15_000_000m, account.AnnualRevenue);
        account.Name = "New";
        account.AnnualRevenue = 12.50m;
        Assert.Equal("""{"Name":"New","AnnualRevenue":12.50}""", Changes(account, SObjectWriteMode.Update));
        account.AcceptChanges();
        Assert.False(account.HasChanges);
        Assert.Equal("New", account.Name);
    }

    [Fact]
    public void IdAuditAndFormulaFields_NeverSent()
    {
        var account = JsonSerializer.Deserialize<Account>("""{"Id":"001Da00000xnAk6IAE","CreatedDate":"2019-11-19T22:45:48.000+0000","SystemModstamp":"2019-11-19T22:45:48.000+0000"}""", ReadRecordsTests.Options)!;
        account.MarkAllSetFieldsChanged();
        Assert.Equal("{}", Changes(account, SObjectWriteMode.Create));
        Assert.Equal("{}", Changes(account, SObjectWriteMode.Update));
        Assert.Null(typeof(Account).GetProperty(nameof(Account.CreatedDate))!.SetMethod);
        Assert.Null(typeof(Account).GetProperty(nameof(Account.BillingAddress))!.SetMethod);
        Assert.Null(typeof(Invoice).GetProperty(nameof(Invoice.Total))!.SetMethod);
        Assert.NotNull(typeof(Account).GetProperty(nameof(Account.Name))!.SetMethod);
    }

    [Fact]
    public void CreateOnlyField_LeftOutOfUpdates()
    {
        var contactId = SalesforceId.Parse("0035500001H9kZuAAJ");
        var opportunity = new Opportunity { Name = "Deal", ContactId = contactId, CloseDate = new DateOnly(2025, 3, 31) };
        Assert.Equal("""{"Name":"Deal","CloseDate":"2025-03-31","ContactId":"0035500001H9kZuAAJ"}""", Changes(opportunity, SObjectWriteMode.Create));
        Assert.Equal("""{"Name":"Deal","CloseDate":"2025-03-31"}""", Changes(opportunity, SObjectWriteMode.Update));
    }

    [Fact]
    public void DatesTimesMultiPicklistsAndJson_WrittenInSalesforceForms()
    {
        var invoice = new Invoice
        {
            Name = "INV-1",
            Paid_At = new DateTimeOffset(2024, 1, 2, 5, 4, 5, 7, TimeSpan.FromHours(2)),
            Due_Date = new DateOnly(2024, 2, 29),
            Reminder_Time = new TimeOnly(9, 30),
            Tags = PicklistSet<InvoiceTags>.Of(InvoiceTags.Urgent, InvoiceTags._1stNotice, InvoiceTags.Urgent),
            Status = "Sent",
            Payload = JsonDocument.Parse("""{"k":[1,true]}""").RootElement,
        };
        Assert.Equal(
            """{"Name":"INV-1","Status__c":"Sent","Tags__c":"Urgent;1st Notice","Due_Date__c":"2024-02-29","Paid_At__c":"2024-01-02T03:04:05.007+0000","Reminder_Time__c":"09:30:00.000Z","Payload__c":{"k":[1,true]}}""",
            Changes(invoice, SObjectWriteMode.Create));
    }

    [Fact]
    public void MultiPicklist_ReadsSetAndIsImmutable()
    {
        var invoice = JsonSerializer.Deserialize<Invoice>("""{"Tags__c":"Disputed;Urgent;Brand New"}""", ReadRecordsTests.Options)!;
        Assert.Equal(3, invoice.Tags!.Count);
        Assert.True(invoice.Tags.Contains(InvoiceTags.Urgent));
        Assert.False(invoice.Tags[2].IsKnown);
        var changed = invoice.Tags.Without(InvoiceTags.Disputed);
        Assert.Equal("Disputed;Urgent;Brand New", invoice.Tags.ToString());
        invoice.Tags = changed;
        Assert.Equal("""{"Tags__c":"Urgent;Brand New"}""", Changes(invoice, SObjectWriteMode.Update));
    }

    [Fact]
    public void ParentReference_WrittenAsNestedChanges()
    {
        var invoice = new Invoice { Name = "INV-2", Account_r = new Account { Name = "Acme" } };
        Assert.Equal("""{"Name":"INV-2","Account__r":{"Name":"Acme"}}""", Changes(invoice, SObjectWriteMode.Create));
    }

    [Fact]
    public void UnknownPicklistValue_RoundTrips()
    {
        var invoice = JsonSerializer.Deserialize<Invoice>("""{"Status__c":"Escalated"}""", ReadRecordsTests.Options)!;
        Assert.Equal("Escalated", invoice.Status!.Value.Value);
        Assert.False(invoice.Status.Value.IsKnown);
        invoice.Status = invoice.Status;
        Assert.Equal("""{"Status__c":"Escalated"}""", Changes(invoice, SObjectWriteMode.Update));
    }

    [Fact]
    public void Blob_FromBytes_WrittenAsBase64()
    {
        var document = new Document { Name = "a.txt", Body = SalesforceBlob.FromBytes("hello"u8.ToArray()) };
        Assert.Contains("\"Body\":\"aGVsbG8=\"", Changes(document, SObjectWriteMode.Create), StringComparison.Ordinal);
    }

    [Fact]
    public void FullJson_HasAttributesAndSetFieldsOnly()
    {
        var account = new Account { Name = "Acme" };
        account.Id = SalesforceId.Parse("001Da00000xnAk6IAE");
        Assert.Equal("""{"attributes":{"type":"Account"},"Id":"001Da00000xnAk6IAE","Name":"Acme"}""", JsonSerializer.Serialize(account, ReadRecordsTests.Options));
    }

    /// <summary>
    /// A record's relationships (parent and child records) are held apart from its fields, made when the first is set: a
    /// record without any (every CSV row, most query rows) carries one reference for all of them, not one each.
    /// </summary>
    [Fact]
    public void Relationships_HeldApart_UntilOneIsSet()
    {
        static bool IsRelationship(Type type) => typeof(SObject).IsAssignableFrom(type) || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ChildRecords<>));
        var relationships = typeof(Account).GetProperties().Count(p => IsRelationship(p.PropertyType));
        Assert.True(relationships >= 5, $"Account has {relationships} relationship properties");
        var own = typeof(Account).GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.DeclaredOnly);
        Assert.DoesNotContain(own, f => IsRelationship(f.FieldType));

        var account = new Account { Name = "Acme" };
        Assert.Null(account.Parent);
        Assert.Null(account.Owner);
        account.Parent = new Account { Name = "Holding" };
        Assert.Equal("Holding", account.Parent!.Name);
        Assert.Null(account.Owner);
        Assert.True(account.IsSet("Parent"));
        Assert.False(account.IsSet("ChildAccounts"));
        Assert.Same(account.Parent, account.GetFieldValue("Parent"));
        Assert.Equal("""{"attributes":{"type":"Account"},"Name":"Acme","Parent":{"attributes":{"type":"Account"},"Name":"Holding"}}""", JsonSerializer.Serialize(account, ReadRecordsTests.Options));
        account.Parent = null;
        Assert.Null(account.Parent);
        Assert.True(account.IsSet("Parent"));
    }
}
