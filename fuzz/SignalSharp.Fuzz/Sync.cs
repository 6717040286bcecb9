namespace SignalSharp.Fuzz;

/// <summary>The in-memory stores complete synchronously; targets wait on the library's async API.</summary>
internal static class Sync
{
    public static T Wait<T>(ValueTask<T> task) => task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();

    public static void Wait(ValueTask task)
    {
        if (!task.IsCompletedSuccessfully)
        {
            task.AsTask().GetAwaiter().GetResult();
        }
    }

    public static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();
}
