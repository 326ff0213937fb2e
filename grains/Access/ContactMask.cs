using System.Text;

namespace CommandCenter.Access;

/// <summary>
/// A citizen's contact details as lists, walls, exports and timelines show them (#20): in a reporter's text every
/// number of seven or more digits (groups joined by a dash or a space count as one) keeps its first three and last four
/// digits (13812341234 → 138****1234, 0943-8221234 → 094*-***1234); every name keeps its first character
/// (张三丰 → 张**, Li Lei → L* L**), a courtesy title after a surname stays (王女士, 李先生), and the words that label a
/// contact (电话, 手机 …) stay, inside a run of Chinese too (张三丰电话 → 张**电话). Only the case page shows the text as
/// given, to those handling the case (<see cref="AccessPolicy.MaySeeContact"/>).
/// </summary>
public static class ContactMask
{
    private static readonly string[] Titles = ["先生", "女士", "小姐", "师傅", "老师", "大爷", "大妈", "阿姨"];

    private static readonly HashSet<string> Labels = ["电话", "手机", "联系电话", "联系方式", "联系人", "匿名", "市民", "群众", "热线", "来电"];

    public static string? Of(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return text;
        var masked = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var end = i;
            if (char.IsAsciiDigit(text[i]))
            {
                while (end < text.Length && (char.IsAsciiDigit(text[end])
                    || (text[end] is '-' or ' ' && end + 1 < text.Length && char.IsAsciiDigit(text[end + 1]))))
                    end++;
                masked.Append(Number(text.AsSpan(i, end - i)));
            }
            else if (char.IsLetter(text[i]))
            {
                while (end < text.Length && char.IsLetter(text[end]) && IsCjk(text[end]) == IsCjk(text[i]))
                    end++;
                masked.Append(Name(text[i..end]));
            }
            else
            {
                end = i + 1;
                masked.Append(text[i]);
            }
            i = end;
        }
        return masked.ToString();
    }

    private static string Number(ReadOnlySpan<char> number)
    {
        var digits = 0;
        foreach (var c in number)
            digits += char.IsAsciiDigit(c) ? 1 : 0;
        if (digits < 7)
            return number.ToString();
        var masked = new StringBuilder(number.Length);
        var index = 0;
        foreach (var c in number)
        {
            if (!char.IsAsciiDigit(c))
            {
                masked.Append(c);
                continue;
            }
            masked.Append(index < 3 || index >= digits - 4 ? c : '*');
            index++;
        }
        return masked.ToString();
    }

    /// <summary>The labels, longest first: 联系电话 is found before 电话.</summary>
    private static readonly string[] LabelsLongestFirst = [.. Labels.OrderByDescending(label => label.Length)];

    /// <summary>A run of letters: the labels in a Chinese run stay, and what is between them is masked as names (张三丰电话 → 张**电话).</summary>
    private static string Name(string run)
    {
        if (IsCjk(run[0]))
        {
            foreach (var label in LabelsLongestFirst)
            {
                var at = run.IndexOf(label, StringComparison.Ordinal);
                if (at < 0)
                    continue;
                var after = at + label.Length;
                return (at > 0 ? Name(run[..at]) : "") + label + (after < run.Length ? Name(run[after..]) : "");
            }
        }
        return OneName(run);
    }

    private static string OneName(string name)
    {
        if (name.Length == 1)
            return name;
        var title = IsCjk(name[0]) ? Titles.FirstOrDefault(t => name.Length > t.Length && name.EndsWith(t, StringComparison.Ordinal)) : null;
        var kept = title is null ? name.Length : name.Length - title.Length;
        return name[0] + new string('*', kept - 1) + title;
    }

    private static bool IsCjk(char c) => c is >= '\u3400' and <= '\u9FFF';
}
