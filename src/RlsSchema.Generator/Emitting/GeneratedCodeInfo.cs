namespace RlsSchema.Generator.Emitting
{
    /// <summary>What generated code says about its origin.</summary>
    internal static class GeneratedCodeInfo
    {
        /// <summary>The generator's version, written into <c>[GeneratedCode]</c>.</summary>
        public const string Version = "0.1.0";
    }
}
