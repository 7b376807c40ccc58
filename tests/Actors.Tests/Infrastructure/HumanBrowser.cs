using Microsoft.Playwright;

namespace Actors.Tests.Infrastructure;

/// <summary>A human in a browser: signs in by magic link the way a person would.</summary>
public static class HumanBrowser
{
    /// <summary>
    /// Opens <paramref name="path"/> signed out, asks for a sign-in link, opens it from the mail
    /// drop and presses its button; returns on the page the link brought the human back to.
    /// The address must already have an account (sign-in emails only existing accounts).
    /// </summary>
    public static async Task SignIn(this IPage page, ActorsStack stack, string email, string path)
    {
        await page.GotoAsync(path);
        await page.FillAsync("#email", email);
        await page.ClickAsync("#send");
        await page.WaitForSelectorAsync("#result");
        var link = await MailDrop.WaitForLine(stack.MailDrop, email, stack.ApiUrl + "signin/confirm?");
        await page.GotoAsync(link);
        await page.ClickAsync("#confirm");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == path.Split('?')[0]);
    }
}
