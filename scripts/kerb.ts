#!/usr/bin/env node
/**
 * `kerb`: the command line for technicians and operators. Each command lives in its own module
 * under commands/ and is loaded only when asked for, so `kerb decode` starts quickly.
 */
import { CliError, EXIT } from './cli-error.js';

interface CommandModule {
  run(argv: string[]): Promise<number>;
}

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  demo: { summary: 'run the demo street: broker, simulated street and gateway', load: () => import('./commands/demo.js') },
  gateway: { summary: 'run the gateway for a site file, as a service (SIGHUP reloads it)', load: () => import('./commands/gateway.js') },
  validate: { summary: 'check device profiles and a site file, listing every error', load: () => import('./commands/validate.js') },
  decode: { summary: 'print a CBOR batch readably (or as JSON)', load: () => import('./commands/decode.js') },
  tail: { summary: 'subscribe to a broker and print decoded batches as they arrive', load: () => import('./commands/tail.js') },
  build: { summary: 'compile the firmware for one device into one Espruino JavaScript file', load: () => import('./commands/build.js') },
  keygen: { summary: 'make an ed25519 key pair for signing firmware bundles (kerb build --sign)', load: () => import('./commands/keygen.js') },
  bench: { summary: 'run the benchmarks side by side and print one table', load: () => import('./commands/bench.js') },
  flash: { summary: 'write firmware to an Espruino node over serial and check it says hello', load: () => import('./commands/flash.js') },
  provision: { summary: 'give a node its device id and its own key, and add it to the site file', load: () => import('./commands/provision.js') },
  command: { summary: 'sign a command with your operator key, send it to a gateway and print its answer', load: () => import('./commands/command.js') },
  ca: { summary: 'a lab CA: a CA, broker and per-gateway client certificates for TLS (uses openssl)', load: () => import('./commands/ca.js') },
  ports: { summary: 'list serial ports, what is likely attached and whether you may open them', load: () => import('./commands/ports.js') },
  monitor: { summary: "watch a node's serial link live: hello, readings, events, bad frames", load: () => import('./commands/monitor.js') },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'usage: kerb <command> [options]', '', 'commands:', ...lines, '',
    "'kerb <command> --help' shows a command's options and an example.",
    'exit codes: 0 done, 1 failed, 2 usage error, 3 invalid configuration or input, 4 broker or serial port unreachable;',
    'kerb flash and kerb provision have their own for each failure (see their --help)',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write(usage() + '\n');
    return EXIT.usage;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(`kerb: unknown command '${name}'\n\n${usage()}\n`);
    return EXIT.usage;
  }
  return (await command.load()).run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof CliError) {
      process.stderr.write(`kerb: ${err.message}\n`);
      process.exitCode = err.exitCode;
    } else {
      process.stderr.write(`kerb: unexpected failure: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = EXIT.failed;
    }
  },
);
