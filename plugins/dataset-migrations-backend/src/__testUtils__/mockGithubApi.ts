import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the mock GitHub API received. */
export type GithubCall = { method: string; path: string; body: any };

/**
 * A local stand-in for the GitHub REST API (never the network): serves one repository's
 * files at one commit for the URL reader, and takes the Git data and pull request calls
 * that opening a pull request makes, recording each.
 */
export async function startMockGithubApi(repo: {
  fullName: string;
  branch: string;
  files: Record<string, string>;
}) {
  const calls: GithubCall[] = [];
  const sha = 'a'.repeat(40);
  let base = '';
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', chunk => {
      raw += chunk;
    });
    req.on('end', () => {
      const url = new URL(req.url!, base);
      const route = decodeURIComponent(url.pathname);
      const body = raw ? JSON.parse(raw) : undefined;
      calls.push({ method: req.method!, path: route, body });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (
        req.headers.authorization !== 'token test-token' &&
        req.headers.authorization !== 'Bearer test-token'
      ) {
        json(401, { message: 'Bad credentials' });
        return;
      }
      const repoPath = `/repos/${repo.fullName}`;
      const files = Object.keys(repo.files);
      if (route === `${repoPath}/commits/${repo.branch}/status`) {
        json(200, {
          sha,
          repository: {
            trees_url: `${base}${repoPath}/git/trees{/sha}`,
            archive_url: `${base}${repoPath}/{archive_format}{/ref}`,
          },
        });
      } else if (route === `${repoPath}/git/trees/${sha}`) {
        json(200, {
          truncated: false,
          tree: files.map((path, i) => ({
            type: 'blob',
            path,
            url: `${base}${repoPath}/git/blobs/${i}`,
          })),
        });
      } else if (route.startsWith(`${repoPath}/git/blobs/`)) {
        const path = files[Number(route.split('/').pop())];
        json(200, {
          content: Buffer.from(repo.files[path]).toString('base64'),
          encoding: 'base64',
        });
      } else if (route.startsWith(`${repoPath}/contents/`)) {
        const path = route.slice(`${repoPath}/contents/`.length);
        if (repo.files[path] === undefined) json(404, { message: 'Not Found' });
        else {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end(repo.files[path]);
        }
      } else if (route === `${repoPath}/git/ref/heads/${repo.branch}`) {
        json(200, { object: { sha } });
      } else if (route === `${repoPath}/git/commits/${sha}`) {
        json(200, { sha, tree: { sha: 'b'.repeat(40) } });
      } else if (req.method === 'POST' && route === `${repoPath}/git/trees`) {
        json(201, { sha: 'c'.repeat(40) });
      } else if (req.method === 'POST' && route === `${repoPath}/git/commits`) {
        json(201, { sha: 'd'.repeat(40) });
      } else if (req.method === 'POST' && route === `${repoPath}/git/refs`) {
        const taken = calls.filter(
          c => c.path === route && c.body?.ref === body.ref,
        ).length;
        if (taken > 1) json(422, { message: 'Reference already exists' });
        else json(201, { ref: body.ref, object: { sha: body.sha } });
      } else if (req.method === 'POST' && route === `${repoPath}/pulls`) {
        json(201, {
          number: 7,
          html_url: `https://github.com/${repo.fullName}/pull/7`,
        });
      } else {
        json(404, { message: `Not Found: ${req.method} ${route}` });
      }
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiBaseUrl: base,
    calls,
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}
