using System.Globalization;
using Sdk.Emulator.Schema;

namespace Sdk.Emulator.Data;

/// <summary>
/// Deterministic sample data (the same seed gives the same records): users, accounts with contacts, opportunities, cases,
/// leads, invoices, tasks and events; and a generator of N records of any object for load tests.
/// </summary>
internal static class SeedData
{
    private static readonly string[] FirstNames = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Margaret", "Dennis", "Radia", "Tim"];
    private static readonly string[] LastNames = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Hamilton", "Ritchie", "Perlman", "Berners-Lee"];
    private static readonly string[] Companies = ["Acme", "Globex", "Initech", "Umbrella", "Stark Industries", "Wayne Enterprises", "Wonka", "Soylent", "Tyrell", "Cyberdyne", "Hooli", "Vandelay"];
    private static readonly string[] Cities = ["San Francisco", "London", "Paris", "Tokyo", "Berlin", "Toronto", "Sydney", "Madrid"];

    public static void Populate(OrgStore store, int seed)
    {
        var random = new Random(seed);
        var now = store.Time.GetUtcNow();
        var users = new List<string> { store.UserId };
        if (store.Schema.Find("User") is { } user)
        {
            string? manager = store.UserId;
            for (var i = 0; i < 4; i++)
            {
                var first = FirstNames[(i + seed) % FirstNames.Length];
                var last = LastNames[(i * 5 + seed) % LastNames.Length];
                var values = Values(user, ("Username", $"{first}.{last}{i}@local.org".ToLowerInvariant()), ("FirstName", first), ("LastName", last),
                    ("Email", $"{first}.{last}@local.org".ToLowerInvariant()), ("IsActive", i != 3), ("ManagerId", manager));
                manager = store.Insert(user, values).Id;
                users.Add(manager);
            }
        }

        if (store.Schema.Find("RecordType") is { } recordType)
        {
            foreach (var (type, name) in new[] { ("Account", "Customer"), ("Account", "Partner"), ("Opportunity", "New_Business") })
            {
                store.Insert(recordType, Values(recordType, ("Name", name.Replace('_', ' ')), ("DeveloperName", name), ("SobjectType", type), ("IsActive", true)));
            }
        }

        var accounts = new List<string>();
        if (store.Schema.Find("Account") is { } account)
        {
            for (var i = 0; i < 12; i++)
            {
                var values = Values(account,
                    ("Name", $"{Companies[i]} {(i < Companies.Length ? string.Empty : i.ToString(CultureInfo.InvariantCulture))}".Trim()),
                    ("Industry", Pick(account, "Industry", random)),
                    ("Type", Pick(account, "Type", random)),
                    ("Rating", Pick(account, "Rating", random)),
                    ("AnnualRevenue", (decimal)(random.Next(1, 500) * 100_000)),
                    ("NumberOfEmployees", (decimal)random.Next(5, 20_000)),
                    ("BillingCity", Cities[random.Next(Cities.Length)]),
                    ("BillingCountry", "US"),
                    ("Phone", $"(415) 555-{random.Next(1000, 9999)}"),
                    ("Website", $"https://{Companies[i].ToLowerInvariant().Replace(' ', '-')}.example.com"),
                    ("ParentId", i > 8 ? accounts[0] : null),
                    ("OwnerId", users[random.Next(users.Count)]));
                accounts.Add(store.Insert(account, values).Id);
            }
        }

        var contacts = new List<string>();
        if (store.Schema.Find("Contact") is { } contact)
        {
            foreach (var accountId in accounts)
            {
                var n = random.Next(2, 5);
                for (var i = 0; i < n; i++)
                {
                    var first = FirstNames[random.Next(FirstNames.Length)];
                    var last = LastNames[random.Next(LastNames.Length)];
                    var values = Values(contact, ("FirstName", first), ("LastName", last), ("AccountId", accountId),
                        ("Email", $"{first}.{last}{contacts.Count}@example.com".ToLowerInvariant()), ("Title", i == 0 ? "CEO" : "Engineer"),
                        ("LeadSource", Pick(contact, "LeadSource", random)), ("Birthdate", new DateOnly(1950 + random.Next(50), random.Next(1, 13), random.Next(1, 29))),
                        ("MailingCity", Cities[random.Next(Cities.Length)]), ("OwnerId", users[random.Next(users.Count)]));
                    contacts.Add(store.Insert(contact, values).Id);
                }
            }
        }

        var opportunities = new List<string>();
        if (store.Schema.Find("Opportunity") is { } opportunity)
        {
            foreach (var accountId in accounts)
            {
                var n = random.Next(1, 4);
                for (var i = 0; i < n; i++)
                {
                    var values = Values(opportunity, ("Name", $"Deal {opportunities.Count + 1}"), ("AccountId", accountId), ("StageName", Pick(opportunity, "StageName", random) ?? "Prospecting"),
                        ("CloseDate", DateOnly.FromDateTime(now.UtcDateTime).AddDays(random.Next(-120, 180))), ("Amount", (decimal)(random.Next(1, 200) * 1000)),
                        ("Probability", (decimal)random.Next(0, 101)), ("Type", Pick(opportunity, "Type", random)), ("OwnerId", users[random.Next(users.Count)]));
                    opportunities.Add(store.Insert(opportunity, values).Id);
                }
            }
        }

        if (store.Schema.Find("Case") is { } @case)
        {
            for (var i = 0; i < 10; i++)
            {
                store.Insert(@case, Values(@case, ("Subject", $"Case {i + 1}: cannot log in"), ("Status", Pick(@case, "Status", random)), ("Priority", Pick(@case, "Priority", random)),
                    ("Origin", Pick(@case, "Origin", random)), ("AccountId", accounts.Count > 0 ? accounts[random.Next(accounts.Count)] : null),
                    ("ContactId", contacts.Count > 0 ? contacts[random.Next(contacts.Count)] : null)));
            }
        }

        if (store.Schema.Find("Lead") is { } lead)
        {
            for (var i = 0; i < 8; i++)
            {
                store.Insert(lead, Values(lead, ("FirstName", FirstNames[random.Next(FirstNames.Length)]), ("LastName", LastNames[random.Next(LastNames.Length)]),
                    ("Company", Companies[random.Next(Companies.Length)] + " Labs"), ("Status", Pick(lead, "Status", random)), ("Industry", Pick(lead, "Industry", random))));
            }
        }

        if (store.Schema.Find("Invoice__c") is { } invoice)
        {
            for (var i = 0; i < 10; i++)
            {
                store.Insert(invoice, Values(invoice, ("Name", $"INV-{1000 + i}"), ("Account__c", accounts.Count > 0 ? accounts[i % accounts.Count] : null),
                    ("Status__c", Pick(invoice, "Status__c", random)), ("Amount__c", (decimal)random.Next(100, 10_000)), ("External_Id__c", $"EXT-{1000 + i}"),
                    ("Due_Date__c", DateOnly.FromDateTime(now.UtcDateTime).AddDays(random.Next(-30, 60)))));
            }
        }

        if (store.Schema.Find("Task") is { } task)
        {
            for (var i = 0; i < 10; i++)
            {
                store.Insert(task, Values(task, ("Subject", $"Call {i + 1}"), ("Status", Pick(task, "Status", random)),
                    ("WhatId", i % 2 == 0 && accounts.Count > 0 ? accounts[random.Next(accounts.Count)] : opportunities.Count > 0 ? opportunities[random.Next(opportunities.Count)] : null),
                    ("WhoId", contacts.Count > 0 ? contacts[random.Next(contacts.Count)] : null), ("ActivityDate", DateOnly.FromDateTime(now.UtcDateTime).AddDays(random.Next(-10, 10)))));
            }
        }

        if (store.Schema.Find("Event") is { } @event)
        {
            for (var i = 0; i < 6; i++)
            {
                var start = now.AddDays(random.Next(-5, 15)).AddHours(random.Next(8, 17));
                store.Insert(@event, Values(@event, ("Subject", "Meeting"), ("StartDateTime", start), ("EndDateTime", start.AddHours(1)), ("ActivityDateTime", start),
                    ("DurationInMinutes", 60m), ("ActivityDate", DateOnly.FromDateTime(start.UtcDateTime)),
                    ("WhoId", contacts.Count > 0 && i % 3 != 2 ? contacts[random.Next(contacts.Count)] : null),
                    ("WhatId", i % 2 == 0 && accounts.Count > 0 ? accounts[random.Next(accounts.Count)] : opportunities.Count > 0 ? opportunities[random.Next(opportunities.Count)] : null)));
            }
        }
    }

