import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import type { ReactNode } from 'react';
import { campaignRouteRef } from '../../routes';

/**
 * The path of a campaign's page, or undefined when the app has not mounted the
 * plugin's page (a dataset's tab can be installed without it).
 */
function useCampaignPath(): ((id: string) => string) | undefined {
  // useRouteRef calls all of its hooks before it throws for an unmounted route, so
  // catching keeps the hook order stable.
  try {
    const route = useRouteRef(campaignRouteRef);
    return (id: string) => route({ id });
  } catch {
    return undefined;
  }
}

/** A link to a campaign's page, or its plain name when there is no page to go to. */
export const CampaignLink = ({
  id,
  children,
}: {
  id: string;
  children: ReactNode;
}) => {
  const path = useCampaignPath();
  return path ? <Link to={path(id)}>{children}</Link> : <>{children}</>;
};
