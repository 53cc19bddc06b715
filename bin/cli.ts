// The command-line entry: `ioc start | build | replay | token | devices | views | rules | backup | restore | cluster |
// bench | help`.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConfigError, errorMessage } from '../engine/errors.ts';
import { ensureDashboards } from './dashboards.ts';

const USAGE = `usage: ioc <command>

  start        build the dashboards if needed, then run the engine (configuration from the environment; see README)
  build        build the dashboards into dist/dashboards
  replay FILE… send NDJSON or CSV events to MQTT, NATS or the engine (ioc replay --help)
  token …      create --role R --name N | list | revoke N: bearer tokens (works with the engine running or not)
  devices import FILE.csv  register devices (owner agency, model, ward) in the running engine (ioc devices --help)
  views push FILE.sql…     create or redefine live indicators in the running engine; rm NAME…, ls (ioc views --help)
  rules push FILE.rule…    the same for alert rules (ioc rules --help)
  backup DIR   download a consistent backup of the running engine (ioc backup --help)
  restore DIR  rebuild a stopped engine's data folder from a backup; JetStream replays only what came after
  cluster [...] three local nats-servers, two engine replicas and the simulator (ioc cluster --help)
  bench [...]  run the benchmarks in bench/ (arguments are passed on)
  help         this text
`;

async function main(argv: string[]): Promise<number> {
  const [command = 'help', ...rest] = argv;
  switch (command) {
    case 'start':
      return start();
    case 'build':
      await ensureDashboards({ force: true });
      return 0;
    case 'bench':
      return runBench(rest);
    case 'replay':
      return (await import('./replay.ts')).replayCommand(rest);
    case 'token':
      return (await import('./token.ts')).tokenCommand(rest);
    case 'devices':
      return (await import('./devices.ts')).devicesCommand(rest);
    case 'views':
    case 'rules':
      return (await import('./definitions.ts')).definitionsCommand(command, rest);
    case 'backup':
      return (await import('./backup.ts')).backupCommand(rest);
    case 'restore':
      return (await import('./backup.ts')).restoreCommand(rest);
    case 'cluster':
      return (await import('./cluster.ts')).clusterCommand(rest);
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`ioc: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

async function start(): Promise<number> {
  const began = performance.now();
  const { loadConfig } = await import('../engine/config.ts');
  loadConfig(); // fail on a bad setting before spending time on a build
  await ensureDashboards({ force: false });
  const { startEngine } = await import('../engine/main.ts');
  const engine = await startEngine();
  process.stderr.write(
    `\n  Hanoi IOC engine is up in ${((performance.now() - began) / 1000).toFixed(1)} s\n` +
      `  operators' wall   ${engine.url}/\n  health            ${engine.url}/api/health\n${
        engine.mqttUrl
          ? `  MQTT              ${engine.mqttUrl}  (publish to city/camera/<id>, city/sensor/<id>, city/service/<agency>)\n`
          : `  replica           ${engine.config.replica} of the cluster at ${engine.config.natsUrl}; ready: ${engine.url}/api/ready\n`
      }` +
      (engine.auth
        ? `  access            tokens required (AUTH=on); create one with: npx ioc token create --role admin --name <you>\n\n`
        : `  access            open on loopback (demo); for tokens set AUTH=on and run: npx ioc token create --role admin --name <you>\n\n`),
  );
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stderr.write(`\n${signal}: stopping (committing what is buffered)…\n`);
      engine.stop().then(resolve, resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  return 0;
}

function runBench(args: string[]): Promise<number> {
  const script = fileURLToPath(new URL('../bench/run.ts', import.meta.url));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: 'inherit' });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(err instanceof ConfigError ? `ioc: ${err.message}\n` : `ioc: ${errorMessage(err)}\n`);
    if (!(err instanceof ConfigError) && process.env.LOG_LEVEL === 'debug') console.error(err);
    process.exit(1);
  },
);
