using Sdk.Generator.OutputTests.Org;
using Sdk.Runtime.Records;

namespace Sdk.Generator.OutputTests;

public class MetadataTests
{
    [Fact]
    public void ObjectMetadata_FromDescribe()
    {
        var m = Account.Metadata;
        Assert.Equal("Account", Account.SObjectName);
        Assert.Equal("Account", m.ApiName);
        Assert.Equal("001", m.KeyPrefix);
        Assert.True(m.Createable && m.Updateable && m.Deletable && m.Queryable);
        Assert.False(m.Custom);
        Assert.Equal(68, m.Fields.Count);
        Assert.Equal(SalesforceId.Parse("012000000000000AAA"), Account.RecordTypes.Master);
        Assert.Equal(SalesforceId.Parse("01254000001upcKAAQ"), m.RecordTypeIds["Household"]);
        Assert.Contains(m.ChildRelationships, c => c.RelationshipName == "Contacts" && c.ChildSObject == "Contact" && c.MemberName == "Contacts");
        Assert.DoesNotContain(m.ChildRelationships, c => c.ChildSObject == "AccountChangeEvent");
        Assert.Contains(m.ParentRelationships, p => p.RelationshipName == "Parent" && p.Field == "ParentId" && !p.Polymorphic);
        Assert.Same(Account.Fields.Name, m.FindField("name"));
    }

    [Fact]
    public void FieldMetadata_EveryAttribute()
    {
        var name = Account.Fields.Name;
        Assert.Equal("Name", name.ApiName);
        Assert.Equal("Account Name", name.Label);
        Assert.Equal(SalesforceFieldType.String, name.Type);
        Assert.Equal(255, name.Length);
        Assert.True(name.Filterable && name.Sortable && name.Groupable && name.NameField && name.Createable && name.Updateable);
        Assert.False(name.Nillable);
        var owner = Event.Fields.WhatId;
        Assert.True(owner.Polymorphic);
        Assert.Equal("What", owner.RelationshipName);
        Assert.True(owner.ReferenceTo.Count > 1);
        Assert.Equal("ns_Description", Account.Fields.ns_Description.MemberName);
        Assert.Equal("ns__Description__c", Account.Fields.ns_Description.ApiName);
        var total = Invoice.Fields.Total;
        Assert.True(total.Calculated);
        Assert.False(total.Createable || total.Updateable);
        Assert.Equal(SalesforceFieldType.Currency, total.Type);
        Assert.Equal(2, total.Scale);
        Assert.True(Invoice.Fields.External_Id.ExternalId && Invoice.Fields.External_Id.IdLookup);
    }

    [Fact]
    public void Picklists_KnownValuesFlagsAndDependencies()
    {
        Assert.Equal(["Draft", "Sent", "Paid", "Void"], InvoiceStatus.KnownValues.Select(v => v.Value));
        Assert.True(InvoiceStatus.IsRestricted);
        Assert.False(InvoiceRegion.IsRestricted);
        Assert.True(InvoiceStatus.Draft.IsDefault);
        Assert.False(InvoiceStatus.Void.IsActive);
        Assert.Equal("First notice", InvoiceTags._1stNotice.Label);
        Assert.Equal("Region__c", InvoiceTerritory.ControllingField);
        Assert.Equal([InvoiceTerritory.Oslo, InvoiceTerritory.Anywhere], InvoiceTerritory.ValidFor(InvoiceRegion.North));
        Assert.Equal([InvoiceTerritory.Boston, InvoiceTerritory.Anywhere], InvoiceTerritory.ValidFor(InvoiceRegion.EastWest));
        Assert.Empty(InvoiceTerritory.ValidFor(InvoiceRegion.FromValue("Atlantis")));
        var field = Invoice.Fields.Territory;
        Assert.True(field.DependentPicklist);
        Assert.Equal("Region__c", field.ControllerName);
        Assert.Equal(["North", "South", "East & West"], field.PicklistValues.Single(p => p.Value == "Anywhere").ValidFor);
    }

    [Fact]
    public void Registry_RegisteredAtModuleLoad()
    {
        Assert.Equal(typeof(Account), SalesforceTypeRegistry.GetRecordType("Account"));
        Assert.Equal(typeof(Invoice), SalesforceTypeRegistry.GetRecordType("Invoice__c"));
        Assert.Contains(SalesforceSchema.Default, SalesforceTypeRegistry.Registries);
        Assert.Equal(12, SalesforceSchema.Default.Objects.Count);
        Assert.IsType<Lead>(SalesforceSchema.Default.CreateRecord("Lead"));
        Assert.Null(SalesforceSchema.Default.CreateRecord("Nope__c"));
    }
}
