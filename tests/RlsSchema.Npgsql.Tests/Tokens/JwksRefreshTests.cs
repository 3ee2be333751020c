using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using RlsSchema.Testing;
using Xunit;

namespace RlsSchema.Npgsql.Tests.Tokens;

/// <summary>The key set is fetched once for everyone: one caller's cancellation neither cancels nor delays it.</summary>
public sealed class JwksRefreshTests
{
    // Refreshes caused by unknown kids are throttled; each test waits this long after the first fetch, so that the
    // rotation below is allowed its refetch.
    private static readonly TimeSpan Throttle = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_request_cancelled_during_a_key_rotation_does_not_block_the_refetch()
    {
        await using var issuer = await DevTokenIssuer.StartAsync();
        using var gate = new GatedHandler();
        using var http = new HttpClient(gate);
        using var validator = new JwtValidator(issuer.ValidationOptions with { HttpClient = http, MinimumRefreshInterval = Throttle });
        var user = DevTokenIssuer.NewUserId();
        await validator.ValidateAsync(issuer.IssueToken(user));
        await Task.Delay(Throttle + TimeSpan.FromMilliseconds(200));

        issuer.RotateKey();
        var signedWithTheNewKey = issuer.IssueToken(user);
        gate.Hold();
        using var cancelled = new CancellationTokenSource();
        var first = validator.ValidateAsync(signedWithTheNewKey, cancelled.Token).AsTask();
        await gate.Reached.WaitAsync(TimeSpan.FromSeconds(10));
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        gate.Release();

        var validated = await validator.ValidateAsync(signedWithTheNewKey);

        Assert.Equal(user, validated.Subject);
        Assert.Equal(2, issuer.JwksRequests);
    }

    [Fact]
    public async Task Callers_arriving_while_the_key_set_is_fetched_wait_for_that_one_fetch()
    {
        await using var issuer = await DevTokenIssuer.StartAsync();
        using var gate = new GatedHandler();
        using var http = new HttpClient(gate);
        using var validator = new JwtValidator(issuer.ValidationOptions with { HttpClient = http, MinimumRefreshInterval = Throttle });
        await validator.ValidateAsync(issuer.IssueToken(DevTokenIssuer.NewUserId()));
        await Task.Delay(Throttle + TimeSpan.FromMilliseconds(200));

        issuer.RotateKey();
        gate.Hold();
        var waiting = new Task<ValidatedToken>[8];
        for (var i = 0; i < waiting.Length; i++)
        {
            waiting[i] = validator.ValidateAsync(issuer.IssueToken(DevTokenIssuer.NewUserId())).AsTask();
        }

        await gate.Reached.WaitAsync(TimeSpan.FromSeconds(10));
        gate.Release();
        await Task.WhenAll(waiting);

        Assert.Equal(2, issuer.JwksRequests);
    }

    /// <summary>Holds key set requests until released, to stand for a slow issuer.</summary>
    private sealed class GatedHandler() : DelegatingHandler(new HttpClientHandler())
    {
        private TaskCompletionSource _release = Released();
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reached => _reached.Task;

        public void Hold() => _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _release.TrySetResult();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var release = _release.Task;
            _reached.TrySetResult();
            await release.WaitAsync(cancellationToken);
            return await base.SendAsync(request, cancellationToken);
        }

        private static TaskCompletionSource Released()
        {
            var released = new TaskCompletionSource();
            released.SetResult();
            return released;
        }
    }
}
