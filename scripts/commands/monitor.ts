/**
 * `kerb monitor --port PORT`: stands in for the gateway on a node's cable and prints what the node
 * says, live: its hello, readings, events, state, command answers, bad frames and link counters.
 * It is the gateway's end of the link (hello as 'kerb-monitor', acknowledgements, the setup
 * message the node's controller waits for), so unplug the gateway's cable first: a port has one
 * end. The port opener, the clock, the output and Ctrl-C are injected for the tests.
 */
import type { Clock } from '../../firmware/hal/clock.js';
import { SystemClock } from '../../gateway/clock/system-clock.js';
import { PortError } from '../../gateway/node/port-error.js';
import { openSerialPort, type SerialOpener } from '../../gateway/node/serial-line.js';
import { numberOption, parse, stringOption } from '../args.js';
import { CliError, EXIT } from '../cli-error.js';
import { formatItem, formatSummary, itemJson, summaryJson, type MonitorSummary } from '../serial/monitor-format.js';
import { MonitorSession, type MonitorItem } from '../serial/monitor-session.js';

const help = {
  usage: 'kerb monitor --port PORT [--baud N] [--json] [--count N] [--duration S] [--lat DEG --lon DEG]',
  description: "Opens a node's serial port as its gateway would and prints, one time-stamped line each, what\n" +
    'the node says: hello, readings, events, state, command answers, bad frames (noise, a loose wire,\n' +
    'a wrong baud rate) and link counters every 10 s. Ctrl-C closes the port and prints a summary.\n' +
    'With --lat and --lon the node is sent the time (this computer\'s clock) and that place, as the\n' +
    'gateway does, and its controller starts at once; the node saves the place, so give the site\'s.\n' +
    'Without them nothing is sent and the controller starts by itself after 5 s.\n' +
    "Close the gateway (or unplug its cable) first: a port has one end.\n" +
    'Exit codes: 0 stopped (Ctrl-C, --count, --duration), 1 failed (or a second Ctrl-C), 2 usage error,\n' +
    '4 the port could not be opened or was lost (the message says why and what to do).',
  options: [
    ['--port PORT', 'serial port, e.g. /dev/ttyUSB0 or a /dev/serial/by-id link (kerb ports lists them; required)'],
    ['--baud N', "link speed, 9600..921600, the node's build (default 115200)"],
    ['--json', 'one JSON object per line: {"time","type",...}; a "summary" object last'],
    ['--count N', 'stop after N items from the node (hello, reading, event, state, result)'],
    ['--duration S', 'stop after S seconds'],
    ['--lat DEG', "the device's latitude, sent to the node with the time (with --lon)"],
    ['--lon DEG', "the device's longitude (with --lat)"],
  ] as Array<[string, string]>,
  examples: [
    'kerb monitor --port /dev/ttyUSB0',
    'kerb monitor --port /dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0 --lat 52.37 --lon 4.90',
    "kerb monitor --port /dev/ttyACM0 --json --duration 60 | jq -c 'select(.type==\"reading\")'",
  ],
};

export interface MonitorRun {
  port: string;
  baud: number;
  json: boolean;
  count: number;
  durationS: number;
  place?: { latitude: number; longitude: number };
}

export interface MonitorDeps {
  open: SerialOpener;
  clock: Clock;
  write: (text: string) => void;
  colour: boolean;
  /** Calls `stop` on Ctrl-C; returns what undoes that. */
  interrupt: (stop: () => void) => () => void;
}

export function systemDeps(): MonitorDeps {
  return {
    open: openSerialPort,
    clock: new SystemClock(),
    write: (t) => process.stdout.write(t),
    colour: process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
    interrupt: (stop) => {
      let presses = 0;
      const onSigint = (): void => {
        if (++presses === 1) stop();
        else process.exit(EXIT.failed); // a second Ctrl-C: the port would not close
      };
      // `kerb monitor ... | head`: the reader went away; stop as on Ctrl-C instead of crashing.
      const onStdoutError = (err: NodeJS.ErrnoException): void => {
        if (err.code === 'EPIPE') stop();
      };
      process.on('SIGINT', onSigint);
      process.stdout.on('error', onStdoutError);
      return () => {
        process.off('SIGINT', onSigint);
      };
    },
  };
}

