namespace RlsSchema.Testing;

/// <summary>Where a <see cref="PostgresServer"/> comes from.</summary>
public enum PostgresServerKind
{
    /// <summary>An existing server named by <c>DATABASE_URL</c>.</summary>
    External,

    /// <summary>A throwaway cluster run from the local PostgreSQL binaries (<c>initdb</c>, <c>pg_ctl</c>).</summary>
    LocalBinaries,

    /// <summary>A throwaway Docker container started by Testcontainers.</summary>
    Container,
}
