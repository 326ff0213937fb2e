using System.Security.Cryptography;
using CommandCenter.Incidents;
using CommandCenter.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CommandCenter.Tests.Incidents;

/// <summary>
/// Incident photos in the real PostgreSQL: the served copy and the upload byte for byte, timed by the injected clock,
/// checked for ownership; photos stored before uploads were cleaned are cleaned when served.
/// </summary>
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
    public async Task A_saved_photo_comes_back_with_both_copies_and_the_time_of_the_clock()
    {
        var incident = Guid.NewGuid();
        var jpeg = TestImages.JpegWithLocation();
        var clean = PhotoImage.Clean(jpeg)!;

        var saved = await _store.Save(incident, clean, "user:worker-1");

        var served = clean.Served.Bytes;
        Assert.Equal((incident, "image/jpeg", served.Length, Convert.ToHexStringLower(SHA256.HashData(served)), "user:worker-1"),
            (saved.IncidentId, saved.MediaType, saved.Size, saved.Sha256, saved.UploadedBy));
        Assert.Equal(DateTimeOffset.Parse("2026-11-23T08:30:00.123456+08:00"), saved.UploadedAt);
        var stored = await _store.Get(saved.Id);
        Assert.Equal(saved, stored!.Attachment);
        Assert.Equal(served, stored.Photo.Served()!.Bytes);
        Assert.Equal("image/jpeg", stored.Photo.Upload().MediaType);
        Assert.Equal(jpeg, stored.Photo.Upload().Bytes);
        Assert.Null(await _store.Get(Guid.NewGuid()));
    }

    [Fact]
    public async Task The_list_is_oldest_first_and_only_the_incidents_own()
    {
        var incident = Guid.NewGuid();
        var first = await _store.Save(incident, Clean(TestImages.Png(red: 1)), "user:duty");
        _clock.Advance(TimeSpan.FromMinutes(1));
        var second = await _store.Save(incident, Clean(TestImages.Heic()), "user:duty");
        await _store.Save(Guid.NewGuid(), Clean(TestImages.Png(red: 3)), "user:duty");

        Assert.Equal(new[] { first, second }, await _store.List(incident));
        Assert.Empty(await _store.List(Guid.NewGuid()));
    }

    [Fact]
    public async Task A_photo_stored_before_uploads_were_cleaned_is_served_without_its_location_and_its_upload_is_kept()
    {
        var incident = Guid.NewGuid();
        var jpeg = TestImages.JpegWithLocation();
        var id = Guid.CreateVersion7();
        await using (var insert = _db.CreateCommand("""
            INSERT INTO cc_attachment (id, incident_id, media_type, size, sha256, content, uploaded_by, uploaded_at)
            VALUES ($1, $2, 'image/jpeg', $3, $4, $5, 'user:duty', now())
            """))
        {
            foreach (var value in new object[] { id, incident, jpeg.Length, Convert.ToHexStringLower(SHA256.HashData(jpeg)), jpeg })
                insert.Parameters.AddWithValue(value);
            await insert.ExecuteNonQueryAsync();
        }

        var stored = (await _store.Get(id))!.Photo;

        Assert.Null(stored.Original);
        var served = stored.Served()!;
        Assert.Equal("image/jpeg", served.MediaType);
        Assert.Equal(new TestImages.Metadata(null, null, false), TestImages.MetadataOf(served.Bytes));
        Assert.Equal(TestImages.SizeOf(jpeg), TestImages.SizeOf(served.Bytes));
        Assert.Equal(jpeg, stored.Upload().Bytes);
    }

    [Fact]
    public async Task All_belong_to_is_true_only_when_every_id_is_a_photo_of_that_incident()
    {
        var incident = Guid.NewGuid();
        var a = (await _store.Save(incident, Clean(TestImages.Png(red: 1)), "user:duty")).Id;
        var b = (await _store.Save(incident, Clean(TestImages.Png(red: 2)), "user:duty")).Id;
        var elsewhere = (await _store.Save(Guid.NewGuid(), Clean(TestImages.Png(red: 3)), "user:duty")).Id;

        Assert.True(await _store.AllBelongTo(incident, [a, b]));
        Assert.True(await _store.AllBelongTo(incident, [a, a]));
        Assert.True(await _store.AllBelongTo(incident, []));
        Assert.False(await _store.AllBelongTo(incident, [a, elsewhere]));
        Assert.False(await _store.AllBelongTo(incident, [a, Guid.NewGuid()]));
    }

    private static CleanPhoto Clean(byte[] image) => PhotoImage.Clean(image)!;
}
