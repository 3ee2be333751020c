using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Npgsql;
using Xunit;

namespace RlsSchema.Npgsql.Tests.Configuration;

public sealed class ConfigurationTests
{
    [Fact]
    public void A_postgres_url_becomes_an_npgsql_connection_string()
    {
        var converted = PostgresConnectionString.ToNpgsql(
            "postgresql://neondb_owner:p%40ss%3Aword@ep-cool-bird-123.eu-central-1.aws.neon.tech:6543/neondb?sslmode=require&channel_binding=require");

        var builder = new NpgsqlConnectionStringBuilder(converted);
        Assert.Equal("ep-cool-bird-123.eu-central-1.aws.neon.tech", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("neondb_owner", builder.Username);
        Assert.Equal("p@ss:word", builder.Password);
        Assert.Equal("neondb", builder.Database);
        Assert.Equal(SslMode.Require, builder.SslMode);
        Assert.Equal(ChannelBinding.Require, builder.ChannelBinding);
    }

    [Fact]
    public void An_npgsql_connection_string_is_kept_as_given()
    {
        const string keywords = "Host=localhost;Username=app;Database=todos";

        Assert.Equal(keywords, PostgresConnectionString.ToNpgsql(keywords));
    }

    [Theory]
    [InlineData("Max%20Auto%20Prepare=0")]
    [InlineData("Max+Auto+Prepare=0")]
    [InlineData("max%20auto%20prepare=0")]
    public void Npgsql_keywords_are_accepted_as_url_parameters(string parameter)
    {
        var converted = PostgresConnectionString.ToNpgsql("postgres://app@db/todos?sslmode=require&" + parameter + "&Maximum%20Pool%20Size=7");

        var builder = new NpgsqlConnectionStringBuilder(converted);
        Assert.Equal(0, builder.MaxAutoPrepare);
        Assert.Equal(7, builder.MaxPoolSize);
        Assert.Equal(SslMode.Require, builder.SslMode);
    }

    [Fact]
    public void A_url_that_turns_preparation_off_keeps_it_off_in_the_session_builder() =>
        Assert.Equal(0, new RlsDataSourceBuilder("postgres://app@db/todos?Max%20Auto%20Prepare=0").ConnectionStringBuilder.MaxAutoPrepare);

    [Fact]
    public void An_npgsql_keyword_with_a_bad_value_is_refused_naming_it()
    {
        var refused = Assert.Throws<ArgumentException>(() => PostgresConnectionString.ToNpgsql("postgres://u@h/db?Max%20Auto%20Prepare=lots"));

        Assert.Contains("max auto prepare", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_builder_refuses_a_bad_argument_at_the_call_that_received_it()
    {
        Assert.Equal("connectionString", Assert.Throws<ArgumentNullException>(() => new RlsDataSourceBuilder(null!)).ParamName);
        Assert.Throws<ArgumentException>(() => new RlsDataSourceBuilder("  "));

        var builder = new RlsDataSourceBuilder("Host=localhost;Username=authenticator");
        Assert.Throws<ArgumentException>(() => builder.AuthenticatedRole = "");
        Assert.Throws<ArgumentException>(() => builder.AnonymousRole = " ");
        var jwks = new Uri("https://issuer.example/jwks");
        Assert.Throws<ArgumentException>(() => builder.UseJwtValidation(new JwtValidationOptions(jwks) { ClockSkew = TimeSpan.FromSeconds(-1) }));
        Assert.Throws<ArgumentException>(() => builder.UseJwtValidation(new JwtValidationOptions(jwks) { Algorithms = ["HS256"] }));
        Assert.Equal("authenticated", builder.AuthenticatedRole);
        Assert.Equal("anonymous", builder.AnonymousRole);
    }

    [Fact]
    public void An_unknown_url_parameter_is_refused_rather_than_dropped()
    {
        var refused = Assert.Throws<ArgumentException>(() => PostgresConnectionString.ToNpgsql("postgres://u@h/db?sslmod=require"));

        Assert.Contains("sslmod", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_environment_names_the_workos_jwks_from_the_client_id()
    {
        var builder = RlsDataSourceBuilder.FromEnvironment(Variables(new()
        {
            ["DATABASE_URL"] = "postgres://owner@db/app",
            ["DATABASE_AUTHENTICATED_URL"] = "postgres://authenticated@db/app",
            ["WORKOS_CLIENT_ID"] = "client_12345",
            ["RLS_JWT_ISSUER"] = "https://api.workos.com",
        }));
        await using var dataSource = builder.Build();

        Assert.Equal("authenticated", builder.ConnectionStringBuilder.Username);
        Assert.Equal("db", builder.ConnectionStringBuilder.Host);
        var jwt = dataSource.TokenValidator!.Options;
        Assert.Equal(new Uri("https://api.workos.com/sso/jwks/client_12345"), jwt.JwksUri);
        Assert.Equal("https://api.workos.com", jwt.Issuer);
        Assert.Null(jwt.Audience);
    }

    [Fact]
    public async Task An_explicit_jwks_url_wins_over_the_client_id()
    {
        await using var dataSource = RlsDataSourceBuilder.FromEnvironment(Variables(new()
        {
            ["DATABASE_AUTHENTICATED_URL"] = "Host=db;Username=authenticated",
            ["RLS_JWKS_URL"] = "https://issuer.example/.well-known/jwks.json",
            ["WORKOS_CLIENT_ID"] = "client_12345",
            ["RLS_JWT_AUDIENCE"] = "api",
        })).Build();

        Assert.Equal(new Uri("https://issuer.example/.well-known/jwks.json"), dataSource.TokenValidator!.Options.JwksUri);
        Assert.Equal("api", dataSource.TokenValidator.Options.Audience);
    }

    [Fact]
    public async Task Without_a_jwks_only_anonymous_sessions_are_possible()
    {
        await using var dataSource = RlsDataSourceBuilder.FromEnvironment(Variables(new() { ["DATABASE_AUTHENTICATED_URL"] = "Host=127.0.0.1;Port=1;Username=x" })).Build();

        Assert.Null(dataSource.TokenValidator);
        var noJwks = await Assert.ThrowsAsync<InvalidOperationException>(async () => await dataSource.OpenSessionAsync("a.b.c"));
        Assert.Contains("No JWKS", noJwks.Message);

        // An anonymous session needs no JWKS: its opening goes as far as the database, which does not listen here.
        await Assert.ThrowsAsync<NpgsqlException>(async () => await dataSource.OpenAnonymousSessionAsync());
    }

    [Fact]
    public void The_owners_connection_is_not_read_for_sessions()
    {
        var builder = RlsDataSourceBuilder.FromEnvironment(Variables(new() { ["DATABASE_URL"] = "Host=127.0.0.1;Port=1;Username=owner" }));

        var refused = Assert.Throws<InvalidOperationException>(() => builder.Build());
        Assert.Contains("DATABASE_AUTHENTICATED_URL", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_migrator_reads_only_the_owners_connection()
    {
        var refused = Assert.Throws<InvalidOperationException>(() =>
            RlsMigrator.FromEnvironment(Variables(new() { ["DATABASE_AUTHENTICATED_URL"] = "Host=127.0.0.1;Username=authenticator" })));

        Assert.Contains("DATABASE_URL", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sessions_prepare_repeated_statements_unless_the_connection_string_says_otherwise()
    {
        Assert.Equal(32, new RlsDataSourceBuilder("Host=db;Username=app").ConnectionStringBuilder.MaxAutoPrepare);
        Assert.Equal(0, new RlsDataSourceBuilder("Host=db;Username=app;Max Auto Prepare=0").ConnectionStringBuilder.MaxAutoPrepare);
    }

    private static Func<string, string?> Variables(Dictionary<string, string> values) =>
        name => values.TryGetValue(name, out var value) ? value : null;
}
