using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using CommandCenter.Access;
using CommandCenter.Geography;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Web.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommandCenter.Tests.Web;

/// <summary>
/// Photos of incidents: accepted when they decode, served inert, without location and device metadata and only within
/// the caller's jurisdiction; the upload byte for byte only to the roles that may have it, audited.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class AttachmentsApiTests(WebFixture web)
{
    private int MaxBytes => web.Services.GetRequiredService<IOptions<AttachmentOptions>>().Value.MaxBytes;

    [Theory]
    [InlineData("png", "image/jpeg")]
    [InlineData("png", null)]
    [InlineData("jpeg", "application/octet-stream")]
    public async Task A_photo_is_served_decoded_anew_typed_by_its_content_and_inert(string kind, string? declaredType)
    {
        var bytes = kind == "png" ? TestImages.Png() : TestImages.Jpeg();
        var mediaType = $"image/{kind}";
        var incident = await IncidentInFirstTownship($"附件 {kind}");

        using var upload = await web.Http.SendAsync(Upload(incident, bytes, declaredType, "photo.jpg"));

        var created = await Created(upload);
        Assert.Equal($"/api/attachments/{created.Id}", upload.Headers.Location!.OriginalString);
        Assert.Equal((incident, mediaType, "user:duty", $"/api/attachments/{created.Id}"),
            (created.IncidentId, created.MediaType, created.UploadedBy, created.Url));

        using var station = await web.ClientAs("station-1");
        using var download = await station.GetAsync(created.Url);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var served = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal((created.Size, created.Sha256), (served.Length, Convert.ToHexStringLower(SHA256.HashData(served))));
        Assert.Equal(TestImages.SizeOf(bytes), TestImages.SizeOf(served));
        Assert.Equal(mediaType, download.Content.Headers.ContentType!.ToString());
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("sandbox; default-src 'none'", download.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal((true, TimeSpan.FromHours(1)), (download.Headers.CacheControl!.Private, download.Headers.CacheControl.MaxAge));
        Assert.Equal("inline", download.Content.Headers.ContentDisposition!.DispositionType);

        var listed = await station.GetFromJsonAsync<List<CommandCenter.Web.Application.AttachmentInfo>>($"/api/incidents/{incident}/attachments", Json.Options);
        Assert.Equal(new[] { created }, listed!);
    }

    [Fact]
    public async Task A_phone_photo_is_served_without_its_location_and_serial_and_only_the_county_center_has_it_as_uploaded_audited()
    {
        var jpeg = TestImages.JpegWithLocation();
        var incident = await IncidentInFirstTownship("带定位的照片");
        var created = await Created(await web.Http.SendAsync(Upload(incident, jpeg)));
        using var station = await web.ClientAs("station-1");
        using var worker = await web.ClientAs("worker-1");

        foreach (var client in new[] { station, web.Http })
        {
            var served = await client.GetByteArrayAsync(created.Url);
            Assert.Equal(new TestImages.Metadata(null, null, false), TestImages.MetadataOf(served));
            Assert.DoesNotContain(TestImages.Serial, System.Text.Encoding.Latin1.GetString(served));
            Assert.Equal((64u, 48u), TestImages.SizeOf(served));
        }
        foreach (var client in new[] { station, worker })
        {
            using var refused = await client.GetAsync(created.Url + "?original=true");
            await ProblemAssert.Is(refused, HttpStatusCode.Forbidden, "original");
        }

        using var original = await web.Http.GetAsync(created.Url + "?original=true");

        Assert.Equal(HttpStatusCode.OK, original.StatusCode);
        var bytes = await original.Content.ReadAsByteArrayAsync();
        Assert.Equal(jpeg, bytes);
        Assert.Equal(new TestImages.Metadata((TestImages.Latitude, TestImages.Longitude), TestImages.Serial, true), TestImages.MetadataOf(bytes));
        Assert.Equal("image/jpeg", original.Content.Headers.ContentType!.ToString());
        Assert.True(original.Headers.CacheControl!.NoStore);
        var rows = await web.Admin.GetFromJsonAsync<List<AuditEntry>>(
            $"/api/audit?actor=user:duty&action={AuditActions.ReadPhotoOriginal}&target={Uri.EscapeDataString(created.Url)}", Json.Options);
        Assert.Single(rows!);
        var refusedRows = await web.Admin.GetFromJsonAsync<List<AuditEntry>>(
            $"/api/audit?actor=user:station-1&action={AuditActions.ReadPhotoOriginal}", Json.Options);
        Assert.Empty(refusedRows!);
    }

    [Fact]
    public async Task A_heic_is_served_as_a_jpeg_and_stays_a_heic_as_uploaded()
    {
        var heic = TestImages.Heic();
        var incident = await IncidentInFirstTownship("HEIC 照片");

        var created = await Created(await web.Http.SendAsync(Upload(incident, heic, "image/heic")));

        Assert.Equal("image/jpeg", created.MediaType);
        using var served = await web.Http.GetAsync(created.Url);
        Assert.Equal("image/jpeg", served.Content.Headers.ContentType!.ToString());
        Assert.Equal((64u, 48u), TestImages.SizeOf(await served.Content.ReadAsByteArrayAsync()));
        using var original = await web.Http.GetAsync(created.Url + "?original=true");
        Assert.Equal("image/heic", original.Content.Headers.ContentType!.ToString());
        Assert.Equal(heic, await original.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("")]
    public async Task Original_other_than_true_or_false_is_a_400_naming_it(string value)
    {
        var incident = await IncidentInFirstTownship("original 参数");
        var created = await Created(await web.Http.SendAsync(Upload(incident, TestImages.Png())));

        await ProblemAssert.Is(await web.Http.GetAsync($"{created.Url}?original={value}"), HttpStatusCode.BadRequest, "original");
        Assert.Equal(HttpStatusCode.OK, (await web.Http.GetAsync($"{created.Url}?original=false")).StatusCode);
    }

    [Fact]
    public async Task Photos_are_listed_oldest_first()
    {
        var incident = await IncidentInFirstTownship("多张照片");
        var first = await Created(await web.Http.SendAsync(Upload(incident, TestImages.Png(red: 1))));
        var second = await Created(await web.Http.SendAsync(Upload(incident, TestImages.Png(red: 2))));

        var listed = await web.Http.GetFromJsonAsync<List<CommandCenter.Web.Application.AttachmentInfo>>(
            $"/api/incidents/{incident}/attachments", Json.Options);

        Assert.Equal(new[] { first.Id, second.Id }, listed!.Select(a => a.Id));
    }

    [Fact]
    public async Task Html_sent_as_a_jpeg_is_refused_415_naming_the_body_and_nothing_is_stored()
    {
        var incident = await IncidentInFirstTownship("伪装成图片");

        using var response = await web.Http.SendAsync(Upload(incident, "<html><script>alert(1)</script></html>"u8.ToArray(), "image/jpeg", "photo.jpg"));

        await ProblemAssert.Is(response, HttpStatusCode.UnsupportedMediaType, "body");
        Assert.Contains("JPEG, PNG or HEIC", await response.Content.ReadAsStringAsync());
        Assert.Empty(await List(incident));
    }

    [Fact]
    public async Task A_non_image_with_a_jpeg_header_is_refused_415_naming_the_body_and_nothing_is_stored()
    {
        var incident = await IncidentInFirstTownship("假 JPEG");

        using var response = await web.Http.SendAsync(Upload(incident, TestImages.FakeJpeg(), "image/jpeg", "photo.jpg"));

        await ProblemAssert.Is(response, HttpStatusCode.UnsupportedMediaType, "body");
        Assert.Contains("does not decode", await response.Content.ReadAsStringAsync());
        Assert.Empty(await List(incident));
    }

    [Fact]
    public async Task An_empty_body_is_a_400_naming_the_body()
    {
        var incident = await IncidentInFirstTownship("空照片");

        await ProblemAssert.Is(await web.Http.SendAsync(Upload(incident, [])), HttpStatusCode.BadRequest, "body");
        Assert.Empty(await List(incident));
    }

    [Fact]
    public async Task A_photo_of_the_maximum_size_is_stored_and_one_byte_more_is_a_413_naming_the_body_whether_announced_or_not()
    {
        var incident = await IncidentInFirstTownship("大照片");
        var largest = TestImages.PngOfSize(MaxBytes);
        var tooLarge = new byte[MaxBytes + 1];
        largest.CopyTo(tooLarge, 0);

        var stored = await Created(await web.Http.SendAsync(Upload(incident, largest)));
        using var announced = await web.Http.SendAsync(Upload(incident, tooLarge));
        var chunkedRequest = Upload(incident, tooLarge);
        chunkedRequest.Headers.TransferEncodingChunked = true;
        using var chunked = await web.Http.SendAsync(chunkedRequest);

        Assert.Equal(MaxBytes, (await web.Http.GetByteArrayAsync(stored.Url + "?original=true")).Length);
        await ProblemAssert.Is(announced, HttpStatusCode.RequestEntityTooLarge, "body");
        await ProblemAssert.Is(chunked, HttpStatusCode.RequestEntityTooLarge, "body");
        Assert.Equal(new[] { stored.Id }, (await List(incident)).Select(a => a.Id));
    }

    [Fact]
    public async Task Outside_the_jurisdiction_the_incident_and_its_photos_do_not_exist()
    {
        var incident = await IncidentInFirstTownship("别的乡镇看不到");
        var photo = await Created(await web.Http.SendAsync(Upload(incident, TestImages.Png())));
        using var otherTownship = await web.ClientAs("station-2");

        using var upload = await otherTownship.SendAsync(Upload(incident, TestImages.Png()));
        using var list = await otherTownship.GetAsync($"/api/incidents/{incident}/attachments");
        using var download = await otherTownship.GetAsync(photo.Url);

        foreach (var response in new[] { upload, list, download })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            Assert.DoesNotContain("别的乡镇看不到", await response.Content.ReadAsStringAsync());
        }
        Assert.Equal(new[] { photo.Id }, (await List(incident)).Select(a => a.Id));
    }

    [Fact]
    public async Task Unknown_incidents_and_attachments_are_404s()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await web.Http.SendAsync(Upload(Guid.NewGuid(), TestImages.Png()))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await web.Http.GetAsync($"/api/incidents/{Guid.NewGuid()}/attachments")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await web.Http.GetAsync($"/api/attachments/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await web.Http.GetAsync($"/api/attachments/{Guid.NewGuid()}?original=true")).StatusCode);
    }

    [Fact]
    public async Task Without_a_sign_in_every_attachment_endpoint_is_a_401_even_for_a_photo_above_the_hosts_usual_body_limit()
    {
        var incident = await IncidentInFirstTownship("匿名");
        var photo = await Created(await web.Http.SendAsync(Upload(incident, TestImages.Png())));
        using var anonymous = await web.ClientAs(null);
        var large = new byte[2 * CommandCenter.Web.Access.AccessHosting.MaxRequestBodyBytes];
        TestImages.Png().AsSpan(0, 8).CopyTo(large);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(Upload(incident, large))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/incidents/{incident}/attachments")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(photo.Url)).StatusCode);
        Assert.Equal(new[] { photo.Id }, (await List(incident)).Select(a => a.Id));
    }

    [Fact]
    public async Task An_upload_is_audited_with_its_type_and_size()
    {
        var incident = await IncidentInFirstTownship("审计附件");
        var created = await Created(await web.Http.SendAsync(Upload(incident, TestImages.Png())));

        var rows = await web.Admin.GetFromJsonAsync<List<AuditEntry>>(
            $"/api/audit?actor=user:duty&action={AuditActions.AttachToIncident}&target={incident}", Json.Options);

        var row = Assert.Single(rows!);
        Assert.Equal((AuditLog.Outcomes.Succeeded, $"image/png · {created.Size} bytes"), (row.Outcome, row.Detail));
    }

    /// <summary>An incident reported by the duty officer in a grid of the first township (station-1's, not station-2's).</summary>
    private async Task<Guid> IncidentInFirstTownship(string title)
    {
        var tree = web.Directory.Tree!;
        var township = tree.ChildrenOf(tree.Root.Code)[0];
        var grid = tree.All.First(j => j.Level == JurisdictionLevel.Grid && tree.IsWithin(j.Code, township.Code));
        var (lat, lng) = tree.CenterOf(grid.Code);
        return (await Reports.Created(await web.Http.SendAsync(Reports.Post(Reports.Body(lat, lng, title))))).Id;
    }

    /// <summary>The raw image as the body, with whatever type and file name the sender claims.</summary>
    public static HttpRequestMessage Upload(Guid incident, byte[] bytes, string? declaredType = "application/octet-stream", string? fileName = null)
    {
        var content = new ByteArrayContent(bytes);
        if (declaredType is not null)
            content.Headers.ContentType = new MediaTypeHeaderValue(declaredType);
        if (fileName is not null)
            content.Headers.ContentDisposition = new ContentDispositionHeaderValue("inline") { FileName = fileName };
        return new HttpRequestMessage(HttpMethod.Post, $"/api/incidents/{incident}/attachments") { Content = content };
    }

    private async Task<List<CommandCenter.Web.Application.AttachmentInfo>> List(Guid incident) =>
        (await web.Http.GetFromJsonAsync<List<CommandCenter.Web.Application.AttachmentInfo>>($"/api/incidents/{incident}/attachments", Json.Options))!;

    private static async Task<CommandCenter.Web.Application.AttachmentInfo> Created(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        return System.Text.Json.JsonSerializer.Deserialize<CommandCenter.Web.Application.AttachmentInfo>(text, Json.Options)!;
    }
}
