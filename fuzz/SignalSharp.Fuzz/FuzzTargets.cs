using System.Reflection;

namespace SignalSharp.Fuzz;

/// <summary>Every <see cref="FuzzTarget"/> in this assembly, by name.</summary>
public static class FuzzTargets
{
    private static readonly Lazy<IReadOnlyDictionary<string, FuzzTarget>> ByName = new(() =>
        typeof(FuzzTarget).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsClass: true } && t.IsSubclassOf(typeof(FuzzTarget)))
            .Select(t => (FuzzTarget)Activator.CreateInstance(t)!)
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToDictionary(t => t.Name, StringComparer.Ordinal));

    public static IEnumerable<FuzzTarget> All => ByName.Value.Values;

    public static FuzzTarget Get(string name) =>
        ByName.Value.TryGetValue(name, out var target)
            ? target
            : throw new KeyNotFoundException($"no fuzz target '{name}'; known: {string.Join(", ", ByName.Value.Keys)}");
}
