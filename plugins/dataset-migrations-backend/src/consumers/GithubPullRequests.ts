import type { Config } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  type GithubCredentialsProvider,
  ScmIntegrations,
  type ScmIntegrationRegistry,
} from '@backstage/integration';
import { Octokit } from '@octokit/rest';

/** A file of a GitHub repository, as its blob URL names it. */
type RepositoryFile = {
  owner: string;
  repo: string;
  ref: string;
  path: string;
};

function repositoryFile(url: string): RepositoryFile {
  const match = new URL(url).pathname.match(
    /^\/([^/]+)\/([^/]+)\/(?:blob|tree)\/([^/]+)\/(.+)$/,
  );
  if (!match) {
    throw new InputError(
      `${url} is not a file of a GitHub repository (https://<host>/<owner>/<repo>/blob/<branch>/<path>)`,
    );
  }
  const [, owner, repo, ref, path] = match.map(decodeURIComponent);
  return { owner, repo, ref, path };
}

/** What a pull request carries. */
export type PullRequestRequest = {
  /** The files' blob URLs (one repository and branch) and their new content. */
  files: Array<{ url: string; content: string }>;
  branch: string;
  title: string;
  body: string;
};

/**
 * Opens pull requests on GitHub through the integrations of app-config
 * (`integrations.github`, with their credentials: a token or a GitHub App). One
 * commit on a new branch off the files' branch, made with the Git data API so every
 * file changes at once, then the pull request.
 */
export class GithubPullRequests {
  static fromConfig(config: Config): GithubPullRequests {
    const integrations = ScmIntegrations.fromConfig(config);
    return new GithubPullRequests(
      integrations,
      DefaultGithubCredentialsProvider.fromIntegrations(integrations),
    );
  }

  constructor(
    private readonly integrations: ScmIntegrationRegistry,
    private readonly credentials: GithubCredentialsProvider,
  ) {}

  /** Whether a configured GitHub integration serves this URL. */
  supports(url: string): boolean {
    return Boolean(this.integrations.github.byUrl(url));
  }

  /** Opens the pull request; returns its web URL. */
  async open(request: PullRequestRequest): Promise<string> {
    const [first] = request.files;
    const integration = first && this.integrations.github.byUrl(first.url);
    if (!integration) {
      throw new InputError(
        'No GitHub integration serves these files; download the patch instead',
      );
    }
    const files = request.files.map(f => ({
      ...repositoryFile(f.url),
      content: f.content,
    }));
    const { owner, repo, ref: base } = files[0];
    if (
      files.some(f => f.owner !== owner || f.repo !== repo || f.ref !== base)
    ) {
      throw new InputError(
        `The files are not all in ${owner}/${repo} on ${base}; one pull request covers one repository and branch`,
      );
    }
    const { token } = await this.credentials.getCredentials({ url: first.url });
    if (!token) {
      throw new InputError(
        `The GitHub integration for ${integration.config.host} has no credentials for ${owner}/${repo}; configure a token or a GitHub App under integrations.github`,
      );
    }
    const github = new Octokit({
      auth: token,
      baseUrl: integration.config.apiBaseUrl,
      request: { retries: 0 },
    });
    const head = await github.git.getRef({ owner, repo, ref: `heads/${base}` });
    const parent = await github.git.getCommit({
      owner,
      repo,
      commit_sha: head.data.object.sha,
    });
    const tree = await github.git.createTree({
      owner,
      repo,
      base_tree: parent.data.tree.sha,
      tree: files.map(f => ({
        path: f.path,
        mode: '100644' as const,
        type: 'blob' as const,
        content: f.content,
      })),
    });
    const commit = await github.git.createCommit({
      owner,
      repo,
      message: request.title,
      tree: tree.data.sha,
      parents: [parent.data.sha],
    });
    try {
      await github.git.createRef({
        owner,
        repo,
        ref: `refs/heads/${request.branch}`,
        sha: commit.data.sha,
      });
    } catch (e) {
      if ((e as { status?: number }).status === 422) {
        throw new ConflictError(
          `Branch ${request.branch} already exists in ${owner}/${repo}: a pull request for this migration was opened before; merge or close it, delete the branch, then try again`,
        );
      }
      throw e;
    }
    const pull = await github.pulls.create({
      owner,
      repo,
      title: request.title,
      head: request.branch,
      base,
      body: request.body,
    });
    return pull.data.html_url;
  }
}
