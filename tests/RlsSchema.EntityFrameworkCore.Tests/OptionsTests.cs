using Microsoft.EntityFrameworkCore;
using Xunit;

namespace RlsSchema.EntityFrameworkCore.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void UseRlsSchema_adds_its_extension_once()
    {
        var builder = new DbContextOptionsBuilder().UseNpgsql("Host=127.0.0.1").UseRlsSchema().UseRlsSchema();
        Assert.Single(builder.Options.Extensions, e => e.GetType().Name == "RlsSchemaOptionsExtension");
    }
}
