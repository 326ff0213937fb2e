using System.Net;
using System.Net.Http.Json;
using CommandCenter.Tests.Infrastructure;
using CommandCenter.Web.Cameras;

namespace CommandCenter.Tests.Web;

/// <summary>The video wall's layout through the API: one per person, validated field by field, only cameras and areas in scope.</summary>
[Collection(WebCollection.Name)]
public sealed class VideoWallApiTests(WebFixture web)
{
    private string TownshipOf(string username) =>
        web.Directory.Tree!.ChildrenOf(web.CountyCode).ElementAt(int.Parse(username.Split('-')[1]) - 1).Code;

    private string CameraIn(string township) =>
        web.Directory.CamerasIn(township).First(c => c.Id.StartsWith("cam-", StringComparison.Ordinal)).Id;

    [Fact]
    public async Task Each_person_has_their_own_layout_starting_from_nine_tiles_of_their_area()
    {
        using var four = await web.ClientAs("station-4");
        using var five = await web.ClientAs("station-5");
        var initial = (await five.GetFromJsonAsync<VideoWallLayout>("/api/videowall/layout", Json.Options))!;
        Assert.Equal((9, VideoWallMode.Area, TownshipOf("station-5")), (initial.Tiles, initial.Mode, initial.Area));

        var camera = CameraIn(TownshipOf("station-4"));
        using var saved = await four.PutAsJsonAsync("/api/videowall/layout",
            new { tiles = 4, mode = "manual", cameras = new[] { null, camera }, intervalSeconds = 3 });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);

        var mine = (await four.GetFromJsonAsync<VideoWallLayout>("/api/videowall/layout", Json.Options))!;
        Assert.Equal((4, VideoWallMode.Manual, 3), (mine.Tiles, mine.Mode, mine.IntervalSeconds));
        Assert.Equal([null, camera], mine.Cameras);
        var theirs = (await five.GetFromJsonAsync<VideoWallLayout>("/api/videowall/layout", Json.Options))!;
        Assert.Equal((9, VideoWallMode.Area, TownshipOf("station-5"), 0), (theirs.Tiles, theirs.Mode, theirs.Area, theirs.Cameras.Count));
    }

    public static TheoryData<string, string> BadLayouts => new()
    {
        { """{"tiles":5,"mode":"area","intervalSeconds":2}""", "tiles" },
        { """{"tiles":4,"mode":"area","intervalSeconds":0}""", "intervalSeconds" },
        { """{"tiles":4,"mode":"area","intervalSeconds":2.5}""", "intervalSeconds" },
        { """{"tiles":4,"mode":"everywhere","intervalSeconds":2}""", "mode" },
        { """{"tiles":4,"mode":"manual","intervalSeconds":2,"cameras":[7]}""", "cameras[0]" },
        { """{"tiles":1,"mode":"manual","intervalSeconds":2,"cameras":[null,null]}""", "cameras" },
        { """{"tiles":4,"mode":"manual","intervalSeconds":2,"cameras":"cam-0001"}""", "cameras" },
        { """{"tiles":4,"mode":"manual","intervalSeconds":2,"cameras":["FOREIGN"]}""", "cameras[0]" },
        { """{"tiles":4,"mode":"area","intervalSeconds":2,"area":"FOREIGN"}""", "area" },
        { """{"tiles":4,"mode":"area","intervalSeconds":2}""", "area" },
    };

    [Theory]
    [MemberData(nameof(BadLayouts))]
    public async Task A_bad_layout_is_a_problem_naming_the_field_and_keeps_the_saved_one(string body, string field)
    {
        using var six = await web.ClientAs("station-6");
        using (var good = await six.PutAsJsonAsync("/api/videowall/layout",
                   new { tiles = 16, mode = "area", area = TownshipOf("station-6"), intervalSeconds = 5 }))
            Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        // A camera and an area of another township stand for "outside your jurisdiction".
        var foreign = TownshipOf("station-7");
        var json = body.Replace("\"FOREIGN\"", body.Contains("cameras") ? $"\"{CameraIn(foreign)}\"" : $"\"{foreign}\"");

        using var response = await six.PutAsync("/api/videowall/layout", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        await ProblemAssert.Is(response, HttpStatusCode.BadRequest, field);
        var kept = (await six.GetFromJsonAsync<VideoWallLayout>("/api/videowall/layout", Json.Options))!;
        Assert.Equal((16, 5), (kept.Tiles, kept.IntervalSeconds));
    }
}
