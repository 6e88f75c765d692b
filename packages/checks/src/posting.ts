/**
 * The structured posting fields the pay rules read. They are defined in @jd-collab/protocol, which
 * validates them at the edge (REST, document.updated); re-exported here for the engine's users.
 */
export {
  EMPLOYMENT_TYPES,
  locationSchema,
  PAY_PERIODS,
  type Pay,
  type PayPeriod,
  type Posting,
  type PostingLocation,
  paySchema,
  postingSchema,
  WORKPLACES,
} from '@jd-collab/protocol';
