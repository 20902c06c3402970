import { listField, urlField } from '@gate/config';
import { Provider } from '@nestjs/common';
import { SERVICE_CONFIG } from '@gate/config';
import { AssertionVerifier } from './assertion-verifier';
import { ASSERTION_OPTIONS, AssertionStrategyOptions } from './assertion.strategy';

/**
 * Config fields for a service that accepts verify's assertion; add them with `.extend(...)`.
 * All optional: without them the `assertion` way in is off.
 */
export const assertionConfigFields = {
  ASSERTION_ISSUER: urlField(['https', 'http']).optional(),
  ASSERTION_JWKS_URL: urlField(['https', 'http']).optional(),
  ASSERTION_AUDIENCE: listField().optional(),
};

interface AssertionConfig {
  ASSERTION_ISSUER?: string;
  ASSERTION_JWKS_URL?: string;
  ASSERTION_AUDIENCE?: string[];
}

/** Provides ASSERTION_OPTIONS from the service config (null when not configured). */
export const assertionOptionsProvider: Provider = {
  provide: ASSERTION_OPTIONS,
  inject: [SERVICE_CONFIG],
  useFactory: (config: AssertionConfig): AssertionStrategyOptions | null => {
    if (!config.ASSERTION_ISSUER || !config.ASSERTION_JWKS_URL || !config.ASSERTION_AUDIENCE?.length) return null;
    return {
      verifier: new AssertionVerifier({ issuer: config.ASSERTION_ISSUER, jwksUrl: config.ASSERTION_JWKS_URL }),
      audiences: config.ASSERTION_AUDIENCE,
    };
  },
};
