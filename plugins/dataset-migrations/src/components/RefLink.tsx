import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';

/**
 * A person, group or dataset by its display name, linked to its catalog page (the
 * catalog's entity presentation). Anything that is not an entity ref, such as a
 * service that acted, reads as it is.
 */
export const RefLink = ({
  entityRef,
  defaultKind,
}: {
  entityRef: string;
  defaultKind?: string;
}) => {
  try {
    parseEntityRef(entityRef, { defaultKind, defaultNamespace: 'default' });
  } catch {
    return <>{entityRef}</>;
  }
  return (
    <EntityRefLink entityRef={entityRef} defaultKind={defaultKind} hideIcon />
  );
};
