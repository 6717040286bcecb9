using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace SignalSharp.Benchmarks.Scale;

/// <summary>
/// Writes each chart's points as CSV and draws it as SVG, rendered to PNG by <c>rsvg-convert</c> (or ImageMagick)
/// into docs/benchmarks/. Line charts are log-log (ops/s against size); the durable chart is grouped bars on a log
/// axis. SignalSharp is drawn solid, libsignal dashed, one colour per series.
/// </summary>
internal static class ScalingCharts
{
    private const int Width = 1000;
    private const int Height = 500;
    private const int Left = 80;
    private const int Right = 380;
    private const int Top = 50;
    private const int Bottom = 60;
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];

    private static readonly Dictionary<string, (string Title, string XLabel, string YLabel)> Charts = new()
    {
        ["groups"] = ("Large groups: one operation for the whole group", "member devices", "operations per second"),
        ["sessions"] = ("Many sessions: SignalSharp, SQLite (Normal) and in-memory", "sessions in the store", "operations per second"),
        ["durable"] = ("Durable throughput: SignalSharp on each store", "", "operations per second"),
    };

    public static void Write(string root, IReadOnlyList<ScalePoint> points)
    {
        string output = Path.Combine(root, "docs", "benchmarks");
        Directory.CreateDirectory(output);
        foreach (var (chart, (title, xLabel, yLabel)) in Charts)
        {
            var mine = points.Where(p => p.Chart == chart).ToList();
            if (mine.Count == 0)
            {
                continue;
            }

            var csv = new StringBuilder("chart,series,implementation,size,value\n");
            foreach (var p in mine)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{chart},\"{p.Series}\",{p.Implementation},{p.Size},{p.Value:F2}\n");
            }

            File.WriteAllText(Path.Combine(output, chart + ".csv"), csv.ToString());
            string svg = chart == "durable" ? Bars(title, yLabel, mine) : Lines(title, xLabel, yLabel, mine);
            string svgPath = Path.Combine(Path.GetTempPath(), $"signalsharp-{chart}-{Environment.ProcessId}.svg");
            File.WriteAllText(svgPath, svg);
            string png = Path.Combine(output, chart + ".png");
            Console.Error.WriteLine(Render(svgPath, png) ? $"wrote {png}" : $"could not render {png} (install librsvg2-bin or imagemagick); CSV written");
            File.Delete(svgPath);
        }
    }

    private static bool Render(string svg, string png)
    {
        foreach (var (tool, args) in new[] { ("rsvg-convert", $"-b white -o \"{png}\" \"{svg}\""), ("magick", $"\"{svg}\" \"{png}\""), ("/usr/bin/convert", $"\"{svg}\" \"{png}\"") })
        {
            try
            {
                using var p = Process.Start(new ProcessStartInfo(tool, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
                p.WaitForExit();
                if (p.ExitCode == 0 && File.Exists(png))
                {
                    return true;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
            }
        }

        return false;
    }

    private static string Lines(string title, string xLabel, string yLabel, List<ScalePoint> points)
    {
        double xMin = Math.Floor(Math.Log10(points.Min(p => p.Size)));
        double xMax = Math.Ceiling(Math.Log10(points.Max(p => p.Size)));
        double yMin = Math.Floor(Math.Log10(points.Where(p => p.Value > 0).Min(p => p.Value)));
        double yMax = Math.Ceiling(Math.Log10(points.Max(p => p.Value)));
        if (xMax <= xMin)
        {
            xMax = xMin + 1;
        }

        if (yMax <= yMin)
        {
            yMax = yMin + 1;
        }

        double X(double v) => Left + ((Math.Log10(v) - xMin) / (xMax - xMin) * (Width - Left - Right));
        double Y(double v) => Height - Bottom - ((Math.Log10(v) - yMin) / (yMax - yMin) * (Height - Top - Bottom));
        var svg = Frame(title, xLabel, yLabel);
        for (double d = xMin; d <= xMax; d++)
        {
            double x = X(Math.Pow(10, d));
            svg.Append(Inv($"<line x1='{x:F1}' y1='{Top}' x2='{x:F1}' y2='{Height - Bottom}' stroke='#ddd'/>"));
            svg.Append(Inv($"<text x='{x:F1}' y='{Height - Bottom + 20}' text-anchor='middle'>{Math.Pow(10, d):N0}</text>"));
        }

        YAxis(svg, yMin, yMax, Y);
        var series = points.Select(p => p.Series).Distinct().ToList();
        int legend = 0;
        foreach (var (name, index) in series.Select((s, i) => (s, i)))
        {
            string color = Colors[index % Colors.Length];
            foreach (var implementation in points.Where(p => p.Series == name).Select(p => p.Implementation).Distinct())
            {
                var line = points.Where(p => p.Series == name && p.Implementation == implementation && p.Value > 0).OrderBy(p => p.Size).ToList();
                string dash = implementation == "libsignal" ? " stroke-dasharray='7,5'" : "";
                svg.Append(Inv($"<polyline fill='none' stroke='{color}' stroke-width='2.5'{dash} points='{string.Join(' ', line.Select(p => Inv($"{X(p.Size):F1},{Y(p.Value):F1}")))}'/>"));
                foreach (var p in line)
                {
                    svg.Append(Inv($"<circle cx='{X(p.Size):F1}' cy='{Y(p.Value):F1}' r='4' fill='{(implementation == "libsignal" ? "white" : color)}' stroke='{color}' stroke-width='2'/>"));
                }

                double ly = Top + 10 + (legend++ * 22);
                double lx = Width - Right + 20;
                svg.Append(Inv($"<line x1='{lx}' y1='{ly:F1}' x2='{lx + 30}' y2='{ly:F1}' stroke='{color}' stroke-width='2.5'{dash}/>"));
                svg.Append(Inv($"<text x='{lx + 38}' y='{ly + 4:F1}' font-size='12'>{Escape(name)}{(points.Select(p => p.Implementation).Distinct().Count() > 1 ? $" — {implementation}" : "")}</text>"));
            }
        }

        return svg.Append("</svg>").ToString();
    }

    private static string Bars(string title, string yLabel, List<ScalePoint> points)
    {
        double yMin = Math.Floor(Math.Log10(points.Where(p => p.Value > 0).Min(p => p.Value)));
        double yMax = Math.Ceiling(Math.Log10(points.Max(p => p.Value)));
        double Y(double v) => Height - Bottom - ((Math.Log10(v) - yMin) / (yMax - yMin) * (Height - Top - Bottom));
        var svg = Frame(title, "", yLabel);
        YAxis(svg, yMin, yMax, Y);
        var groups = points.Select(p => p.Series).Distinct().ToList();
        var kinds = points.Select(p => p.Implementation).Distinct().ToList();
        double groupWidth = (double)(Width - Left - Right) / groups.Count;
        double barWidth = groupWidth * 0.8 / kinds.Count;
        foreach (var (group, g) in groups.Select((s, i) => (s, i)))
        {
            double x0 = Left + (g * groupWidth) + (groupWidth * 0.1);
            svg.Append(Inv($"<text x='{x0 + (groupWidth * 0.4):F1}' y='{Height - Bottom + 20}' text-anchor='middle' font-size='12'>{Escape(group)}</text>"));
            foreach (var (kind, k) in kinds.Select((s, i) => (s, i)))
            {
                var point = points.FirstOrDefault(p => p.Series == group && p.Implementation == kind);
                if (point is null || point.Value <= 0)
                {
                    continue;
                }

                double x = x0 + (k * barWidth);
                double y = Y(point.Value);
                svg.Append(Inv($"<rect x='{x:F1}' y='{y:F1}' width='{barWidth - 4:F1}' height='{Height - Bottom - y:F1}' fill='{Colors[k % Colors.Length]}'/>"));
                svg.Append(Inv($"<text x='{x + ((barWidth - 4) / 2):F1}' y='{y - 5:F1}' text-anchor='middle' font-size='11'>{point.Value:N0}</text>"));
            }
        }

        foreach (var (kind, k) in kinds.Select((s, i) => (s, i)))
        {
            double ly = Top + 10 + (k * 22);
            double lx = Width - Right + 20;
            svg.Append(Inv($"<rect x='{lx}' y='{ly - 7:F1}' width='30' height='14' fill='{Colors[k % Colors.Length]}'/>"));
            svg.Append(Inv($"<text x='{lx + 38}' y='{ly + 4:F1}' font-size='12'>{Escape(kind)}</text>"));
        }

        return svg.Append("</svg>").ToString();
    }

    private static StringBuilder Frame(string title, string xLabel, string yLabel)
    {
        var svg = new StringBuilder();
        svg.Append(Inv($"<svg xmlns='http://www.w3.org/2000/svg' width='{Width}' height='{Height}' font-family='DejaVu Sans, sans-serif' font-size='13'>"));
        svg.Append(Inv($"<rect width='{Width}' height='{Height}' fill='white'/>"));
        svg.Append(Inv($"<text x='{Width / 2}' y='28' text-anchor='middle' font-size='16' font-weight='bold'>{Escape(title)}</text>"));
        svg.Append(Inv($"<text x='{Left + ((Width - Left - Right) / 2)}' y='{Height - 15}' text-anchor='middle'>{Escape(xLabel)}</text>"));
        svg.Append(Inv($"<text x='20' y='{Top + ((Height - Top - Bottom) / 2)}' text-anchor='middle' transform='rotate(-90 20 {Top + ((Height - Top - Bottom) / 2)})'>{Escape(yLabel)} (log scale)</text>"));
        svg.Append(Inv($"<rect x='{Left}' y='{Top}' width='{Width - Left - Right}' height='{Height - Top - Bottom}' fill='none' stroke='#888'/>"));
        return svg;
    }

    private static void YAxis(StringBuilder svg, double yMin, double yMax, Func<double, double> y)
    {
        for (double d = yMin; d <= yMax; d++)
        {
            double v = y(Math.Pow(10, d));
            svg.Append(Inv($"<line x1='{Left}' y1='{v:F1}' x2='{Width - Right}' y2='{v:F1}' stroke='#ddd'/>"));
            svg.Append(Inv($"<text x='{Left - 8}' y='{v + 4:F1}' text-anchor='end'>{Math.Pow(10, d):N0}</text>"));
        }
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);
}
