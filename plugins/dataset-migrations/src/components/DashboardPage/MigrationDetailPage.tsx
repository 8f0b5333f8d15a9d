import { Content, Header, Page } from '@backstage/core-components';
import { useParams } from 'react-router-dom';
import { LiveMigration } from '../LiveMigration/LiveMigration';

/** One migration's live view, reachable by URL. */
export const MigrationDetailPage = () => {
  const { id = '' } = useParams();
  return (
    <Page themeId="tool">
      <Header title="Migration" subtitle={id} />
      <Content>
        <LiveMigration id={id} />
      </Content>
    </Page>
  );
};
