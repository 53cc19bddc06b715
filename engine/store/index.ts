// The store's door: opening the database file, its tables and the areas it knows.
export {
  commitStaged,
  commitDeadLetters,
  clearStaging,
  stageTable,
  DEAD_LETTER_COLUMNS,
  BATCH_COLUMN,
  COMMIT_SIDE_TABLES,
} from './tables.ts';
export { openStore, type Store } from './open.ts';
