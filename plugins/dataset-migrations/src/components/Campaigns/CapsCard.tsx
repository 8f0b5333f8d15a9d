import { InfoCard } from '@backstage/core-components';
import type { CampaignDetail } from '@internal/backstage-plugin-dataset-migrations-common';
import { CapLoad, scopeName } from '../CapLoad';

/** The caps in force on the campaign's work and the load on each right now. */
export const CapsCard = ({ campaign }: { campaign: CampaignDetail }) => (
  <InfoCard title="Caps in force">
    <div aria-label="caps" role="list">
      {campaign.caps.map(cap => (
        <div role="listitem" key={cap.scope}>
          <CapLoad
            label={`${scopeName(cap.scope)} running`}
            used={cap.running}
            cap={cap.cap}
          />
        </div>
      ))}
      <div role="listitem">
        <CapLoad
          label="Starts in the last minute"
          used={campaign.startsLastMinute}
          cap={campaign.pacing.startsPerMinute}
        />
      </div>
    </div>
  </InfoCard>
);
