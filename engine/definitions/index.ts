// Definitions' door: the comment header that views and alert rules share, and the value schemas it is written in.
export { DefinitionError, parseHeader, readHeader } from './header.ts';
export { duration, finiteNumber, parseDuration, positiveDuration } from './values.ts';
