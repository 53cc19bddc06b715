// MQTT connector: subscribes to city/<family>/# and hands raw messages to the engine.
export { MqttSource } from './source.ts';
