using System.Text;
using SignalSharp.InteropDriver;

// One JSON request per line on stdin, exactly one JSON response per line on stdout; logs on stderr.
var input = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false, NewLine = "\n" };
var driver = new Driver(Console.Error);
while (await input.ReadLineAsync() is { } line)
{
    if (string.IsNullOrWhiteSpace(line))
    {
        continue;
    }

    var (response, quit) = await driver.HandleAsync(line);
    await output.WriteLineAsync(response);
    await output.FlushAsync();
    if (quit)
    {
        break;
    }
}

return 0;
