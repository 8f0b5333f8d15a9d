import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import useAsync from 'react-use/esm/useAsync';

type Owner = { ref: string; name: string };

const toOwner = (group: Entity): Owner => {
  const profile = group.spec?.profile as { displayName?: string } | undefined;
  return {
    ref: stringifyEntityRef(group),
    name: profile?.displayName ?? group.metadata.title ?? group.metadata.name,
  };
};

/**
 * The owner filter: a group picked from the catalog by its display name, so nobody has
 * to know or type an entity ref. A ref from the URL that the catalog does not know
 * still shows, as the ref.
 */
export const OwnerPicker = ({
  value,
  onChange,
}: {
  value?: string;
  onChange: (ownerRef: string | undefined) => void;
}) => {
  const catalogApi = useApi(catalogApiRef);
  const groups = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'group' },
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'spec.profile.displayName',
      ],
    });
    return items.map(toOwner).sort((a, b) => a.name.localeCompare(b.name));
  }, [catalogApi]);
  const options = groups.value ?? [];
  const selected = value
    ? options.find(o => o.ref === value) ?? { ref: value, name: value }
    : null;

  return (
    <Autocomplete<Owner>
      id="migration-owner-filter"
      options={options}
      loading={groups.loading}
      value={selected}
      getOptionLabel={o => o.name}
      getOptionSelected={(o, v) => o.ref === v.ref}
      onChange={(_, picked) => onChange(picked?.ref)}
      style={{ minWidth: 220 }}
      renderInput={params => (
        <TextField
          {...params}
          label="Owner"
          helperText={groups.error ? 'Could not load the groups' : undefined}
          error={Boolean(groups.error)}
        />
      )}
    />
  );
};
