using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace RlsSchema.AspNetCore;

/// <summary>
/// Tags the activities of Npgsql's OpenTelemetry source (<c>Npgsql</c>) that a request's statements start with the
/// session's user id and role, so a trace shows whose query it was. Never the token. The tags are added only when
/// something (an OpenTelemetry tracer with <c>AddNpgsql()</c>, for instance) records the activity.
/// </summary>
internal sealed class NpgsqlActivityTagger(IHttpContextAccessor httpContextAccessor) : IHostedService, IDisposable
{
    private const string NpgsqlSourceName = "Npgsql";
    private ActivityListener? _listener;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = static source => source.Name == NpgsqlSourceName,
            ActivityStarted = Tag,
        };
        ActivitySource.AddActivityListener(_listener);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _listener?.Dispose();
        _listener = null;
    }

    private void Tag(Activity activity)
    {
        if (httpContextAccessor.HttpContext?.Features.Get<RlsRequestFeature>() is { } request)
        {
            activity.SetTag(RlsSchemaDefaults.UserIdTag, request.UserId);
            activity.SetTag(RlsSchemaDefaults.RoleTag, request.Role);
        }
    }
}
