using Microsoft.Extensions.Options;

namespace RlsSchema.AspNetCore;

/// <summary>Fails the options, and so the start-up, with the reason the runtime could not build a data source from them.</summary>
internal sealed class RlsSchemaOptionsValidator : IValidateOptions<RlsSchemaOptions>
{
    public ValidateOptionsResult Validate(string? name, RlsSchemaOptions options) =>
        RuntimeBridge.Problem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
