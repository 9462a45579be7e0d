// Fixtures for the tests of layers above core (never imported by production code).
export { pbtRow, twoMemberFamily } from './search/pbt-lineage.fixture';
