import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import type { ReactNode } from 'react';
import { migrationRouteRef } from '../routes';

/**
 * The path of a migration's detail page, or undefined when the app has not mounted
 * the plugin's page (an entity tab can be installed without it).
 */
export function useMigrationPath(): ((id: string) => string) | undefined {
  // useRouteRef calls all of its hooks before it throws for an unmounted route, so
  // catching keeps the hook order stable.
  try {
    const route = useRouteRef(migrationRouteRef);
    return (id: string) => route({ id });
  } catch {
    return undefined;
  }
}

/** A link to one migration's live detail page. */
export const MigrationLink = ({
  id,
  children,
}: {
  id: string;
  children?: ReactNode;
}) => {
  const path = useMigrationPath();
  const text = children ?? 'Open';
  return path ? <Link to={path(id)}>{text}</Link> : <>{text}</>;
};
