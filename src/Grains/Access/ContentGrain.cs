using Actors.Grains.Platform;
using Microsoft.Extensions.Logging;

namespace Actors.Grains.Access;

public sealed class ContentState
{
    public string? PublisherId { get; set; }
    public string Path { get; set; } = "";
    public string Title { get; set; } = "";
    public string? Author { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
    public string Markdown { get; set; } = "";
    public List<string> Tags { get; set; } = [];
    public int Tier { get; set; }
    public ContentLicense? License { get; set; }
    public string LicenseId { get; set; } = "";
    public int WordCount { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// Both or neither (issue 12): the path index (<c>access_content_paths</c>) is written first, then
/// the state. A failed claim changes nothing; a failed state write puts the path back where the
/// stored state says (or releases it for content that was never stored) before answering the
/// error, and a retry of the same Put claims again (idempotent for the same content) and stores.
/// </summary>
public sealed class ContentGrain(
    [PersistentState("access-content", "store")] IPersistentState<ContentState> content,
    ContentPathStore paths,
    AccessUrls urls,
    ILogger<ContentGrain> logger,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, IContentGrain
{
    string Domain => Key["cnt_".Length..].Split('/', 2)[0];
    string ContentId => Key.Split('/', 2)[1];
    string Key => this.GetPrimaryKeyString();

    public async Task<Result<PublishedContent>> Put(string publisherId, ContentDraft draft)
    {
        var problem = AccessRules.CheckContentId("contentId", draft.ContentId)
            ?? AccessRules.CheckPath(draft.Path)
            ?? AccessRules.CheckText("title", draft.Title, AccessRules.MaxTitle)
            ?? AccessRules.CheckText("author", draft.Author, AccessRules.MaxAuthor, required: false)
            ?? (string.IsNullOrWhiteSpace(draft.Markdown) ? Problem.Invalid("markdown", "markdown is required") : null)
            ?? (draft.Markdown!.Length > AccessRules.MaxMarkdown ? Problem.Invalid("markdown", $"markdown must be at most {AccessRules.MaxMarkdown} characters") : null)
            ?? AccessRules.CheckTags(draft.Tags)
            ?? AccessRules.CheckTier("tier", draft.Tier)
            ?? AccessRules.CheckLicense(draft.License);
        if (problem is not null) return problem;
        if (draft.ContentId != ContentId) return Problem.Invalid("contentId", "contentId does not match the content addressed");
        if (content.State.PublisherId is { } owner && owner != publisherId) return Problem.Conflict("This content belongs to another publisher");

        if (!await paths.Claim(Domain, draft.Path!, ContentId))
            return Problem.Conflict($"{draft.Path} on {Domain} is already registered for other content");

        var stored = content.State;
        var created = stored.PublisherId is null;
        var now = clock.GetUtcNow();
        var licenseId = created || content.State.License != draft.License ? Guid.NewGuid().ToString() : content.State.LicenseId;
        content.State = new ContentState
        {
            PublisherId = publisherId,
            Path = draft.Path!,
            Title = draft.Title!.Trim(),
            Author = string.IsNullOrWhiteSpace(draft.Author) ? null : draft.Author.Trim(),
            PublishedAt = draft.PublishedAt ?? now,
            Markdown = draft.Markdown!,
            Tags = [.. draft.Tags?.Select(t => t.Trim()) ?? []],
            Tier = draft.Tier!.Value,
            License = draft.License,
            LicenseId = licenseId,
            WordCount = AccessRules.WordCount(draft.Markdown!),
            UpdatedAt = now,
        };
        try
        {
            await content.WriteStateAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            content.State = stored;
            await UndoClaim(stored, draft.Path!);
            throw;
        }
        return Result<PublishedContent>.Ok(new PublishedContent(urls.Page(Domain, draft.Path!), urls.Content(Domain, ContentId), created));
    }

    /// <summary>Best effort: the call fails anyway; what stays is a path that a retry of the Put claims again.</summary>
    async Task UndoClaim(ContentState stored, string claimed)
    {
        if (stored.PublisherId is not null && stored.Path == claimed) return;
        try
        {
            if (stored.PublisherId is null) await paths.Release(Domain, ContentId);
            else await paths.Claim(Domain, stored.Path, ContentId);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Content {ContentKey}: its path could not be put back after a failed state write", Key);
        }
    }

    public Task<ContentTerms?> GetTerms() => Task.FromResult(content.State.PublisherId is null ? null : new ContentTerms(
        content.State.PublisherId, Domain, ContentId, content.State.Path, content.State.Tier, content.State.LicenseId,
        content.State.License!, urls.Page(Domain, content.State.Path), urls.Content(Domain, ContentId), content.State.Title));

    public Task<ContentDocument?> GetDocument() => Task.FromResult(content.State.PublisherId is null ? null : new ContentDocument(
        ContentId, urls.Page(Domain, content.State.Path), content.State.Title, content.State.Author, content.State.PublishedAt,
        content.State.Markdown, content.State.WordCount, AccessRules.ReadingTime(content.State.WordCount), [.. content.State.Tags]));
}
