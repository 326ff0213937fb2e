using System.Reflection;
using System.Text.Json;
using CommandCenter.Web.Application;
using Microsoft.AspNetCore.Http.Metadata;

namespace CommandCenter.Web.Api;

/// <summary>Reads request bodies within a size limit; errors name the body ("$").</summary>
public static class RequestBody
{
    /// <summary>Reads at most <paramref name="maxBytes"/>; returns the raw bytes or the refusal naming the body ("$").</summary>
    public static async Task<Outcome<byte[]>> ReadBytes(HttpRequest request, int maxBytes, CancellationToken cancellationToken) =>
        await ReadAtMost(request, maxBytes, cancellationToken) is { } bytes
            ? bytes
            : Refusal.Invalid("$", $"The body is larger than {maxBytes} bytes.");

    /// <summary>The raw body, or null as soon as it proves larger than <paramref name="maxBytes"/> (the rest is not read).</summary>
    public static async Task<byte[]?> ReadAtMost(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
            return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>A JSON body within <paramref name="maxBytes"/> (an object unless <paramref name="anyValue"/>), or the refusal naming the body.</summary>
    public static async Task<Outcome<JsonFields>> ReadJson(HttpRequest request, int maxBytes, bool anyValue, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
            return Refusal.Invalid("$", "Send the body as application/json.");
        var read = await ReadBytes(request, maxBytes, cancellationToken);
        if (read.Value is not { } bytes)
            return read.Refusal!;
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
            if (!anyValue && document.RootElement.ValueKind != JsonValueKind.Object)
                return Refusal.Invalid("$", "The body must be a JSON object.");
            return new JsonFields(document.RootElement.Clone());
        }
        catch (JsonException e)
        {
            return Refusal.Invalid("$", $"Malformed JSON: {e.Message}");
        }
    }

    /// <summary>Whether the request comes without any body at all.</summary>
    public static bool IsEmpty(HttpRequest request) =>
        request.ContentLength is 0
        || (request.ContentLength is null && !request.Headers.ContainsKey("Content-Type") && !request.Headers.ContainsKey("Transfer-Encoding"));
}

/// <summary>An input bound from the request that may carry a refusal; the access filter answers it before the handler runs.</summary>
public interface IBoundInput
{
    Refusal? Refusal { get; }
}

/// <summary>
/// The request record <typeparamref name="T"/> bound from a JSON body and checked by its own
/// <see cref="IRequestContract{TSelf}.Read"/>; its type documents the body in the OpenAPI document.
/// </summary>
public sealed class Body<T> : IBoundInput, IEndpointParameterMetadataProvider where T : class, IRequestContract<T>
{
    private Body(Outcome<T> outcome) => Outcome = outcome;

    public Outcome<T> Outcome { get; }

    /// <summary>The record; only read by handlers, which run once the access filter has found no <see cref="Refusal"/>.</summary>
    public T Value => Outcome.Value ?? throw new InvalidOperationException("The request body was refused.");

    public Refusal? Refusal => Outcome.Refusal;

    public static async ValueTask<Body<T>?> BindAsync(HttpContext http)
    {
        if (T.MayBeEmpty && RequestBody.IsEmpty(http.Request))
            return Read(new JsonFields(JsonDocument.Parse("{}").RootElement.Clone()));
        var fields = await RequestBody.ReadJson(http.Request, T.MaxBytes, T.AnyJsonValue, http.RequestAborted);
        return fields.Value is { } read ? Read(read) : new Body<T>(fields.Refusal!);
    }

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder)
    {
        builder.Metadata.Add(new AcceptsMetadata(["application/json"], typeof(T), isOptional: T.MayBeEmpty));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(HttpValidationProblemDetails),
            ["application/problem+json"]));
    }

    private static Body<T> Read(JsonFields fields)
    {
        var value = T.Read(fields);
        return new Body<T>(fields.IsValid ? value : Refusal.Invalid(fields.Errors));
    }
}

/// <summary>The <c>Idempotency-Key</c> header: required, 1–128 visible ASCII characters; keys are per caller.</summary>
public sealed class IdempotencyKey : IBoundInput
{
    public const string Header = IdempotencyKeys.Header;
    public const int MaxLength = 128;

    private IdempotencyKey(string? value, Refusal? refusal)
    {
        Value = value ?? "";
        Refusal = refusal;
    }

    public string Value { get; }

    public Refusal? Refusal { get; }

    public static ValueTask<IdempotencyKey?> BindAsync(HttpContext http) => ValueTask.FromResult<IdempotencyKey?>(Of(http.Request));

    public static IdempotencyKey Of(HttpRequest request)
    {
        var key = request.Headers[Header].ToString();
        if (key.Length == 0)
            return new(null, Refusal.Invalid(Header, "Required header: a unique key per request, reused only when retrying it."));
        if (key.Length > MaxLength || key.Any(c => c < 0x21 || c > 0x7E))
            return new(null, Refusal.Invalid(Header, $"1 to {MaxLength} visible ASCII characters."));
        return new(key, null);
    }
}
