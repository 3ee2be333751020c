using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.NetworkInformation;
using System.Numerics;
using System.Text.Json;
using System.Threading.Tasks;
using ConformanceShop;
using RlsSchema.EfCore.Conformance.Tests.Infrastructure;
using RlsSchema.Npgsql;
using RlsSchema.Testing;
using Xunit;

namespace RlsSchema.EfCore.Conformance.Tests;

/// <summary>The types the Npgsql EF Core provider maps go through the generated repositories and come back unchanged.</summary>
[Collection(ConformanceCollection.Name)]
public sealed class RoundTripTests(ConformanceFixture fixture) : IAsyncLifetime
{
    private RlsDataSource _dataSource = null!;

    public Task InitializeAsync()
    {
        _dataSource = fixture.RlsSchemaDatabase.CreateDataSource(fixture.Issuer.ValidationOptions);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task Arrays_lists_addresses_chars_and_ulongs_round_trip_through_the_repository()
    {
        await using var session = await _dataSource.OpenSessionAsync(fixture.Issuer.IssueToken(DevTokenIssuer.NewUserId()));
        var devices = new DeviceRepository(session);
        var device = new Device
        {
            OwnerId = "",
            Tags = ["edge", "eu-west", "ünïcödé"],
            Aliases = ["router", "gw"],
            Ports = [22, 443],
            Readings = [0.5, -1.25, double.MaxValue],
            Address = IPAddress.Parse("2001:db8::1"),
            Gateway = IPAddress.Parse("192.0.2.1"),
            MacAddress = PhysicalAddress.Parse("00-1A-2B-3C-4D-5E"),
            Grade = 'Ä',
            Revision = 'b',
            PacketsSent = ulong.MaxValue,
            Sha256Hash = "e3b0c442",
            Utf8Label = null,
        };
        device.OwnerId = await CurrentUserAsync(session);

        var inserted = await devices.InsertAsync(device);
        var read = await devices.GetAsync(inserted.ID);

        Assert.NotNull(read);
        Assert.True(read.ID > 0);
        Assert.Equal(device.Tags, read.Tags);
        Assert.Equal(device.Aliases, read.Aliases);
        Assert.Equal(device.Ports, read.Ports);
        Assert.Equal(device.Readings, read.Readings);
        Assert.Equal(device.Address, read.Address);
        Assert.Equal(device.Gateway, read.Gateway);
        Assert.Equal(device.MacAddress, read.MacAddress);
        Assert.Equal('Ä', read.Grade);
        Assert.Equal('b', read.Revision);
        Assert.Equal(ulong.MaxValue, read.PacketsSent);
        Assert.Null(read.Utf8Label);

        read.Tags = [];
        read.Aliases.Add("core");
        read.Ports = null;
        read.Gateway = null;
        read.Revision = null;
        read.PacketsSent = 0;
        var updated = await devices.UpdateAsync(read);

        Assert.NotNull(updated);
        Assert.Empty(updated.Tags);
        Assert.Equal(["router", "gw", "core"], updated.Aliases);
        Assert.Null(updated.Ports);
        Assert.Null(updated.Gateway);
        Assert.Null(updated.Revision);
        Assert.Equal(0UL, updated.PacketsSent);
    }

    [Fact]
    public async Task Json_big_integers_enum_lists_and_server_made_guids_round_trip_through_the_repository()
    {
        await using var session = await _dataSource.OpenSessionAsync(fixture.Issuer.IssueToken(DevTokenIssuer.NewUserId()));
        var events = new AuditEventRepository(session);
        var huge = BigInteger.Parse("123456789012345678901234567890123456789");
        var audit = new AuditEvent
        {
            OwnerId = await CurrentUserAsync(session),
            Source = "billing",
            Action = "refund",
            Payload = JsonDocument.Parse("""{"amount": 12.5, "lines": [1, 2]}"""),
            Context = JsonDocument.Parse("""{"ip": "192.0.2.1"}""").RootElement,
            Extra = null,
            Sequence = huge,
            Statuses = [OrderStatus.Paid, OrderStatus.Shipped],
            Flags = [true, false],
            OccurredAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        };

        var inserted = await events.InsertAsync(audit);
        var read = await events.GetAsync(inserted.Id);

        Assert.NotNull(read);
        Assert.NotEqual(Guid.Empty, read.Id);
        Assert.Equal(12.5m, read.Payload.RootElement.GetProperty("amount").GetDecimal());
        Assert.Equal(2, read.Payload.RootElement.GetProperty("lines").GetArrayLength());
        Assert.Equal("192.0.2.1", read.Context.GetProperty("ip").GetString());
        Assert.Null(read.Extra);
        Assert.Equal(huge, read.Sequence);
        Assert.Equal([OrderStatus.Paid, OrderStatus.Shipped], read.Statuses);
        Assert.Equal([true, false], read.Flags);
        Assert.Equal(audit.OccurredAt, read.OccurredAt);

        read.Extra = JsonDocument.Parse("[1, \"two\"]").RootElement;
        read.Statuses = null;
        read.Sequence = -huge;
        var updated = await events.UpdateAsync(read);

        Assert.NotNull(updated);
        Assert.Equal(JsonValueKind.Array, updated.Extra!.Value.ValueKind);
        Assert.Equal("two", updated.Extra.Value[1].GetString());
        Assert.Null(updated.Statuses);
        Assert.Equal(-huge, updated.Sequence);
    }

    [Fact]
    public async Task A_row_EF_Core_writes_into_RlsSchemas_tables_is_seen_by_its_owner_and_no_one_else()
    {
        string userId = DevTokenIssuer.NewUserId();
        var device = new Device
        {
            OwnerId = userId,
            Tags = ["written", "by-ef"],
            Aliases = ["ef"],
            Readings = [1.5],
            Address = IPAddress.Parse("198.51.100.7"),
            MacAddress = PhysicalAddress.Parse("01-23-45-67-89-AB"),
            Grade = 'E',
            PacketsSent = 42,
            Sha256Hash = "abc",
        };
        await using (var context = new ConformanceContext(fixture.RlsSchemaDatabase.OwnerConnectionString))
        {
            context.Add(device);
            await context.SaveChangesAsync();
        }

        await using var session = await _dataSource.OpenSessionAsync(fixture.Issuer.IssueToken(userId));
        var mine = await new DeviceRepository(session).ListMineAsync();

        var read = Assert.Single(mine);
        Assert.Equal(device.ID, read.ID);
        Assert.Equal(["written", "by-ef"], read.Tags);
        Assert.Equal(IPAddress.Parse("198.51.100.7"), read.Address);
        Assert.Equal('E', read.Grade);
        Assert.Equal(42UL, read.PacketsSent);

        await using var stranger = await _dataSource.OpenSessionAsync(fixture.Issuer.IssueToken(DevTokenIssuer.NewUserId()));
        Assert.Null(await new DeviceRepository(stranger).GetAsync(device.ID));
    }

    [Fact]
    public async Task A_session_reads_and_writes_the_new_scalar_types_without_a_repository()
    {
        await using var session = await _dataSource.OpenAnonymousSessionAsync();

        var row = await session.QuerySingleOrDefaultAsync<ScalarRow>(
            """
            SELECT @Address AS "Address", @Mac AS "Mac", @Document AS "Document", @Element AS "Element",
                   CAST(@Huge AS text) AS "Huge", @Big AS "Big", @Grade AS "Grade"
            """,
            new
            {
                Address = IPAddress.Parse("10.1.2.3"),
                Mac = PhysicalAddress.Parse("AA-BB-CC-DD-EE-FF"),
                Document = JsonDocument.Parse("""{"a": [1, 2]}"""),
                Element = JsonDocument.Parse("\"text\"").RootElement,
                Huge = BigInteger.Pow(10, 40),
                Big = ulong.MaxValue - 1,
                Grade = 'z',
            },
            default);

        Assert.NotNull(row);
        Assert.Equal(IPAddress.Parse("10.1.2.3"), row.Address);
        Assert.Equal(PhysicalAddress.Parse("AA-BB-CC-DD-EE-FF"), row.Mac);
        Assert.Equal(2, row.Document.RootElement.GetProperty("a").GetArrayLength());
        Assert.Equal("text", row.Element.GetString());
        Assert.Equal(BigInteger.Pow(10, 40), row.Huge);
        Assert.Equal(ulong.MaxValue - 1, row.Big);
        Assert.Equal('z', row.Grade);
    }

    public sealed class ScalarRow
    {
        public IPAddress Address { get; set; } = IPAddress.None;

        public PhysicalAddress Mac { get; set; } = PhysicalAddress.None;

        public JsonDocument Document { get; set; } = null!;

        public JsonElement Element { get; set; }

        public BigInteger Huge { get; set; }

        public ulong Big { get; set; }

        public char Grade { get; set; }
    }

    private static async Task<string> CurrentUserAsync(RlsSession session) =>
        (await session.QuerySingleOrDefaultAsync<string>("SELECT auth.user_id()", null, default))!;
}
