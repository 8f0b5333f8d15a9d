import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Entity,
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

/** The dataset's owner and how to reach its members, from the catalog. */
export const OwnershipCard = () => {
  const { entity } = useEntity();
  const catalogApi = useApi(catalogApiRef);
  const owners = getEntityRelations(entity, RELATION_OWNED_BY);
  const { value: members, loading } = useAsync(async () => {
    if (owners.length === 0) return [];
    const { items } = await catalogApi.getEntities({
      filter: {
        kind: 'User',
        [`relations.${RELATION_MEMBER_OF}`]: owners.map(o =>
          stringifyEntityRef(o),
        ),
      },
    });
    return items;
  }, [catalogApi, JSON.stringify(owners)]);

  return (
    <InfoCard title="Ownership">
      {owners.length === 0 ? (
        <Typography>
          No owner: set spec.owner in the dataset's catalog-info.yaml.
        </Typography>
      ) : (
        <Typography>
          Owned by{' '}
          {owners.map(o => (
            <EntityRefLink key={stringifyEntityRef(o)} entityRef={o} />
          ))}
        </Typography>
      )}
      {loading && <Progress />}
      <ul aria-label="owner contacts">
        {(members ?? []).map((user: Entity) => {
          const profile = (user.spec?.profile ?? {}) as {
            displayName?: string;
            email?: string;
          };
          return (
            <li key={user.metadata.name}>
              <EntityRefLink entityRef={user}>
                {profile.displayName ?? user.metadata.name}
              </EntityRefLink>
              {profile.email ? (
                <>
                  {' · '}
                  <a href={`mailto:${profile.email}`}>{profile.email}</a>
                </>
              ) : null}
            </li>
          );
        })}
      </ul>
    </InfoCard>
  );
};
