using System.Security.Cryptography;
using CommandCenter.Incidents;
using CommandCenter.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CommandCenter.Tests.Incidents;

/// <summary>Incident photos in the real PostgreSQL: kept byte for byte, timed by the injected clock, checked for ownership.</summary>
public sealed class AttachmentStoreTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-23T08:30:00.1234567+08:00").ToUniversalTime());
    private NpgsqlDataSource _db = null!;
    private AttachmentStore _store = null!;

    public async Task InitializeAsync()
    {
        await TestEnvironment.EnsureSchema();
        _db = NpgsqlDataSource.Create(TestEnvironment.Postgres);
        _store = new AttachmentStore(_db, _clock);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_saved_photo_comes_back_with_its_bytes_and_the_time_of_the_clock()
    {
        var incident = Guid.NewGuid();
        var png = TestImages.Png();

        var saved = await _store.Save(incident, png, "user:worker-1");

        Assert.Equal((incident, "image/png", png.Length, Convert.ToHexStringLower(SHA256.HashData(png)), "user:worker-1"),
            (saved.IncidentId, saved.MediaType, saved.Size, saved.Sha256, saved.UploadedBy));
        Assert.Equal(DateTimeOffset.Parse("2026-11-23T08:30:00.123456+08:00"), saved.UploadedAt);
        var stored = await _store.Get(saved.Id);
        Assert.Equal(saved, stored!.Attachment);
        Assert.Equal(png, stored.Bytes);
        Assert.Null(await _store.Get(Guid.NewGuid()));
    }

    [Fact]
    public async Task The_list_is_oldest_first_and_only_the_incidents_own()
    {
        var incident = Guid.NewGuid();
        var first = await _store.Save(incident, TestImages.Png(red: 1), "user:duty");
        _clock.Advance(TimeSpan.FromMinutes(1));
        var second = await _store.Save(incident, TestImages.Heif("heic", "mif1"), "user:duty");
        await _store.Save(Guid.NewGuid(), TestImages.Png(red: 3), "user:duty");

        Assert.Equal(new[] { first, second }, await _store.List(incident));
        Assert.Empty(await _store.List(Guid.NewGuid()));
    }

    [Fact]
    public async Task Bytes_that_are_not_a_jpeg_png_or_heic_are_refused()
    {
        var incident = Guid.NewGuid();

        await Assert.ThrowsAsync<ArgumentException>(() => _store.Save(incident, "<svg/>"u8.ToArray(), "user:duty"));
        Assert.Empty(await _store.List(incident));
    }

    [Fact]
    public async Task All_belong_to_is_true_only_when_every_id_is_a_photo_of_that_incident()
    {
        var incident = Guid.NewGuid();
        var a = (await _store.Save(incident, TestImages.Png(red: 1), "user:duty")).Id;
        var b = (await _store.Save(incident, TestImages.Png(red: 2), "user:duty")).Id;
        var elsewhere = (await _store.Save(Guid.NewGuid(), TestImages.Png(red: 3), "user:duty")).Id;

        Assert.True(await _store.AllBelongTo(incident, [a, b]));
        Assert.True(await _store.AllBelongTo(incident, [a, a]));
        Assert.True(await _store.AllBelongTo(incident, []));
        Assert.False(await _store.AllBelongTo(incident, [a, elsewhere]));
        Assert.False(await _store.AllBelongTo(incident, [a, Guid.NewGuid()]));
    }
}
