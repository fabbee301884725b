/**
 * The lifecycle every resource kind shares (ARCHITECTURE.md, "The HAL"; reference: the mock):
 * options are validated before anything is touched; an invalid pin is refused; one open
 * resource per pin; after close() every method throws E_HAL_CLOSED and close() again does
 * nothing; the pins can be opened again; callbacks never run synchronously inside a method.
 * One suite per kind: 'lifecycle: pwm [mock]'.
 */
import * as assert from 'uvu/assert';
import type { EdgeEvent, PinId } from '../../firmware/hal/pins.js';
import type { BackendBench, BenchFactory } from './backend-bench.js';
import { recorder, throwsCode } from './contract-assert.js';
import { benchPin, benchPing, contractSuite, needs } from './contract-suite.js';
import type { BenchTest } from './contract-suite.js';
import { resourceKinds } from './resource-kinds.js';
import type { ResourceKind } from './resource-kinds.js';

/** `kind`'s pins with `pin` among them: its defaults if they hold it, else `pin` first. */
function pinsWith(kind: ResourceKind, bench: BackendBench, pin: PinId): PinId[] {
  const pins = kind.pins(bench);
  if (!pins.includes(pin)) pins[0] = pin;
  return pins;
}

function supported(bench: BackendBench): ResourceKind[] {
  return resourceKinds.filter((k) => bench.capabilities[k.capability]);
}

function registerCommon(kind: ResourceKind, test: BenchTest): void {
  const openBad = kind.openBad;
  if (openBad !== undefined) {
    test('invalid options are refused with E_HAL_OPTIONS before anything is touched', async (bench) => {
      const pins = kind.pins(bench);
      const before = kind.observe?.(bench, pins);
      throwsCode(() => openBad(bench, pins), 'E_HAL_OPTIONS', `${kind.title} with invalid options`);
      await bench.settle(0);
      if (before !== undefined) assert.is(kind.observe!(bench, pins), before, 'the pin is as it was');
      kind.open(bench, pins).close(); // the pins stayed free
    });

    test('options are checked before the pin: invalid options on a held pin give E_HAL_OPTIONS', (bench) => {
      const pins = kind.pins(bench);
      kind.open(bench, pins);
      throwsCode(() => openBad(bench, pins), 'E_HAL_OPTIONS', `${kind.title} with invalid options on a held pin`);
    });
  }

  test('an invalid pin is refused with E_HAL_OPTIONS or E_HAL_UNAVAILABLE, taking no pin', (bench) => {
    const pins = kind.pins(bench);
    pins.forEach((_, i) => {
      const bad = pins.map((p, j) => (i === j ? bench.pins.invalid : p));
      throwsCode(() => kind.open(bench, bad), ['E_HAL_OPTIONS', 'E_HAL_UNAVAILABLE'], `${kind.title} on [${bad.join(', ')}]`);
    });
    kind.open(bench, pins).close();
  });

  test('a held pin refuses every other resource (E_HAL_PIN_IN_USE on its own pin list), and a refused open takes no pin', (bench) => {
    const held = kind.pins(bench);
    kind.open(bench, held);
    for (const other of supported(bench)) {
      const codes = other.list === kind.list ? 'E_HAL_PIN_IN_USE' as const
        : ['E_HAL_PIN_IN_USE' as const, 'E_HAL_OPTIONS' as const, 'E_HAL_UNAVAILABLE' as const];
      for (const pin of held) {
        const pins = pinsWith(other, bench, pin);
        throwsCode(() => other.open(bench, pins), codes, `${other.title} on [${pins.join(', ')}] while a ${kind.title} holds ${pin}`);
      }
    }
    for (const other of supported(bench)) {
      const pins = other.pins(bench);
      if (pins.some((p) => held.includes(p))) continue;
      other.open(bench, pins).close(); // nothing refused above kept a pin
    }
  });

  test('after close() every method throws E_HAL_CLOSED, and close() again does nothing', (bench) => {
    const handle = kind.open(bench, kind.pins(bench));
    handle.close();
    for (const [name, call] of handle.calls) throwsCode(call, 'E_HAL_CLOSED', `${name} after close()`);
    handle.close();
  });

  test('the pins can be opened again after close(), and a late close() of the old one leaves the new one alone', (bench) => {
    const pins = kind.pins(bench);
    const old = kind.open(bench, pins);
    old.close();
    const next = kind.open(bench, pins);
    old.close();
    for (const [, call] of next.calls) call();
    throwsCode(() => kind.open(bench, pins), 'E_HAL_PIN_IN_USE', 'the new resource still holds its pins');
    next.close();
    for (const other of supported(bench)) {
      if (other.list === kind.list) other.open(bench, other.pins(bench)).close();
    }
  });
}

/** Kinds with callbacks: none may run inside a method call. */
const callbackChecks: Partial<Record<ResourceKind['capability'], (test: BenchTest) => void>> = {
  digitalIn: (test) => test('no callback runs synchronously inside open(), read() or close()', async (bench) => {
    const pin = benchPin(bench, 'digital');
    bench.setInput(pin, 1);
    await bench.settle(0);
    const edges = recorder<EdgeEvent>(bench.clock);
    const input = bench.hal.digitalIn({ pin, edge: 'both', debounceMs: 0, onEdge: edges.fn });
    input.read();
    bench.setInput(pin, 0);
    assert.equal(edges.calls, [], 'nothing inside open(), read() or the change');
    input.close();
    await bench.settle(10);
    assert.equal(edges.calls, [], 'nothing after close(), not even the change made before it');
  }),
  pulseIn: (test) => test('no callback runs synchronously inside measure(), and a refused measure() never calls back', async (bench) => {
    const [trigger, echo] = benchPing(bench);
    bench.setEcho(echo, 1000);
    const pulse = bench.hal.pulseIn({ trigger, echo, triggerUs: 10, timeoutMs: 30 });
    const first = recorder<number>(bench.clock);
    const refused = recorder<number>(bench.clock);
    pulse.measure(first.fn);
    throwsCode(() => pulse.measure(refused.fn), 'E_HAL_BUSY', 'measure() in flight');
    assert.equal(first.calls, [], 'nothing inside measure()');
    await bench.settle(100);
    assert.is(first.calls.length, 1);
    assert.equal(refused.calls, []);
  }),
};

export async function lifecycleContract(factory: BenchFactory): Promise<void> {
  for (const kind of resourceKinds) {
    await contractSuite(`lifecycle: ${kind.title}`, factory, needs(kind.capability, kind.title), (test) => {
      registerCommon(kind, test);
      callbackChecks[kind.capability]?.(test);
    });
  }
}
