import { PigeonholeClient } from '@pigeonhole/shared/client';

/** The one typed API client of the UI, on the page's own origin. */
export const client = new PigeonholeClient();
