const APP = process.env.E2E_APP_URL ?? 'http://localhost:3000';
const BACKEND = `${process.env.E2E_BACKEND_URL ?? 'http://localhost:7007'}/api`;

async function poll(isReady: () => Promise<boolean>, failure: string) {
  for (let i = 0; i < 240; i++) {
    try {
      if (await isReady()) return;
    } catch {
      // not up yet
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(failure);
}

/**
 * Waits for the demo that scripts/e2e.sh starts. The catalog ingests the demo entities
 * some time after the backend answers, more so on a loaded machine, and a guest token
 * carries the groups the catalog knew when it was issued: the browser signs in only
 * once the catalog knows the guest's groups and the dataset the test opens.
 */
export default async function waitForDemo() {
  await poll(async () => {
    const [app, backend] = await Promise.all([
      fetch(APP).then(r => r.status),
      fetch(`${BACKEND}/dataset-migrations/health`).then(r => r.status),
    ]);
    return app === 200 && backend === 200;
  }, 'The demo did not come up on :3000 and :7007 within 4 minutes');

  await poll(async () => {
    const refresh = await fetch(`${BACKEND}/auth/guest/refresh`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    }).then(r => r.json());
    const headers = {
      Authorization: `Bearer ${refresh.backstageIdentity.token}`,
    };
    const [guest, dataset] = await Promise.all(
      ['user/default/guest', 'resource/default/customer-accounts'].map(ref =>
        fetch(`${BACKEND}/catalog/entities/by-name/${ref}`, { headers }).then(
          r => (r.ok ? r.json() : undefined),
        ),
      ),
    );
    const isMember = (guest?.relations ?? []).some(
      (r: { type: string }) => r.type === 'memberOf',
    );
    return isMember && Boolean(dataset);
  }, 'The catalog did not ingest the demo entities (the guest and customer-accounts) within 4 minutes');
}
