/** The ad platforms this installation can sync to, from its settings (docs/configuration.md). */
import type { Config } from '../../config.ts';
import type { AdPlatformClients } from '../../use-cases/ad-audiences/sync-ad-audience.ts';
import { GoogleCustomerMatch } from './google-customer-match.ts';
import { MetaCustomAudiences } from './meta-custom-audiences.ts';

/** A platform is present when its token (and, for Google, developer token and customer id) is set. */
export function adPlatformClients(config: Config): AdPlatformClients {
  const clients: AdPlatformClients = {};
  if (config.LUPA_META_ACCESS_TOKEN !== undefined) {
    clients.meta = new MetaCustomAudiences({ apiUrl: config.LUPA_META_API_URL, accessToken: config.LUPA_META_ACCESS_TOKEN });
  }
  const { LUPA_GOOGLE_ADS_DEVELOPER_TOKEN: developerToken, LUPA_GOOGLE_ADS_ACCESS_TOKEN: accessToken, LUPA_GOOGLE_ADS_CUSTOMER_ID: customerId } = config;
  if (developerToken !== undefined && accessToken !== undefined && customerId !== undefined) {
    clients.google = new GoogleCustomerMatch({
      apiUrl: config.LUPA_GOOGLE_ADS_API_URL,
      developerToken,
      accessToken,
      customerId,
      ...(config.LUPA_GOOGLE_ADS_LOGIN_CUSTOMER_ID === undefined ? {} : { loginCustomerId: config.LUPA_GOOGLE_ADS_LOGIN_CUSTOMER_ID }),
    });
  }
  return clients;
}
