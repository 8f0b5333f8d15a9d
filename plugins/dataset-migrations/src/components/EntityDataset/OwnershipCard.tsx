import { InfoCard, Progress, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  parseEntityRef,
  RELATION_MEMBER_OF,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  catalogApiRef,
  EntityRefLink,
  getEntityRelations,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';

type Profile = { displayName?: string; email?: string };

const profileOf = (entity: Entity): Profile =>
  (entity.spec?.profile ?? {}) as Profile;

/** The owners from the ownedBy relations, or from spec.owner before the catalog stitched them. */
function ownersOf(entity: Entity): CompoundEntityRef[] {
  const owners = getEntityRelations(entity, RELATION_OWNED_BY);
  if (owners.length > 0 || typeof entity.spec?.owner !== 'string') {
    return owners;
  }
  return [
    parseEntityRef(entity.spec.owner, {
      defaultKind: 'group',
      defaultNamespace: entity.metadata.namespace,
    }),
  ];
}

const Contact = ({ entity }: { entity: Entity }) => {
  const { displayName, email } = profileOf(entity);
  return (
    <>
      <EntityRefLink entityRef={entity}>
        {displayName ?? entity.metadata.name}
      </EntityRefLink>
      {email ? (
        <>
          {' · '}
          <a href={`mailto:${email}`}>{email}</a>
        </>
      ) : null}
    </>
  );
};

/** The dataset's owner group and how to reach its members, from the catalog. */
export const OwnershipCard = () => {
  const { entity } = useEntity();
  const catalogApi = useApi(catalogApiRef);
  const owners = ownersOf(entity);
  const ownerRefs = owners.map(o => stringifyEntityRef(o));
  const { value, loading, error } = useAsync(async () => {
    if (ownerRefs.length === 0) return { groups: [], members: [] };
    const [groups, members] = await Promise.all([
      catalogApi.getEntitiesByRefs({ entityRefs: ownerRefs }),
      catalogApi.getEntities({
        filter: {
          kind: 'User',
          [`relations.${RELATION_MEMBER_OF}`]: ownerRefs,
        },
      }),
    ]);
    return {
      groups: groups.items.filter((g): g is Entity => Boolean(g)),
      members: members.items,
    };
  }, [catalogApi, ownerRefs.join(',')]);

  if (owners.length === 0) {
    return (
      <InfoCard title="Ownership">
        <Typography>
          No owner: set <code>spec.owner</code> in the dataset's
          catalog-info.yaml. Only owners can migrate a dataset.
        </Typography>
      </InfoCard>
    );
  }
  return (
    <InfoCard title="Ownership">
      <Typography variant="subtitle2">Owned by</Typography>
      <ul aria-label="owners">
        {owners.map(owner => {
          const ref = stringifyEntityRef(owner);
          const group = value?.groups.find(g => stringifyEntityRef(g) === ref);
          return (
            <li key={ref}>
              {group ? (
                <Contact entity={group} />
              ) : (
                <EntityRefLink entityRef={owner} />
              )}
            </li>
          );
        })}
      </ul>
      <Typography variant="subtitle2">Members to contact</Typography>
      {loading && <Progress />}
      {error && (
        <WarningPanel
          title="Could not load the owners' members from the catalog"
          message={error.message}
        />
      )}
      {value && value.members.length === 0 && (
        <Typography variant="body2">
          The catalog lists no members of the owner: reach the group through its
          page.
        </Typography>
      )}
      {value && value.members.length > 0 && (
        <ul aria-label="owner contacts">
          {value.members.map(user => (
            <li key={stringifyEntityRef(user)}>
              <Contact entity={user} />
            </li>
          ))}
        </ul>
      )}
    </InfoCard>
  );
};