/** Items the node sent, which --count counts (not this end's own: open, setup, link). */
const FROM_NODE = new Set<MonitorItem['type']>(['hello', 'reading', 'event', 'state', 'result']);

/** Runs one monitor until Ctrl-C, --count, --duration or a lost port; resolves the exit code. */
export async function monitor(o: MonitorRun, deps: MonitorDeps): Promise<number> {
  const { clock, write } = deps;
  let heard = 0;
  let startedAt = clock.now();
  let timer: number | undefined;
  let undoInterrupt: () => void = () => undefined;
  let ending = false;
  let exit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (exit = resolve));
  const finish = (code: number): void => {
    if (ending) return;
    ending = true;
    if (timer !== undefined) clock.clearTimer(timer);
    undoInterrupt();
    void session.close().then(() => {
      const summary: MonitorSummary = { port: o.port, seconds: (clock.now() - startedAt) / 1000, stats: session.stats(), items: session.itemCounts() };
      write(o.json ? summaryJson(summary, clock.wallTime()) + '\n' : formatSummary(summary, deps.colour));
      exit(code);
    });
  };
  const session = new MonitorSession({
    open: deps.open, clock, port: o.port, baud: o.baud, ...(o.place ? { place: o.place } : {}),
    onItem: (item) => {
      write((o.json ? itemJson(item) : formatItem(item, deps.colour)) + '\n');
      if (FROM_NODE.has(item.type) && ++heard >= o.count) finish(EXIT.ok);
    },
  });
  session.onLost = () => finish(EXIT.unreachable);
  try {
    await session.open();
  } catch (err) {
    if (err instanceof PortError) throw new CliError(`${err.message} [${err.code}]`, EXIT.unreachable);
    throw err;
  }
  startedAt = clock.now();
  if (!ending) {
    if (Number.isFinite(o.durationS)) timer = clock.setTimeout(() => finish(EXIT.ok), o.durationS * 1000);
    undoInterrupt = deps.interrupt(() => finish(EXIT.ok));
  }
  return exited;
}

function inRange(value: string | undefined, name: string, fallback: number, min: number, max: number, whole = false): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max || (whole && !Number.isInteger(n))) {
    throw new CliError(`--${name} must be a ${whole ? 'whole ' : ''}number from ${min} to ${max}, got '${value}'`, EXIT.usage);
  }
  return n;
}

export function parseMonitorArgs(argv: string[]): MonitorRun | undefined {
  const args = parse(argv, {
    port: { type: 'string' }, baud: { type: 'string' }, json: { type: 'boolean' }, count: { type: 'string' },
    duration: { type: 'string' }, lat: { type: 'string' }, lon: { type: 'string' },
  }, help);
  if (args === undefined) return undefined;
  const port = stringOption(args.values, 'port');
  if (port === undefined || port === '') throw new CliError(`monitor needs --port PORT ('kerb ports' lists them)\n\nusage: ${help.usage}`, EXIT.usage);
  return {
    port,
    baud: inRange(stringOption(args.values, 'baud'), 'baud', 115200, 9600, 921600, true),
    json: args.values.json === true,
    count: numberOption(stringOption(args.values, 'count'), 'count', Infinity, 1),
    durationS: numberOption(stringOption(args.values, 'duration'), 'duration', Infinity, 0.001),
    place: placeOption(stringOption(args.values, 'lat'), stringOption(args.values, 'lon')),
  };
}

function placeOption(lat: string | undefined, lon: string | undefined): { latitude: number; longitude: number } | undefined {
  if (lat === undefined && lon === undefined) return undefined;
  if (lat === undefined || lon === undefined) throw new CliError('--lat and --lon go together: the device\'s place', EXIT.usage);
  return { latitude: inRange(lat, 'lat', 0, -90, 90), longitude: inRange(lon, 'lon', 0, -180, 180) };
}

export async function run(argv: string[], deps?: MonitorDeps): Promise<number> {
  const o = parseMonitorArgs(argv);
  if (o === undefined) return EXIT.ok;
  return monitor(o, deps ?? systemDeps());
}
