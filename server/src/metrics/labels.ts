/** The route label of a request that matched no route: never the raw URL, whose values are unbounded. */
export const UNMATCHED_ROUTE = 'unmatched';
