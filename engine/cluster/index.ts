// Running as one replica of several: the leader lease, alerts forwarded once, readiness, the command stream.
export { checkReplicaConfig, consumerName, openCluster } from './open.ts';
export { catchingUp, replicaState } from './readiness.ts';
export { applier } from './apply.ts';
export { Command, DEFINITION_MAX_TEXT, IMPORT_SLICE, localBus, type CommandBus } from './commands.ts';
export { appendCommand, ensureCommandStream, rewindCommands, streamBus } from './command-stream.ts';
export { clusterMetrics } from './metrics.ts';
