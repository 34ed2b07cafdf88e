using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sdk.Benchmarks.Runtime;

/// <summary>A 2,000-record Account query page synthesized from a real captured page (its field shapes and nulls).</summary>
public static class AccountPage
{
    public static byte[] Create(int records)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "query", "cumulusci", "TestDatasetsE2E.test_datasets_e2e__02_GET_query_200.json");
        var real = JsonNode.Parse(File.ReadAllText(path))!["records"]!.AsArray();
        var list = new JsonArray();
        for (var i = 0; i < records; i++)
        {
            var record = real[i % real.Count]!.DeepClone().AsObject();
            var id = Sdk.Runtime.Records.SalesforceId.Parse($"001Da{i:D10}").Value;
            record["attributes"]!["url"] = "/services/data/v66.0/sobjects/Account/" + id;
            record["Id"] = id;
            record["Name"] = $"Account {i} – Ünïcode & \"quotes\"";
            record["AnnualRevenue"] = i * 1000.5;
            record["NumberOfEmployees"] = i % 5000;
            record["BillingCity"] = i % 3 == 0 ? null : "San Francisco";
            record["Phone"] = i % 2 == 0 ? "(415) 555-0100" : null;
            record["Website"] = "https://example.com/" + i;
            list.Add(record);
        }

        var page = new JsonObject { ["totalSize"] = records, ["done"] = true, ["records"] = list };
        return JsonSerializer.SerializeToUtf8Bytes(page);
    }
}

/// <summary>A caller's own type for the same records.</summary>
public sealed class AccountRow
{
    public string? Id { get; set; }
    public string? AccountNumber { get; set; }
    public string? AccountSource { get; set; }
    public decimal? AnnualRevenue { get; set; }
    public string? BillingCity { get; set; }
    public string? BillingCountry { get; set; }
    public string? BillingGeocodeAccuracy { get; set; }
    public double? BillingLatitude { get; set; }
    public double? BillingLongitude { get; set; }
    public string? BillingPostalCode { get; set; }
    public string? BillingState { get; set; }
    public string? BillingStreet { get; set; }
    public string? CleanStatus { get; set; }
    public string? DunsNumber { get; set; }
    public string? Fax { get; set; }
    public string? Industry { get; set; }
    public string? Jigsaw { get; set; }
    public string? NaicsCode { get; set; }
    public string? NaicsDesc { get; set; }
    public string? Name { get; set; }
    public int? NumberOfEmployees { get; set; }
    public string? Ownership { get; set; }
    public string? Phone { get; set; }
    public string? Rating { get; set; }
    public string? RecordTypeId { get; set; }
    public string? ShippingCity { get; set; }
    public string? ShippingCountry { get; set; }
    public string? ShippingGeocodeAccuracy { get; set; }
    public double? ShippingLatitude { get; set; }
    public double? ShippingLongitude { get; set; }
    public string? ShippingPostalCode { get; set; }
    public string? ShippingState { get; set; }
    public string? ShippingStreet { get; set; }
    public string? Sic { get; set; }
    public string? SicDesc { get; set; }
    public string? Site { get; set; }
    public string? TickerSymbol { get; set; }
    public string? Tradestyle { get; set; }
    public string? Type { get; set; }
    public string? Website { get; set; }
    public int? YearStarted { get; set; }
    public string? ParentId { get; set; }
}
