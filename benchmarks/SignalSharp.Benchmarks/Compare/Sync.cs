namespace SignalSharp.Benchmarks.Compare;

/// <summary>Completes ValueTasks synchronously (in-memory stores complete synchronously, so this is the fast path).</summary>
internal static class Sync
{
    public static T Run<T>(ValueTask<T> task) => task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();

    public static void Run(ValueTask task)
    {
        if (!task.IsCompletedSuccessfully)
        {
            task.AsTask().GetAwaiter().GetResult();
        }
    }
}