    /// <summary>N records of an object, with every required field and the name filled, for load tests.</summary>
    public static List<string> Generate(OrgStore store, ObjectSchema schema, int count, int seed)
    {
        var random = new Random(seed);
        var ids = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var values = new Dictionary<FieldSchema, object?>();
            foreach (var field in schema.Fields)
            {
                var wanted = (field.Createable && !field.Nillable && !field.DefaultedOnCreate && field.Type != "boolean") || field.NameField
                    || (field.Createable && field.Name is "LastName" or "Name" or "Subject");
                if (!wanted || !field.Createable)
                {
                    continue;
                }

                values[field] = field.Type switch
                {
                    "string" or "textarea" => Truncate($"{schema.Label} {i:D6}", field.Length),
                    "email" => $"record{i}@example.com",
                    "picklist" or "multipicklist" or "combobox" => field.PicklistValues.FirstOrDefault(p => p.Active)?.Value ?? "Value",
                    "int" or "double" or "currency" or "percent" => (decimal)random.Next(0, 1000),
                    "date" => new DateOnly(2024, 1, 1).AddDays(random.Next(0, 365)),
                    "datetime" => new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(0, 525_600)),
                    "reference" when field.ReferenceTo.Contains("User") => store.UserId,
                    _ => null,
                };
            }

            ids.Add(store.Insert(schema, values).Id);
        }

        return ids;
    }

    private static string Truncate(string text, int length) => length > 0 && text.Length > length ? text[..length] : text;

    /// <summary>A random active value of a picklist field (null when the object has no such field).</summary>
    private static string? Pick(ObjectSchema schema, string field, Random random)
    {
        var values = schema.Field(field)?.PicklistValues.Where(p => p.Active).ToList();
        return values is { Count: > 0 } ? values[random.Next(values.Count)].Value : null;
    }

    /// <summary>The named values for the fields the object has (others are skipped, so a trimmed schema still seeds).</summary>
    private static Dictionary<FieldSchema, object?> Values(ObjectSchema schema, params (string Field, object? Value)[] values)
    {
        var result = new Dictionary<FieldSchema, object?>();
        foreach (var (name, value) in values)
        {
            if (schema.Field(name) is { } field && value is not null)
            {
                result[field] = value;
            }
        }

        return result;
    }
}
